package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// stageStep is one step of a case's progress bar.
type stageStep struct {
	Stage     heed.Stage
	N         int
	State     string // done, skipped, current or todo
	Skippable bool
}

// stageOption is a stage a case may move to.
type stageOption struct {
	Stage    heed.Stage
	Label    string
	Back     bool
	Selected bool
}

// choice is one option of a drop-down list.
type choice struct {
	Value, Label string
	Selected     bool
}

// eventRow is one line of a case's timeline.
type eventRow struct {
	heed.CaseEvent
	Who  string
	What string
}

// historyRow is one of the customer's answers.
type historyRow struct {
	Response   heed.Response
	SurveyName string
	Tone       string
	ThisCase   bool // the answer that opened this case
}

// caseForm is what was typed into the case page's forms, shown again
// when the service refused it.
type caseForm struct {
	To, Note                              string
	Outcome, CallNote                     string
	RedirectOwner, RedirectUnit, Redirect string
	ActionTitle, ActionDescription        string
}

// caseBody is the content of case.html.
type caseBody struct {
	Case         heed.Case
	Steps        []stageStep
	Moves        []stageOption
	Late         bool
	Tone         string
	ToneAfter    string
	UnitName     string
	CustomerLink bool
	Customer     heed.Customer
	FirstDue     string // relative: "in 5 h", "3 h late"
	ResolveDue   string
	Contacted    string // when the first contact was, "" before it
	Timeline     []eventRow
	History      []historyRow
	OtherCases   []heed.Case
	Suggested    cases.Suggestion
	Kinds        []choice
	Types        []choice
	RootCauses   []choice
	Actions      []choice
	Action       *heed.PreventiveAction // the linked one
	Units        []unitOption
	Employees    []heed.Employee
	Outcomes     []heed.CallOutcome
	CanWork      bool // not an analyst
	CanPlan      bool // may create preventive actions
	Notice       string
	Error        string
	ErrorForm    string // which form the error belongs to
	Form         caseForm
}

// caseDetail shows a case with everything needed to work it.
func (s *server) caseDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "case")
	if err != nil {
		return err
	}
	body := &caseBody{Notice: caseNotice(r)}
	return s.renderCase(w, r, http.StatusOK, id, body)
}

// caseNotice confirms what the last button did, from known words only.
func caseNotice(r *http.Request) string {
	switch r.URL.Query().Get("done") {
	case "moved":
		return "Stage changed."
	case "call":
		return "Call logged."
	case "saved":
		return "Saved."
	case "action":
		return "Preventive action saved."
	case "redirected":
		return "Case handed over."
	}
	return ""
}

// renderCase loads the case and its surroundings into body and renders
// the page with status.
func (s *server) renderCase(w http.ResponseWriter, r *http.Request, status int, id int64, body *caseBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	// The history checks the viewer may see the case, and lists the
	// customer's cases: this one is among them unless it is older than
	// the newest the history reads.
	h, err := s.cs.CaseHistory(ctx, v.P, id)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(h.Cases, func(c heed.Case) bool { return c.ID == id })
	var c heed.Case
	if i >= 0 {
		c = h.Cases[i]
	} else if c, err = s.cs.Get(ctx, v.P, id); err != nil {
		return err
	}
	now := time.Now()
	body.Case, body.Customer, body.Suggested = c, h.Customer, h.Suggested
	body.Late, body.Tone = c.Late(now), categoryTone(c.CategoryBefore)
	if c.CategoryAfter != "" {
		body.ToneAfter = categoryTone(c.CategoryAfter)
	}
	body.FirstDue, body.ResolveDue = dueText(now, c.FirstContactDue), dueText(now, c.ResolveDue)
	if c.FirstContactAt != nil {
		body.Contacted = formatTime(*c.FirstContactAt)
	}
	body.CanWork = cases.CanWork(v.P)
	body.CanPlan = cases.CanPlan(v.P)
	body.Outcomes = heed.CallOutcomes()
	body.Steps = progress(c.Stage, h.Events)
	body.Moves = moves(c.Stage, body.Form.To)
	if _, err := s.dir.GetCustomer(ctx, v.P, c.Customer); err == nil {
		body.CustomerLink = true
	} else if !heed.IsNotFound(err) {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Units, body.UnitName = unitOptions(units), cmp.Or(unitNames(units)[c.Unit], c.Unit)
	if body.Employees, err = s.dir.ListEmployees(ctx, v.P, heed.EmployeeFilter{}); err != nil {
		return err
	}
	names := make(map[string]string, len(body.Employees))
	for _, e := range body.Employees {
		names[e.Email] = e.Name
	}
	for _, ev := range h.Events {
		body.Timeline = append(body.Timeline, eventRow{CaseEvent: ev, Who: cmp.Or(names[ev.Actor], ev.Actor), What: eventText(ev)})
	}
	if err := s.caseHistory(r, body, h); err != nil {
		return err
	}
	if err := s.caseChoices(r, body); err != nil {
		return err
	}
	title := cmp.Or(c.CustomerName, c.Customer)
	section := "cases"
	if v.P.Role == heed.RoleFrontline { // no Cases item in their navigation: a case is part of the inbox
		section = "inbox"
	}
	return s.render(w, r, status, "case", view{Title: "Case " + strconv.FormatInt(c.ID, 10) + " · " + title, Section: section, Body: body})
}

// caseHistory fills in the customer's answers and other cases.
func (s *server) caseHistory(r *http.Request, body *caseBody, h cases.History) error {
	surveys, err := s.sv.ListSurveys(r.Context(), viewerFrom(r.Context()).P)
	if err != nil {
		return err
	}
	bySurvey := surveysByKey(surveys)
	for _, resp := range h.Responses {
		sv := bySurvey[resp.Survey]
		body.History = append(body.History, historyRow{Response: resp, SurveyName: cmp.Or(sv.Name, resp.Survey),
			Tone: scoreTone(sv.Kind, resp.Score), ThisCase: resp.ID == body.Case.ResponseID})
	}
	for _, oc := range h.Cases {
		if oc.ID != body.Case.ID {
			body.OtherCases = append(body.OtherCases, oc)
		}
	}
	return nil
}

// caseChoices fills in the drop-down lists of the decisions: the kind of
// customer and the response type (Heed's suggestion preselected while
// nothing is set), the root causes on offer and the preventive actions.
func (s *server) caseChoices(r *http.Request, body *caseBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	c := body.Case
	kind := cmp.Or(c.CustomerKind, body.Suggested.CustomerKind)
	for _, k := range heed.CustomerKinds() {
		body.Kinds = append(body.Kinds, choice{Value: string(k), Label: kindName(k), Selected: k == kind})
	}
	typ := cmp.Or(c.ResponseType, body.Suggested.ResponseType)
	body.Types = []choice{
		{Value: string(heed.ResponseSolution), Label: "Give a solution", Selected: typ == heed.ResponseSolution},
		{Value: string(heed.ResponseAdvisory), Label: "Advise", Selected: typ == heed.ResponseAdvisory},
	}
	if c.ResponseType == heed.ResponseRedirect {
		// Set by a hand-over, never chosen here: shown so it stays.
		body.Types = append(body.Types, choice{Value: string(heed.ResponseRedirect), Label: "Redirected", Selected: true})
	}
	rcs, err := s.cs.RootCauses(ctx, v.P)
	if err != nil {
		return err
	}
	for _, rc := range rcs {
		if rc.Active || rc.Key == c.RootCause {
			label := rc.Name
			if !rc.Active {
				label += " (no longer offered)"
			}
			body.RootCauses = append(body.RootCauses, choice{Value: rc.Key, Label: label, Selected: rc.Key == c.RootCause})
		}
	}
	if !body.CanWork {
		// No form to link one: only the linked action is shown.
		if c.PreventiveActionID != 0 {
			a, err := s.cs.PreventiveAction(ctx, v.P, c.PreventiveActionID)
			if err != nil {
				return err
			}
			body.Action = &a
		}
		return nil
	}
	acts, err := s.cs.PreventiveActions(ctx, v.P)
	if err != nil {
		return err
	}
	for _, a := range acts {
		if a.ID == c.PreventiveActionID {
			body.Action = &a
		}
		if a.Status != heed.ActionDone || a.ID == c.PreventiveActionID {
			body.Actions = append(body.Actions, choice{Value: strconv.FormatInt(a.ID, 10), Label: a.Title,
				Selected: a.ID == c.PreventiveActionID})
		}
	}
	return nil
}

// progress is the case's nine steps: those it passed without stopping
// are skipped, the rest before the current one done.
func progress(at heed.Stage, events []heed.CaseEvent) []stageStep {
	visited := map[heed.Stage]bool{heed.StageReported: true}
	for _, ev := range events {
		if ev.Kind == heed.EventTransition {
			visited[heed.Stage(ev.To)] = true
		}
	}
	var steps []stageStep
	for i, st := range heed.Stages() {
		step := stageStep{Stage: st, N: i + 1, Skippable: st.Skippable(), State: "todo"}
		switch {
		case st == at && at == heed.StageClosed:
			step.State = "done"
		case st == at:
			step.State = "current"
		case i < at.Index() && visited[st]:
			step.State = "done"
		case i < at.Index():
			step.State = "skipped"
		}
		steps = append(steps, step)
	}
	return steps
}

// moves lists the stages a case may go to: forward first (the next one
// chosen unless want names another), then back.
func moves(from heed.Stage, want string) []stageOption {
	var fwd, back []stageOption
	next := heed.Stage(want)
	if want == "" && from.Index()+1 < len(heed.Stages()) {
		next = heed.Stages()[from.Index()+1]
	}
	for _, st := range heed.Stages() {
		if !heed.CanMove(from, st) {
			continue
		}
		o := stageOption{Stage: st, Label: stageLabel(st), Selected: st == next}
		if st.Index() < from.Index() {
			o.Back, o.Label = true, "Back to "+stageLabel(st)+" (say why)"
			back = append(back, o)
		} else {
			fwd = append(fwd, o)
		}
	}
	return append(fwd, back...)
}

// eventText says in words what a timeline event did.
func eventText(ev heed.CaseEvent) string {
	switch ev.Kind {
	case heed.EventOpened:
		return "Case opened"
	case heed.EventTransition:
		from, to := heed.Stage(ev.From), heed.Stage(ev.To)
		if to.Index() < from.Index() {
			return "Moved back from " + stageLabel(from) + " to " + stageLabel(to)
		}
		return "Moved from " + stageLabel(from) + " to " + stageLabel(to)
	case heed.EventCall:
		return "Called the customer: " + outcomeLabel(ev.Outcome)
	case heed.EventRedirect:
		return "Handed over from " + cmp.Or(ev.From, "nobody") + " to " + ev.To
	case heed.EventEscalated:
		return "Escalated to " + ev.To
	case heed.EventFeedback:
		return "The customer answered"
	case heed.EventChanged:
		return "Set " + ev.To
	case heed.EventNote:
		return "Note"
	}
	return string(ev.Kind)
}
