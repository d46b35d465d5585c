package sqlstore

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// CaseSelect reads a case with what readers are shown of it: its
// customer's external id and name, its unit's key and path, its owner's
// email and name, the key of the rule that opened it ("" when none, or
// when that rule was deleted since) and the email of whom it is escalated
// to, in the columns of the engines' scanCase. Callers append WHERE over
// c (the case) and u (its unit), whose columns CaseScope names.
const CaseSelect = `SELECT c.id, c.customer_id, cu.external_id, cu.name, c.unit_id, u.key, u.path,
	COALESCE(c.owner_id, 0), COALESCE(o.email, ''), COALESCE(o.name, ''), COALESCE(c.response_id, 0),
	COALESCE(c.feedback_id, 0), COALESCE(c.rule_id, 0), COALESCE(r.key, ''), COALESCE(c.program_id, 0), c.title, c.stage, c.score_before,
	c.category_before, c.score_after, c.category_after, c.customer_kind, c.response_type, c.root_cause,
	COALESCE(c.preventive_action_id, 0), c.first_contact_due, c.resolve_due, c.first_contact_at, c.closed_at,
	c.escalation_level, COALESCE(c.escalated_to_id, 0), COALESCE(x.email, ''), c.escalated_at, c.resurvey_at,
	COALESCE(c.resurvey_invitation_id, 0), c.version, c.created_at, c.updated_at
	FROM cases c JOIN customers cu ON cu.id = c.customer_id JOIN units u ON u.id = c.unit_id
	LEFT JOIN employees o ON o.id = c.owner_id LEFT JOIN rules r ON r.id = c.rule_id
	LEFT JOIN employees x ON x.id = c.escalated_to_id`

// CaseScope names the columns a scope checks over c and u: the case's
// unit, or its owner (not the customer's: a frontline employee sees the
// cases handed to them, wherever the customer belongs).
func CaseScope() ScopeColumns {
	return ScopeColumns{UnitID: "c.unit_id", UnitPath: "u.path", OwnerID: "c.owner_id"}
}

// CaseOpen is the condition of a case not closed, over the cases table
// under alias. Every query asking for open cases says it in these words,
// which are also those of the partial index cases_open.
func CaseOpen(alias string) string { return alias + ".stage <> 'closed'" }

// NewCase checks a case about to be created and fills in its default
// stage, reported.
func NewCase(c heed.Case) (heed.Case, error) {
	if c.Stage == "" {
		c.Stage = heed.StageReported
	}
	if c.CustomerID == 0 {
		return heed.Case{}, heed.FieldErrorf(heed.EInvalid, "customer", "a case needs a customer")
	}
	return c, CheckCase(c)
}

// CheckCase refuses a case the stores cannot hold as it is: without a
// unit, with a stage, customer kind, response type or score category heed
// does not know, or with text PostgreSQL cannot store. Both stores check
// here, so a case is refused alike on either engine.
func CheckCase(c heed.Case) error {
	switch {
	case c.UnitID == 0:
		return heed.FieldErrorf(heed.EInvalid, "unit", "a case needs a unit")
	case !c.Stage.Valid():
		return heed.FieldErrorf(heed.EInvalid, "stage", "unknown stage %q", c.Stage)
	case !c.CustomerKind.Valid():
		return heed.FieldErrorf(heed.EInvalid, "customer_kind", "unknown customer kind %q", c.CustomerKind)
	case !c.ResponseType.Valid():
		return heed.FieldErrorf(heed.EInvalid, "response_type", "unknown response type %q", c.ResponseType)
	case !validCategory(c.CategoryBefore):
		return heed.FieldErrorf(heed.EInvalid, "category_before", "unknown category %q", c.CategoryBefore)
	case !validCategory(c.CategoryAfter):
		return heed.FieldErrorf(heed.EInvalid, "category_after", "unknown category %q", c.CategoryAfter)
	case c.EscalationLevel < 0:
		return heed.FieldErrorf(heed.EInvalid, "escalation_level", "the escalation level cannot be negative")
	}
	return CheckText("title", c.Title, "root_cause", c.RootCause)
}

// validCategory: a preventive action's recovered count compares these
// words, so no other may be stored.
func validCategory(c string) bool {
	return c == "" || c == "detractor" || c == "passive" || c == "promoter"
}

// column is one column a write sets and its value.
type column struct {
	name string
	val  any
}

// caseChanges are the columns an update rewrites, with c's values: all
// but the customer, the response that opened the case, the rule, the
// program and the times of creation. The score before changes when the
// respondent corrects the answer that opened the case. timeArg is the
// engine's encoding of a time.
func caseChanges(c heed.Case, timeArg func(time.Time) any) []column {
	return []column{
		{"owner_id", NullID(c.OwnerID)}, {"unit_id", c.UnitID}, {"stage", string(c.Stage)}, {"title", c.Title},
		{"score_before", nullInt(c.ScoreBefore)}, {"category_before", c.CategoryBefore},
		{"score_after", nullInt(c.ScoreAfter)}, {"category_after", c.CategoryAfter},
		{"customer_kind", string(c.CustomerKind)}, {"response_type", string(c.ResponseType)},
		{"root_cause", c.RootCause}, {"preventive_action_id", NullID(c.PreventiveActionID)},
		{"first_contact_due", timeArg(c.FirstContactDue)}, {"resolve_due", timeArg(c.ResolveDue)},
		{"first_contact_at", NullTime(c.FirstContactAt, timeArg)}, {"closed_at", NullTime(c.ClosedAt, timeArg)},
		{"escalation_level", c.EscalationLevel}, {"escalated_to_id", NullID(c.EscalatedToID)},
		{"escalated_at", NullTime(c.EscalatedAt, timeArg)}, {"resurvey_at", NullTime(c.ResurveyAt, timeArg)},
		{"resurvey_invitation_id", NullID(c.ResurveyInvitationID)},
	}
}

// InsertCaseSQL is the statement that stores a new case c, checked by
// NewCase, at version 1 and created at now, returning its id; arguments
// are added to a.
func InsertCaseSQL(c heed.Case, now time.Time, a *Args, timeArg func(time.Time) any) string {
	cols := append([]column{
		{"customer_id", c.CustomerID}, {"response_id", NullID(c.ResponseID)}, {"feedback_id", NullID(c.FeedbackID)},
		{"rule_id", NullID(c.RuleID)},
		{"program_id", NullID(c.ProgramID)}, {"version", 1}, {"created_at", timeArg(now)},
		{"updated_at", timeArg(now)},
	}, caseChanges(c, timeArg)...)
	names, marks := make([]string, len(cols)), make([]string, len(cols))
	for i, col := range cols {
		names[i], marks[i] = col.name, a.Add(col.val)
	}
	return `INSERT INTO cases (` + strings.Join(names, ", ") + `) VALUES (` + strings.Join(marks, ", ") +
		`) RETURNING id`
}

// UpdateCaseSQL is the statement that rewrites what may change of the
// case c.ID (see caseChanges), checked by CheckCase, if its stored
// version is still c.Version: it updates no row when the case is gone or
// someone else changed it first (see CaseNotUpdated).
func UpdateCaseSQL(c heed.Case, now time.Time, a *Args, timeArg func(time.Time) any) string {
	var sets []string
	for _, col := range caseChanges(c, timeArg) {
		sets = append(sets, col.name+" = "+a.Add(col.val))
	}
	sets = append(sets, "version = version + 1", "updated_at = "+a.Add(timeArg(now)))
	return `UPDATE cases SET ` + strings.Join(sets, ", ") + ` WHERE id = ` + a.Add(c.ID) +
		` AND version = ` + a.Add(c.Version)
}

// CaseNotUpdated is the error for an update of a case that updated no
// row: the case does not exist, or (exists) its version moved on.
func CaseNotUpdated(exists bool) error {
	if !exists {
		return CaseNotFound()
	}
	return heed.FieldErrorf(heed.EConflict, "version", "the case was changed by someone else; reload it")
}

// CaseNotFound is the error for a case that does not exist or that the
// reader may not see.
func CaseNotFound() error { return heed.Errorf(heed.ENotFound, "no such case") }

// CaseReferenceMissing is the error for a case write naming a customer,
// unit, employee, response, program, preventive action or invitation id
// that does not exist (a foreign key violation; neither engine says
// which alike).
func CaseReferenceMissing() error {
	return heed.Errorf(heed.ENotFound,
		"the case refers to a customer, unit, employee, response, program, preventive action or invitation that does not exist")
}

// CaseWhere is the condition of a case list: the scope (see CaseScope),
// f's unit subtree (ENotFound on field "unit" for an unknown key) and
// filters, arguments added to a; times go through timeArg, the engine's
// encoding.
func CaseWhere(ctx context.Context, s heed.Scope, f heed.CaseFilter, a *Args, unitPath PathLookup,
	timeArg func(time.Time) any) (string, error) {
	if f.Stage != "" && !f.Stage.Valid() {
		return "", heed.FieldErrorf(heed.EInvalid, "stage", "unknown stage %q", f.Stage)
	}
	where, err := ListWhere(ctx, s, f.Unit, a, CaseScope(), unitPath)
	if err != nil {
		return "", err
	}
	conds := []string{where}
	add := func(cond string, v any) { conds = append(conds, cond+a.Add(v)) }
	if f.OwnerID != 0 {
		add("c.owner_id = ", f.OwnerID)
	}
	if f.EscalatedTo != 0 {
		add("c.escalated_to_id = ", f.EscalatedTo)
	}
	if f.CustomerID != 0 {
		add("c.customer_id = ", f.CustomerID)
	}
	if f.Stage != "" {
		add("c.stage = ", string(f.Stage))
	}
	if f.Open {
		conds = append(conds, CaseOpen("c"))
	}
	if !f.LateAt.IsZero() {
		conds = append(conds, caseLate(f.LateAt, a, timeArg))
	}
	if f.PreventiveActionID != 0 {
		add("c.preventive_action_id = ", f.PreventiveActionID)
	}
	if f.BeforeID > 0 {
		add("c.id < ", f.BeforeID)
	}
	return strings.Join(conds, " AND "), nil
}

// caseLate is the condition over c of a case late at (see
// heed.Case.Late): open, and either not contacted by its first-contact due
// time or past its resolution due time. Stored times are whole
// microseconds, so "due before at" is "due before at rounded up to the
// microsecond": a time between two microseconds finds late what
// Case.Late does.
func caseLate(at time.Time, a *Args, timeArg func(time.Time) any) string {
	if up := at.Truncate(time.Microsecond); !up.Equal(at) {
		at = up.Add(time.Microsecond)
	}
	firstDue := "c.first_contact_due < " + a.Add(timeArg(at))
	resolveDue := "c.resolve_due < " + a.Add(timeArg(at))
	return "(" + CaseOpen("c") + " AND ((c.first_contact_at IS NULL AND " + firstDue + ") OR " + resolveDue + "))"
}

// CaseFactsSQL is the statement of ListCaseFacts: the facts of the cases
// inside s that f selects, by id, in the columns of the engines'
// scanCaseFact; times go through timeArg, the engine's encoding.
func CaseFactsSQL(s heed.Scope, f heed.CaseFactFilter, a *Args, timeArg func(time.Time) any) string {
	conds := []string{ScopeWhere(s, a, CaseScope())}
	if f.UnitPath != "" {
		conds = append(conds, subtreeWhere(f.UnitPath, a, "u.path"))
	}
	if !f.From.IsZero() {
		conds = append(conds, "c.created_at >= "+a.Add(timeArg(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "c.created_at < "+a.Add(timeArg(f.To)))
	}
	if f.Open {
		conds = append(conds, CaseOpen("c"))
	}
	if !f.ClosedFrom.IsZero() {
		conds = append(conds, "c.closed_at >= "+a.Add(timeArg(f.ClosedFrom)))
	}
	if !f.ClosedTo.IsZero() {
		conds = append(conds, "c.closed_at < "+a.Add(timeArg(f.ClosedTo)))
	}
	return `SELECT c.id, c.unit_id, c.customer_id, c.stage, c.category_before, c.category_after, c.created_at,
	c.first_contact_due, c.first_contact_at, c.closed_at, c.resolve_due, c.escalation_level
	FROM cases c JOIN units u ON u.id = c.unit_id
	WHERE ` + strings.Join(conds, " AND ") + ` ORDER BY c.id`
}

// CaseEventRow checks ev and settles what is stored of it: its time (now
// when it has none; AddCaseEvent has no now, so there the event must
// bring its own), UTC to the microsecond as read back, and its data as
// compact JSON, "" (and Data nil) for none.
func CaseEventRow(ev heed.CaseEvent, now time.Time) (heed.CaseEvent, string, error) {
	if ev.At.IsZero() {
		ev.At = now
	}
	switch {
	case ev.Kind == "":
		return heed.CaseEvent{}, "", heed.FieldErrorf(heed.EInvalid, "kind", "a case event needs a kind")
	case ev.Outcome != "" && !ev.Outcome.Valid():
		return heed.CaseEvent{}, "", heed.FieldErrorf(heed.EInvalid, "outcome", "unknown call outcome %q", ev.Outcome)
	case ev.At.IsZero():
		return heed.CaseEvent{}, "", heed.FieldErrorf(heed.EInvalid, "at", "a case event needs its time")
	}
	// Data too: JSON may hold invalid UTF-8 inside its strings, which
	// PostgreSQL's text refuses and SQLite would keep.
	if err := CheckText("kind", string(ev.Kind), "actor", ev.Actor, "from", ev.From, "to", ev.To,
		"note", ev.Note, "data", string(ev.Data)); err != nil {
		return heed.CaseEvent{}, "", err
	}
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	if len(bytes.TrimSpace(ev.Data)) == 0 {
		ev.Data = nil
		return ev, "", nil
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, ev.Data); err != nil {
		return heed.CaseEvent{}, "", heed.FieldErrorf(heed.EInvalid, "data", "case event data is not valid JSON")
	}
	ev.Data = json.RawMessage(buf.String())
	return ev, buf.String(), nil
}

// InsertCaseEventSQL is the statement that appends ev, settled by
// CaseEventRow with data its stored data, returning its id.
func InsertCaseEventSQL(ev heed.CaseEvent, data string, a *Args, timeArg func(time.Time) any) string {
	return `INSERT INTO case_events (case_id, kind, actor, from_value, to_value, outcome, response_id, note, data, at)
	VALUES (` + strings.Join([]string{a.Add(ev.CaseID), a.Add(string(ev.Kind)), a.Add(ev.Actor), a.Add(ev.From),
		a.Add(ev.To), a.Add(string(ev.Outcome)), a.Add(NullID(ev.ResponseID)), a.Add(ev.Note), a.Add(data),
		a.Add(timeArg(ev.At))}, ", ") + `) RETURNING id`
}

// CaseEventSelect reads events in the columns of the engines'
// scanCaseEvent.
const CaseEventSelect = `SELECT id, case_id, kind, actor, from_value, to_value, outcome, COALESCE(response_id, 0),
	note, data, at FROM case_events`

// DecodeCaseEventData is Data as read back: nil for none.
func DecodeCaseEventData(data string) json.RawMessage {
	if data == "" {
		return nil
	}
	return json.RawMessage(data)
}

// CheckRootCause refuses a root cause without a key or a name.
func CheckRootCause(rc heed.RootCause) error {
	switch {
	case strings.TrimSpace(rc.Key) == "":
		return heed.FieldErrorf(heed.EInvalid, "key", "a root cause needs a key")
	case strings.TrimSpace(rc.Name) == "":
		return heed.FieldErrorf(heed.EInvalid, "name", "a root cause needs a name")
	}
	return CheckText("key", rc.Key, "name", rc.Name)
}

// PreventiveActionSelect reads preventive actions with their owner's
// email and the counts of the cases linked to them, in the columns of the
// engines' scanPreventiveAction; callers append WHERE over a. Each count
// is one probe of the cases_preventive_action index.
const PreventiveActionSelect = `SELECT a.id, a.title, a.description, COALESCE(a.owner_id, 0), COALESCE(e.email, ''),
	a.due, a.status,
	(SELECT COUNT(*) FROM cases c WHERE c.preventive_action_id = a.id),
	(SELECT COUNT(DISTINCT c.customer_id) FROM cases c WHERE c.preventive_action_id = a.id),
	(SELECT COUNT(c.score_after) FROM cases c WHERE c.preventive_action_id = a.id),
	(SELECT COUNT(*) FROM cases c WHERE c.preventive_action_id = a.id
		AND c.category_before = 'detractor' AND c.category_after IN ('passive', 'promoter')),
	a.created_at, a.updated_at
	FROM preventive_actions a LEFT JOIN employees e ON e.id = a.owner_id`

// CheckPreventiveAction checks a preventive action about to be written
// and fills in its default status, open.
func CheckPreventiveAction(a heed.PreventiveAction) (heed.PreventiveAction, error) {
	if a.Status == "" {
		a.Status = heed.ActionOpen
	}
	switch {
	case strings.TrimSpace(a.Title) == "":
		return heed.PreventiveAction{}, heed.FieldErrorf(heed.EInvalid, "title", "a preventive action needs a title")
	case !a.Status.Valid():
		return heed.PreventiveAction{}, heed.FieldErrorf(heed.EInvalid, "status", "unknown status %q", a.Status)
	}
	return a, CheckText("title", a.Title, "description", a.Description)
}

// PreventiveActionNotFound is the error for an id that names no
// preventive action.
func PreventiveActionNotFound() error {
	return heed.Errorf(heed.ENotFound, "no such preventive action")
}

// ActionOwnerNotFound is the error for a preventive action whose owner
// id names no employee (its only foreign key).
func ActionOwnerNotFound(id int64) error {
	return heed.FieldErrorf(heed.ENotFound, "owner", "no employee with id %d", id)
}

// NullID stores 0 as NULL, for optional foreign keys.
func NullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullInt stores nil as NULL.
func nullInt(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// NullTime stores nil as NULL, else as timeArg encodes it.
func NullTime(t *time.Time, timeArg func(time.Time) any) any {
	if t == nil {
		return nil
	}
	return timeArg(*t)
}
