package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// caseDone sends the browser on after a case form worked: back to the
// page the form was on (the inbox, or the case).
func caseDone(w http.ResponseWriter, r *http.Request, id int64, done string) {
	target := "/cases/" + strconv.FormatInt(id, 10)
	if next := r.PostFormValue("next"); next != "" {
		target = localPath(next)
	}
	u, _ := url.Parse(target) // localPath returns a path that parses
	q := u.Query()
	q.Set("done", done)
	q.Set("case", strconv.FormatInt(id, 10))
	u.RawQuery = q.Encode()
	if u.Path == "/inbox" {
		u.Fragment = "calls"
	}
	http.Redirect(w, r, u.String(), http.StatusSeeOther)
}

// caseFormError shows the case again with what the service refused next
// to the form it came from; errors no form can help with go to the
// error page.
func (s *server) caseFormError(w http.ResponseWriter, r *http.Request, id int64, form string, f caseForm, err error) error {
	status, ok := fieldStatus(err)
	if !ok {
		return err
	}
	body := &caseBody{Error: sentence(heed.ErrorMessage(err)), ErrorForm: form, Form: f}
	return s.renderCase(w, r, status, id, body)
}

// parseCaseForm reads a case form; the id is from the path.
func parseCaseForm(r *http.Request) (int64, caseForm, error) {
	id, err := pathID(r, "id", "case")
	if err != nil {
		return 0, caseForm{}, err
	}
	if err := r.ParseForm(); err != nil {
		return 0, caseForm{}, heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	return id, caseForm{To: get("to"), Note: get("note"), Outcome: get("outcome"), CallNote: get("call_note"),
		RedirectOwner: get("owner"), RedirectUnit: get("unit"), Redirect: get("redirect_note"),
		ActionTitle: get("action_title"), ActionDescription: get("action_description")}, nil
}

// formVersion reads the version of the case the form was shown with;
// none (a form without it) checks nothing, and one that is not a number
// is refused rather than read as none, which would skip the check.
func formVersion(r *http.Request) (int, error) {
	text := strings.TrimSpace(r.PostForm.Get("version"))
	if text == "" {
		return 0, nil
	}
	version, err := strconv.Atoi(text)
	if err != nil || version < 0 {
		return 0, heed.FieldErrorf(heed.EInvalid, "version", "version %q is not a whole number; reload the case and try again", text)
	}
	return version, nil
}

// caseMove moves a case to another stage.
func (s *server) caseMove(w http.ResponseWriter, r *http.Request) error {
	id, f, err := parseCaseForm(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	version, err := formVersion(r)
	if err == nil {
		_, err = s.cs.Transition(r.Context(), v.P, id, heed.Stage(f.To), f.Note, version)
	}
	if err != nil {
		return s.caseFormError(w, r, id, "stage", f, err)
	}
	caseDone(w, r, id, "moved")
	return nil
}

// caseCall logs a call; the inbox's one-click buttons post here too.
func (s *server) caseCall(w http.ResponseWriter, r *http.Request) error {
	id, f, err := parseCaseForm(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	if _, err := s.cs.LogCall(r.Context(), v.P, id, heed.CallOutcome(f.Outcome), f.CallNote); err != nil {
		return s.caseFormError(w, r, id, "call", f, err)
	}
	caseDone(w, r, id, "call")
	return nil
}

// caseDecide sets the kind of customer, the response type and the root
// cause — only those that differ from the case, so the timeline records
// what was decided, not every field of the form — with a note.
func (s *server) caseDecide(w http.ResponseWriter, r *http.Request) error {
	id, f, err := parseCaseForm(r)
	if err != nil {
		return err
	}
	ctx, v := r.Context(), viewerFrom(r.Context())
	c, err := s.cs.Get(ctx, v.P, id)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return s.caseFormError(w, r, id, "decide", f, err)
	}
	ch := cases.Change{Note: f.Note, Version: version}
	if k := heed.CustomerKind(r.PostForm.Get("customer_kind")); k != c.CustomerKind {
		ch.CustomerKind = &k
	}
	if t := heed.ResponseType(r.PostForm.Get("response_type")); t != c.ResponseType {
		ch.ResponseType = &t
	}
	if rc := r.PostForm.Get("root_cause"); rc != c.RootCause {
		ch.RootCause = &rc
	}
	if _, err := s.cs.Update(ctx, v.P, id, ch); err != nil {
		return s.caseFormError(w, r, id, "decide", f, err)
	}
	caseDone(w, r, id, "saved")
	return nil
}

// caseLinkAction links the case to a preventive action: one chosen from
// the list (none unlinks), or a new one created here first — only once
// the case is known to be the viewer's to see, so a refused link leaves
// no action behind.
func (s *server) caseLinkAction(w http.ResponseWriter, r *http.Request) error {
	id, f, err := parseCaseForm(r)
	if err != nil {
		return err
	}
	ctx, v := r.Context(), viewerFrom(r.Context())
	if _, err := s.cs.Get(ctx, v.P, id); err != nil {
		return err
	}
	var actionID int64
	if f.ActionTitle != "" {
		a, err := s.cs.SavePreventiveAction(ctx, v.P, heed.PreventiveAction{Title: f.ActionTitle, Description: f.ActionDescription})
		if err != nil {
			return s.caseFormError(w, r, id, "action", f, err)
		}
		actionID = a.ID
	} else if a := r.PostForm.Get("action"); a != "" {
		if actionID, err = strconv.ParseInt(a, 10, 64); err != nil {
			err = heed.FieldErrorf(heed.EInvalid, "action", "choose a preventive action from the list")
			return s.caseFormError(w, r, id, "action", f, err)
		}
	}
	if _, err := s.cs.Update(ctx, v.P, id, cases.Change{PreventiveActionID: &actionID}); err != nil {
		return s.caseFormError(w, r, id, "action", f, err)
	}
	caseDone(w, r, id, "action")
	return nil
}

// caseRedirect hands a case to another employee or unit.
func (s *server) caseRedirect(w http.ResponseWriter, r *http.Request) error {
	id, f, err := parseCaseForm(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	to := cases.RedirectTo{Owner: f.RedirectOwner, Unit: f.RedirectUnit, Note: f.Redirect}
	if _, err := s.cs.Redirect(r.Context(), v.P, id, to); err != nil {
		return s.caseFormError(w, r, id, "redirect", f, err)
	}
	// Handed outside what the viewer may see: the case page would be a
	// 404, so back to the inbox, which says it went.
	if _, err := s.cs.Get(r.Context(), v.P, id); heed.IsNotFound(err) {
		http.Redirect(w, r, "/inbox?done=redirected", http.StatusSeeOther)
		return nil
	}
	caseDone(w, r, id, "redirected")
	return nil
}
