package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// actionForm is the preventive action editor's fields as typed.
type actionForm struct {
	ID                 int64
	Title, Description string
	Owner, Due         string
	Status             heed.ActionStatus
}

// actionsBody is the content of actions.html and action.html.
type actionsBody struct {
	Actions   []heed.PreventiveAction
	Action    *heed.PreventiveAction // action.html: the one edited
	Form      actionForm
	Statuses  []heed.ActionStatus
	Employees []heed.Employee
	CanEdit   bool
	Error     string
	ErrorID   string
	Notice    string
}

// actionList shows the preventive actions with what they cover and how
// many customers recovered, and (for managers and admins) a form to plan
// a new one.
func (s *server) actionList(w http.ResponseWriter, r *http.Request) error {
	return s.renderActions(w, r, http.StatusOK, &actionsBody{Form: actionForm{Status: heed.ActionOpen}, Notice: actionNotice(r)})
}

func actionNotice(r *http.Request) string {
	switch r.URL.Query().Get("done") {
	case "created":
		return "Preventive action planned."
	case "saved":
		return "Changes saved."
	}
	return ""
}

func (s *server) renderActions(w http.ResponseWriter, r *http.Request, status int, body *actionsBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	list, err := s.cs.PreventiveActions(ctx, v.P)
	if err != nil {
		return err
	}
	if err := s.actionChoices(r, body); err != nil {
		return err
	}
	body.Actions = list
	return s.render(w, r, status, "actions", view{Title: "Preventive actions", Section: "actions", Body: body})
}

// actionChoices fills in what the editor offers.
func (s *server) actionChoices(r *http.Request, body *actionsBody) error {
	v := viewerFrom(r.Context())
	body.CanEdit = cases.CanPlan(v.P)
	body.Statuses = []heed.ActionStatus{heed.ActionOpen, heed.ActionInProgress, heed.ActionDone}
	var err error
	body.Employees, err = s.dir.ListEmployees(r.Context(), v.P, heed.EmployeeFilter{})
	return err
}

// parseActionForm reads the editor into an action.
func parseActionForm(r *http.Request) (heed.PreventiveAction, actionForm, error) {
	if err := r.ParseForm(); err != nil {
		return heed.PreventiveAction{}, actionForm{}, heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := actionForm{Title: get("title"), Description: get("description"), Owner: get("owner"), Due: get("due"),
		Status: heed.ActionStatus(get("status"))}
	a := heed.PreventiveAction{Title: f.Title, Description: f.Description, Owner: f.Owner, Status: f.Status}
	if f.Due != "" {
		due, err := time.Parse(time.DateOnly, f.Due)
		if err != nil {
			return a, f, heed.FieldErrorf(heed.EInvalid, "due", "the date %q is not a date like 2026-03-31", f.Due)
		}
		a.Due = &due
	}
	return a, f, nil
}

// actionCreate plans a new preventive action.
func (s *server) actionCreate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	a, f, err := parseActionForm(r)
	if err == nil {
		a, err = s.cs.SavePreventiveAction(r.Context(), v.P, a)
	}
	if err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		body := &actionsBody{Form: f, Error: sentence(heed.ErrorMessage(err)), ErrorID: heed.ErrorField(err)}
		return s.renderActions(w, r, status, body)
	}
	http.Redirect(w, r, "/actions/"+strconv.FormatInt(a.ID, 10)+"?done=created", http.StatusSeeOther)
	return nil
}

// actionEdit shows one action: the editor for managers and admins,
// read-only for others.
func (s *server) actionEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "preventive action")
	if err != nil {
		return err
	}
	a, err := s.cs.PreventiveAction(r.Context(), viewerFrom(r.Context()).P, id)
	if err != nil {
		return err
	}
	f := actionForm{ID: a.ID, Title: a.Title, Description: a.Description, Owner: a.Owner, Status: a.Status}
	if a.Due != nil {
		f.Due = a.Due.UTC().Format(time.DateOnly)
	}
	return s.renderAction(w, r, http.StatusOK, &actionsBody{Action: &a, Form: f, Notice: actionNotice(r)})
}

// actionSave stores changes to an action.
func (s *server) actionSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "preventive action")
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	old, err := s.cs.PreventiveAction(r.Context(), v.P, id)
	if err != nil {
		return err
	}
	a, f, err := parseActionForm(r)
	a.ID, f.ID = id, id
	if err == nil {
		_, err = s.cs.SavePreventiveAction(r.Context(), v.P, a)
	}
	if err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		body := &actionsBody{Action: &old, Form: f, Error: sentence(heed.ErrorMessage(err)), ErrorID: heed.ErrorField(err)}
		return s.renderAction(w, r, status, body)
	}
	http.Redirect(w, r, "/actions/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

func (s *server) renderAction(w http.ResponseWriter, r *http.Request, status int, body *actionsBody) error {
	if err := s.actionChoices(r, body); err != nil {
		return err
	}
	return s.render(w, r, status, "action", view{Title: body.Action.Title, Section: "actions", Body: body})
}
