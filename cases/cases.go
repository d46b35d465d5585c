package cases

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// Get returns a case p may see.
func (s *Service) Get(ctx context.Context, p heed.Principal, id int64) (heed.Case, error) {
	if err := requireReader(p); err != nil {
		return heed.Case{}, err
	}
	return s.store.GetCase(ctx, p.Scope(), id)
}

// Filter narrows List, as the API's query parameters do.
type Filter struct {
	Owner     string     // "me" or an employee's email
	Escalated string     // "me" or an email: cases escalated to them
	Customer  string     // external id
	Unit      string     // subtree of this unit key
	Stage     heed.Stage // only this stage
	Open      bool       // only cases not closed
	Late      bool       // only cases late now (see heed.Case.Late)
	Limit     int
	BeforeID  int64
}

// List returns the cases p may see that f selects, newest first.
func (s *Service) List(ctx context.Context, p heed.Principal, f Filter) ([]heed.Case, error) {
	if err := requireReader(p); err != nil {
		return nil, err
	}
	if f.Stage != "" && !f.Stage.Valid() {
		return nil, heed.FieldErrorf(heed.EInvalid, "stage", "unknown stage %q", f.Stage)
	}
	sf := heed.CaseFilter{Unit: f.Unit, Stage: f.Stage, Open: f.Open, Limit: f.Limit, BeforeID: f.BeforeID}
	if f.Late {
		sf.LateAt = s.now()
	}
	var err error
	if sf.OwnerID, err = s.employeeID(ctx, p, "owner", f.Owner); err != nil {
		return nil, err
	}
	if sf.EscalatedTo, err = s.employeeID(ctx, p, "escalated", f.Escalated); err != nil {
		return nil, err
	}
	if f.Customer != "" {
		c, err := s.store.GetCustomer(ctx, p.Scope(), f.Customer)
		if heed.IsNotFound(err) {
			return []heed.Case{}, nil
		}
		if err != nil {
			return nil, err
		}
		sf.CustomerID = c.ID
	}
	return s.store.ListCases(ctx, p.Scope(), sf)
}

// employeeID resolves "me" or an email to an employee id; "" is 0.
func (s *Service) employeeID(ctx context.Context, p heed.Principal, field, who string) (int64, error) {
	switch who {
	case "":
		return 0, nil
	case "me":
		if p.EmployeeID == 0 {
			return 0, heed.FieldErrorf(heed.EInvalid, field, "%s=me needs a signed-in employee (or a token that acts as one)", field)
		}
		return p.EmployeeID, nil
	}
	e, err := s.store.GetEmployee(ctx, heed.NormEmail(who))
	return e.ID, fieldOf(err, field)
}

// Timeline is a case's events, oldest first.
func (s *Service) Timeline(ctx context.Context, p heed.Principal, id int64) ([]heed.CaseEvent, error) {
	if _, err := s.Get(ctx, p, id); err != nil {
		return nil, err
	}
	return s.store.ListCaseEvents(ctx, id)
}

// change applies fn to the case inside a transaction and writes it with
// the event fn returns; fn may queue more (webhooks, jobs) in q. The
// version the caller saw, when given, must still be the case's.
func (s *Service) change(ctx context.Context, p heed.Principal, id int64, version int,
	fn func(q heed.Queries, c *heed.Case, now time.Time) (heed.CaseEvent, error)) (heed.Case, error) {
	if err := requireWorker(p); err != nil {
		return heed.Case{}, err
	}
	var out heed.Case
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		c, err := q.GetCase(ctx, p.Scope(), id)
		if err != nil {
			return err
		}
		if version != 0 && version != c.Version {
			return heed.FieldErrorf(heed.EConflict, "version", "case %d was changed by someone else (version %d, you had %d); reload it", id, c.Version, version)
		}
		now := s.now()
		ev, err := fn(q, &c, now)
		if err != nil {
			return err
		}
		ev.CaseID, ev.At, ev.Actor = id, now, p.Name
		if out, err = q.UpdateCase(ctx, c, ev, now); err != nil {
			return err
		}
		event := heed.EventCaseUpdated
		if out.Stage == heed.StageClosed && ev.Kind == heed.EventTransition {
			event = heed.EventCaseClosed
		}
		return s.emit(ctx, q, event, id, caseData(out, nil), now)
	})
	return out, err
}

// Transition moves a case to another stage (see heed.CanMove); going back
// needs a note. Entering follow_up counts as the first contact; closing
// schedules the verification re-survey.
func (s *Service) Transition(ctx context.Context, p heed.Principal, id int64, to heed.Stage, note string, version int) (heed.Case, error) {
	note = strings.TrimSpace(note)
	return s.change(ctx, p, id, version, func(q heed.Queries, c *heed.Case, now time.Time) (heed.CaseEvent, error) {
		ev := heed.CaseEvent{Kind: heed.EventTransition, From: string(c.Stage), To: string(to), Note: note}
		if err := checkMove(c.Stage, to, note); err != nil {
			return ev, err
		}
		back := to.Index() < c.Stage.Index()
		if c.Stage == heed.StageClosed && back { // reopened: the re-survey is off
			c.ClosedAt, c.ResurveyAt = nil, nil
		}
		c.Stage = to
		if to.Index() >= heed.StageFollowUp.Index() && c.FirstContactAt == nil {
			c.FirstContactAt = &now
		}
		if to == heed.StageClosed {
			return ev, s.close(ctx, q, c, now)
		}
		return ev, nil
	})
}

// checkMove explains why a case cannot move, or returns nil.
func checkMove(from, to heed.Stage, note string) error {
	switch {
	case !to.Valid():
		return heed.FieldErrorf(heed.EInvalid, "to", "unknown stage %q; one of %s", to, stageList())
	case from == to:
		return heed.FieldErrorf(heed.EInvalid, "to", "the case is at %s already", to)
	case !heed.CanMove(from, to):
		if st, ok := heed.Blocker(from, to); ok {
			return heed.FieldErrorf(heed.EInvalid, "to", "cannot move from %s to %s: %s cannot be skipped", from, to, st)
		}
		return heed.FieldErrorf(heed.EInvalid, "to", "cannot move from %s to %s", from, to)
	case to.Index() < from.Index() && note == "":
		return heed.FieldErrorf(heed.EInvalid, "note", "say why the case goes back from %s to %s", from, to)
	}
	return nil
}

func stageList() string {
	var names []string
	for _, st := range heed.Stages() {
		names = append(names, string(st))
	}
	return strings.Join(names, ", ")
}

// close records the closing and queues the verification re-survey.
func (s *Service) close(ctx context.Context, q heed.Queries, c *heed.Case, now time.Time) error {
	c.ClosedAt = &now
	l, err := programLevels(ctx, q, c.ProgramID)
	if err != nil {
		return err
	}
	at := now.AddDate(0, 0, l.ResurveyDays)
	c.ResurveyAt = &at
	_, err = jobs.Enqueue(ctx, q, ResurveyJob, resurveyPayload{Case: c.ID, ClosedAt: now}, now, jobs.RunAt(at))
	return err
}

// LogCall records a call to the customer. A call that reached them is the
// first contact if there was none.
func (s *Service) LogCall(ctx context.Context, p heed.Principal, id int64, outcome heed.CallOutcome, note string) (heed.Case, error) {
	if !outcome.Valid() {
		return heed.Case{}, heed.FieldErrorf(heed.EInvalid, "outcome", "outcome %q must be reached, no_answer or call_back_later", outcome)
	}
	return s.change(ctx, p, id, 0, func(q heed.Queries, c *heed.Case, now time.Time) (heed.CaseEvent, error) {
		if outcome == heed.CallReached && c.FirstContactAt == nil {
			c.FirstContactAt = &now
		}
		return heed.CaseEvent{Kind: heed.EventCall, Outcome: outcome, Note: strings.TrimSpace(note)}, nil
	})
}

// Calls is a case's call log, oldest first.
func (s *Service) Calls(ctx context.Context, p heed.Principal, id int64) ([]heed.CaseEvent, error) {
	evs, err := s.Timeline(ctx, p, id)
	calls := []heed.CaseEvent{}
	for _, e := range evs {
		if e.Kind == heed.EventCall {
			calls = append(calls, e)
		}
	}
	return calls, err
}

// Change sets what an employee decides about a case; nil fields stay.
type Change struct {
	Title              *string            `json:"title,omitempty"`
	CustomerKind       *heed.CustomerKind `json:"customer_kind,omitempty"`
	ResponseType       *heed.ResponseType `json:"response_type,omitempty"`
	RootCause          *string            `json:"root_cause,omitempty"`
	PreventiveActionID *int64             `json:"preventive_action_id,omitempty"`
	Note               string             `json:"note,omitempty"`
	Version            int                `json:"version,omitempty"`
}

// Update applies a Change. A redirect is not set here but with Redirect,
// which needs someone to hand the case to.
func (s *Service) Update(ctx context.Context, p heed.Principal, id int64, ch Change) (heed.Case, error) {
	return s.change(ctx, p, id, ch.Version, func(q heed.Queries, c *heed.Case, now time.Time) (heed.CaseEvent, error) {
		var said []string
		if ch.Title != nil {
			t := strings.TrimSpace(*ch.Title)
			if t == "" || heed.TextProblem(t) != "" || len(t) > 300 {
				return heed.CaseEvent{}, heed.FieldErrorf(heed.EInvalid, "title", "a title is 1–300 characters of text")
			}
			c.Title, said = t, append(said, "title")
		}
		if ch.CustomerKind != nil {
			if !ch.CustomerKind.Valid() {
				return heed.CaseEvent{}, heed.FieldErrorf(heed.EInvalid, "customer_kind", "customer kind %q must be lost, geek, empathizer or regular", *ch.CustomerKind)
			}
			c.CustomerKind, said = *ch.CustomerKind, append(said, "customer kind "+orUnset(string(*ch.CustomerKind)))
		}
		if ch.ResponseType != nil {
			switch t := *ch.ResponseType; {
			case !t.Valid():
				return heed.CaseEvent{}, heed.FieldErrorf(heed.EInvalid, "response_type", "response type %q must be solution, advisory or redirect", t)
			case t == heed.ResponseRedirect:
				return heed.CaseEvent{}, heed.FieldErrorf(heed.EInvalid, "response_type", "a redirect names who takes the case over: use redirect")
			}
			c.ResponseType, said = *ch.ResponseType, append(said, "response type "+orUnset(string(*ch.ResponseType)))
		}
		if ch.RootCause != nil {
			if err := s.checkRootCause(ctx, q, *ch.RootCause); err != nil {
				return heed.CaseEvent{}, err
			}
			c.RootCause, said = *ch.RootCause, append(said, "root cause "+orUnset(*ch.RootCause))
		}
		if ch.PreventiveActionID != nil {
			if id := *ch.PreventiveActionID; id != 0 {
				if _, err := q.GetPreventiveAction(ctx, id); err != nil {
					return heed.CaseEvent{}, fieldOf(err, "preventive_action_id")
				}
			}
			c.PreventiveActionID, said = *ch.PreventiveActionID, append(said, fmt.Sprintf("preventive action %d", *ch.PreventiveActionID))
		}
		ev := heed.CaseEvent{Kind: heed.EventChanged, Note: strings.TrimSpace(ch.Note)}
		if len(said) == 0 {
			if ev.Note == "" {
				return ev, heed.Errorf(heed.EInvalid, "nothing to change")
			}
			ev.Kind = heed.EventNote
		} else {
			ev.To = strings.Join(said, "; ")
		}
		return ev, nil
	})
}

func orUnset(s string) string { return cmp.Or(s, "unset") }

func (s *Service) checkRootCause(ctx context.Context, q heed.Queries, key string) error {
	if key == "" {
		return nil
	}
	rcs, err := q.ListRootCauses(ctx)
	if err != nil {
		return err
	}
	var keys []string
	for _, rc := range rcs {
		if rc.Key == key && rc.Active {
			return nil
		}
		if rc.Active {
			keys = append(keys, rc.Key)
		}
	}
	return heed.FieldErrorf(heed.EInvalid, "root_cause", "unknown root cause %q; one of %s (admins edit the list)", key, strings.Join(keys, ", "))
}

// RedirectTo names who takes a case over: an employee, or a unit whose
// responsible employee (or the first one up the tree) will own it.
type RedirectTo struct {
	Owner string `json:"owner,omitempty"` // employee email
	Unit  string `json:"unit,omitempty"`  // unit key
	Note  string `json:"note"`
}

// Redirect hands a case to another employee or unit, with a note; the new
// owner is emailed.
func (s *Service) Redirect(ctx context.Context, p heed.Principal, id int64, to RedirectTo) (heed.Case, error) {
	note := strings.TrimSpace(to.Note)
	if note == "" {
		return heed.Case{}, heed.FieldErrorf(heed.EInvalid, "note", "say why the case is handed over, for whoever takes it")
	}
	if to.Owner == "" && to.Unit == "" {
		return heed.Case{}, heed.FieldErrorf(heed.EInvalid, "owner", "name the employee (owner) or the unit that takes the case over")
	}
	return s.change(ctx, p, id, 0, func(q heed.Queries, c *heed.Case, now time.Time) (heed.CaseEvent, error) {
		from := cmp.Or(c.Owner, c.Unit)
		owner, unit, err := redirectTarget(ctx, q, to)
		if err != nil {
			return heed.CaseEvent{}, err
		}
		c.OwnerID, c.UnitID, c.ResponseType = owner.ID, unit.ID, heed.ResponseRedirect
		target := cmp.Or(owner.Email, unit.Key)
		if owner.ID != 0 {
			pl := emailPayload{Kind: emailRedirect, To: owner.ID, Case: c.ID, Response: c.ResponseID, Note: note, By: p.Name}
			if _, err := jobs.Enqueue(ctx, q, EmailJob, pl, now); err != nil {
				return heed.CaseEvent{}, err
			}
		}
		return heed.CaseEvent{Kind: heed.EventRedirect, From: from, To: target, Note: note}, nil
	})
}

// redirectTarget resolves who and which unit a redirect names.
func redirectTarget(ctx context.Context, q heed.Queries, to RedirectTo) (heed.Employee, heed.Unit, error) {
	var owner heed.Employee
	var unit heed.Unit
	var err error
	if to.Owner != "" {
		if owner, err = q.GetEmployee(ctx, heed.NormEmail(to.Owner)); err != nil {
			return owner, unit, fieldOf(err, "owner")
		}
	}
	key := cmp.Or(to.Unit, owner.Unit)
	if key == "" {
		return owner, unit, heed.FieldErrorf(heed.EInvalid, "unit", "%s belongs to no unit; name the unit the case moves to", owner.Email)
	}
	if unit, err = q.GetUnit(ctx, key); err != nil {
		return owner, unit, fieldOf(err, "unit")
	}
	if owner.ID == 0 {
		chain, err := responsibleChain(ctx, q, unit.ID, 0, 1)
		if err != nil {
			return owner, unit, err
		}
		if len(chain) == 0 {
			return owner, unit, heed.FieldErrorf(heed.EInvalid, "unit", "nobody is responsible for %s or any unit above it; name an employee", unit.Key)
		}
		owner = chain[0]
	}
	return owner, unit, nil
}
