package heed

import (
	"encoding/json"
	"slices"
	"time"
)

// Stage is a step of the nine a case moves through: the issue is reported,
// investigated, corrected, the customer followed up, the root cause found,
// a preventive action taken, the customer followed up again, the effect
// verified, and the case closed.
type Stage string

const (
	StageReported         Stage = "reported"
	StageInvestigating    Stage = "investigating"
	StageCorrectiveAction Stage = "corrective_action"
	StageFollowUp         Stage = "follow_up"
	StageRootCause        Stage = "root_cause"
	StagePreventiveAction Stage = "preventive_action"
	StageFollowUp2        Stage = "follow_up_2"
	StageVerification     Stage = "verification"
	StageClosed           Stage = "closed"
)

// Stages lists the stages in their order (a new slice each call).
func Stages() []Stage {
	return []Stage{StageReported, StageInvestigating, StageCorrectiveAction, StageFollowUp,
		StageRootCause, StagePreventiveAction, StageFollowUp2, StageVerification, StageClosed}
}

// Valid reports whether s is one of Stages.
func (s Stage) Valid() bool { return slices.Contains(Stages(), s) }

// Index is s's place in Stages, -1 when s is not valid.
func (s Stage) Index() int { return slices.Index(Stages(), s) }

// Skippable reports whether a case may move past s without stopping at
// it. Only reported (where every case starts), the first customer
// follow-up (nobody closes a case without talking to the customer) and
// closed may not be skipped: a misunderstanding needs no corrective or
// preventive action, a one-off needs no root cause, and a case without a
// preventive action needs no second follow-up or verification.
func (s Stage) Skippable() bool {
	return s != StageReported && s != StageFollowUp && s != StageClosed
}

// CanMove reports whether a case may go from one stage to another:
// forward past skippable stages only, or back to any earlier stage (a
// reopened case, which needs a note).
func CanMove(from, to Stage) bool {
	if from.Index() < 0 || to.Index() < 0 || from == to {
		return false
	}
	_, blocked := Blocker(from, to)
	return !blocked
}

// Blocker is the first stage a forward move from one stage to another
// would skip but may not; ok is false when none is in the way (and for
// moves back, which skip nothing).
func Blocker(from, to Stage) (Stage, bool) {
	i, j := from.Index(), to.Index()
	if i < 0 || j <= i {
		return "", false
	}
	for _, s := range Stages()[i+1 : j] {
		if !s.Skippable() {
			return s, true
		}
	}
	return "", false
}

// CustomerKind is how a customer approaches the business, which decides
// how an employee best talks to them.
type CustomerKind string

const (
	KindUnknown    CustomerKind = ""
	KindLost       CustomerKind = "lost"       // new or confused: needs guidance step by step
	KindGeek       CustomerKind = "geek"       // knows the product in detail: wants facts
	KindEmpathizer CustomerKind = "empathizer" // wants to be heard before being helped
	KindRegular    CustomerKind = "regular"    // comes often: wants it fixed, quickly
)

// CustomerKinds lists the kinds an employee may set.
func CustomerKinds() []CustomerKind {
	return []CustomerKind{KindLost, KindGeek, KindEmpathizer, KindRegular}
}

// Valid reports whether k is one of CustomerKinds or unset.
func (k CustomerKind) Valid() bool { return k == KindUnknown || slices.Contains(CustomerKinds(), k) }

// ResponseType is what the employee did when approached.
type ResponseType string

const (
	ResponseNone     ResponseType = ""
	ResponseSolution ResponseType = "solution" // solved it
	ResponseAdvisory ResponseType = "advisory" // advised the customer
	ResponseRedirect ResponseType = "redirect" // handed the case to someone else
)

// ResponseTypes lists the types an employee may set.
func ResponseTypes() []ResponseType {
	return []ResponseType{ResponseSolution, ResponseAdvisory, ResponseRedirect}
}

// Valid reports whether t is one of ResponseTypes or unset.
func (t ResponseType) Valid() bool { return t == ResponseNone || slices.Contains(ResponseTypes(), t) }

// Case is one customer's issue worked by one owner until it is closed.
// Who may see it follows its unit (and its owner), as for customers.
type Case struct {
	ID           int64  `json:"id"`
	CustomerID   int64  `json:"-"`
	Customer     string `json:"customer"`      // external id
	CustomerName string `json:"customer_name"` // read-only
	UnitID       int64  `json:"-"`
	Unit         string `json:"unit"`  // unit key
	UnitPath     string `json:"-"`     // read-only, for access checks
	OwnerID      int64  `json:"-"`     // 0: nobody owns it (no one responsible up the tree)
	Owner        string `json:"owner"` // owner's email
	OwnerName    string `json:"owner_name"`
	ResponseID   int64  `json:"response_id,omitempty"` // the survey answer that opened it
	FeedbackID   int64  `json:"feedback_id,omitempty"` // or the feedback item (a review, a ticket…)
	RuleID       int64  `json:"-"`
	Rule         string `json:"rule,omitempty"` // key of the rule that opened it
	ProgramID    int64  `json:"-"`              // the program whose service levels apply; 0: defaults
	Title        string `json:"title"`
	Stage        Stage  `json:"stage"`
	// Category of the score that opened the case and of the customer's
	// next score (the verification): detractor, passive or promoter.
	ScoreBefore    *int         `json:"score_before"`
	CategoryBefore string       `json:"category_before"`
	ScoreAfter     *int         `json:"score_after"`
	CategoryAfter  string       `json:"category_after"`
	CustomerKind   CustomerKind `json:"customer_kind"`
	ResponseType   ResponseType `json:"response_type"`
	RootCause      string       `json:"root_cause"` // key of a RootCause; "" unset
	// PreventiveActionID links the case to the process fix it led to.
	PreventiveActionID int64 `json:"preventive_action_id,omitempty"`
	// Service levels, set when the case opens.
	FirstContactDue time.Time  `json:"first_contact_due"`
	ResolveDue      time.Time  `json:"resolve_due"`
	FirstContactAt  *time.Time `json:"first_contact_at,omitempty"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	// Escalation: 0 none, 1 the owner's manager, 2 the next level up.
	EscalationLevel int        `json:"escalation_level"`
	EscalatedToID   int64      `json:"-"`
	EscalatedTo     string     `json:"escalated_to,omitempty"` // email
	EscalatedAt     *time.Time `json:"escalated_at,omitempty"`
	// The re-survey that verifies the fix: when it is due and the
	// invitation it made.
	ResurveyAt           *time.Time `json:"resurvey_at,omitempty"`
	ResurveyInvitationID int64      `json:"resurvey_invitation_id,omitempty"`
	// Version counts changes; an update naming an old version fails with
	// EConflict, so two people (or processes) cannot overwrite each other.
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Open reports whether the case is not closed.
func (c Case) Open() bool { return c.Stage != StageClosed }

// Late reports whether the case has missed a service level at now: no
// contact by its first-contact due time, or still open after its
// resolution due time.
func (c Case) Late(now time.Time) bool {
	if !c.Open() {
		return false
	}
	return (c.FirstContactAt == nil && now.After(c.FirstContactDue)) || now.After(c.ResolveDue)
}

// CaseEventKind says what happened to a case.
type CaseEventKind string

const (
	EventOpened     CaseEventKind = "opened"     // the case was opened
	EventTransition CaseEventKind = "transition" // it moved to another stage
	EventCall       CaseEventKind = "call"       // someone called the customer
	EventRedirect   CaseEventKind = "redirect"   // it was handed to another owner or unit
	EventEscalated  CaseEventKind = "escalated"  // a service level was missed
	EventFeedback   CaseEventKind = "feedback"   // the customer answered again while it was open
	EventChanged    CaseEventKind = "changed"    // a field was set (kind, root cause, …)
	EventNote       CaseEventKind = "note"       // a note, nothing else
)

// CallOutcome is how a call attempt went.
type CallOutcome string

const (
	CallReached      CallOutcome = "reached"
	CallNoAnswer     CallOutcome = "no_answer"
	CallCallBackLate CallOutcome = "call_back_later"
)

// CallOutcomes lists the outcomes of a call.
func CallOutcomes() []CallOutcome { return []CallOutcome{CallReached, CallNoAnswer, CallCallBackLate} }

// Valid reports whether o is one of CallOutcomes.
func (o CallOutcome) Valid() bool { return slices.Contains(CallOutcomes(), o) }

// CaseEvent is one line of a case's timeline: who did what, when, and why.
type CaseEvent struct {
	ID         int64           `json:"id"`
	CaseID     int64           `json:"case_id"`
	Kind       CaseEventKind   `json:"kind"`
	Actor      string          `json:"actor"` // employee email, token name or "system"
	From       string          `json:"from,omitempty"`
	To         string          `json:"to,omitempty"`
	Outcome    CallOutcome     `json:"outcome,omitempty"` // calls
	ResponseID int64           `json:"response_id,omitempty"`
	Note       string          `json:"note,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	At         time.Time       `json:"at"`
}

// CaseFilter narrows ListCases. The zero filter lists every case in
// scope, newest first.
type CaseFilter struct {
	OwnerID     int64  // only this owner's cases
	EscalatedTo int64  // only cases escalated to this employee
	CustomerID  int64  // only this customer's
	Unit        string // subtree of this unit key
	Stage       Stage  // only this stage
	Open        bool   // only cases not closed
	// LateAt, when set, keeps only the cases late at that time (see
	// Case.Late), filtered by the store so paging stays whole.
	LateAt             time.Time
	PreventiveActionID int64
	Limit              int   // 1..1000; 0 means 50
	BeforeID           int64 // newest first: only IDs below it
}

// RootCause is one entry of the editable list of root causes.
type RootCause struct {
	Key    string `json:"key"`
	Name   string `json:"name"`
	Active bool   `json:"active"` // inactive ones stay on old cases but are not offered
}

// ActionStatus is where a preventive action is.
type ActionStatus string

const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionDone       ActionStatus = "done"
)

// Valid reports whether s is a known status.
func (s ActionStatus) Valid() bool {
	return s == ActionOpen || s == ActionInProgress || s == ActionDone
}

// PreventiveAction fixes the process, not only the customer: many cases
// link to one.
type PreventiveAction struct {
	ID          int64        `json:"id"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	OwnerID     int64        `json:"-"`
	Owner       string       `json:"owner"` // email; may be ""
	Due         *time.Time   `json:"due,omitempty"`
	Status      ActionStatus `json:"status"`
	// Read-only, filled on reads: the cases linked, their distinct
	// customers, and how many of those have a verification score and how
	// many of those recovered (passive or promoter after a detractor).
	Cases     int       `json:"cases"`
	Customers int       `json:"customers"`
	Verified  int       `json:"verified"`
	Recovered int       `json:"recovered"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
