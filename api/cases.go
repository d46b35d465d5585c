package api

import (
	"context"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// This file works cases: the list, one case with its history and
// timeline, and what an employee does to it (move it on, log a call, set
// what they decided, hand it over). Who may see or change a case is the
// cases service's to decide.

type listCasesInput struct {
	Owner     string `query:"owner" doc:"Only cases owned by this employee: me (a token that acts as an employee) or an email"`
	Escalated string `query:"escalated" doc:"Only cases escalated to this employee: me or an email"`
	Customer  string `query:"customer" doc:"Only this customer's cases (external id)"`
	Unit      string `query:"unit" doc:"Only this unit and the units below it"`
	Stage     string `query:"stage" enum:"reported,investigating,corrective_action,follow_up,root_cause,preventive_action,follow_up_2,verification,closed" doc:"Only cases at this stage"`
	Open      bool   `query:"open" doc:"Only cases not closed"`
	Late      bool   `query:"late" doc:"Only cases that missed a service level (open, not contacted or not resolved in time)"`
	Limit     int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Cursor    string `query:"cursor" doc:"next_cursor of the previous page"`
}

type casesOutput struct {
	Body struct {
		Cases      []heed.Case `json:"cases"`
		NextCursor string      `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

const caseCursor = "case:"

func (s *server) listCases(ctx context.Context, in *listCasesInput) (*casesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(caseCursor, in.Cursor)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Cases.List(ctx, p, cases.Filter{
		Owner: in.Owner, Escalated: in.Escalated, Customer: in.Customer, Unit: in.Unit,
		Stage: heed.Stage(in.Stage), Open: in.Open, Late: in.Late, Limit: in.Limit, BeforeID: before,
	})
	if err != nil {
		return nil, err
	}
	out := &casesOutput{}
	out.Body.Cases = nonNil(list)
	if len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(caseCursor, list[len(list)-1].ID)
	}
	return out, nil
}

type caseID struct {
	ID int64 `path:"id" doc:"The case's id"`
}

type caseOutput struct {
	Body heed.Case
}

func (s *server) getCase(ctx context.Context, in *caseID) (*caseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Cases.Get(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: c}, nil
}

type caseHistoryOutput struct {
	Body cases.History
}

func (s *server) getCaseHistory(ctx context.Context, in *caseID) (*caseHistoryOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	h, err := s.cfg.Cases.CaseHistory(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	h.Responses, h.Cases, h.Events = nonNil(h.Responses), nonNil(h.Cases), nonNil(h.Events)
	return &caseHistoryOutput{Body: h}, nil
}

type caseEventsOutput struct {
	Body struct {
		Events []heed.CaseEvent `json:"events" doc:"Oldest first"`
	}
}

func (s *server) listCaseEvents(ctx context.Context, in *caseID) (*caseEventsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	evs, err := s.cfg.Cases.Timeline(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	out := &caseEventsOutput{}
	out.Body.Events = nonNil(evs)
	return out, nil
}

type transitionInput struct {
	ID   int64 `path:"id" doc:"The case's id"`
	Body struct {
		To      string `json:"to" enum:"reported,investigating,corrective_action,follow_up,root_cause,preventive_action,follow_up_2,verification,closed" doc:"The stage to move to: forward past stages that may be skipped (not follow_up), or back to any earlier one"`
		Note    string `json:"note,omitempty" doc:"Why; required when the case goes back"`
		Version int    `json:"version,omitempty" doc:"The version you read: if the case changed since, the move is refused (409)"`
	}
}

func (s *server) transitionCase(ctx context.Context, in *transitionInput) (*caseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Cases.Transition(ctx, p, in.ID, heed.Stage(in.Body.To), in.Body.Note, in.Body.Version)
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: c}, nil
}

type logCallInput struct {
	ID   int64 `path:"id" doc:"The case's id"`
	Body struct {
		Outcome string `json:"outcome" enum:"reached,no_answer,call_back_later" doc:"How the call went; one that reached the customer is the first contact if there was none"`
		Note    string `json:"note,omitempty" doc:"What was said"`
	}
}

func (s *server) logCall(ctx context.Context, in *logCallInput) (*caseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Cases.LogCall(ctx, p, in.ID, heed.CallOutcome(in.Body.Outcome), in.Body.Note)
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: c}, nil
}

type caseCallsOutput struct {
	Body struct {
		Calls []heed.CaseEvent `json:"calls" doc:"Oldest first"`
	}
}

func (s *server) listCalls(ctx context.Context, in *caseID) (*caseCallsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	calls, err := s.cfg.Cases.Calls(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	out := &caseCallsOutput{}
	out.Body.Calls = nonNil(calls)
	return out, nil
}

// caseChange is cases.Change as the API documents it; the conversion in
// updateCase stops compiling if the two drift apart.
type caseChange struct {
	Title              *string            `json:"title,omitempty" doc:"1–300 characters"`
	CustomerKind       *heed.CustomerKind `json:"customer_kind,omitempty" doc:"lost, geek, empathizer or regular; \"\" unsets it"`
	ResponseType       *heed.ResponseType `json:"response_type,omitempty" doc:"solution or advisory; \"\" unsets it. A redirect goes through POST /cases/{id}/redirect"`
	RootCause          *string            `json:"root_cause,omitempty" doc:"The key of an active root cause (GET /root-causes); \"\" unsets it"`
	PreventiveActionID *int64             `json:"preventive_action_id,omitempty" doc:"Link the case to this preventive action; 0 unlinks it"`
	Note               string             `json:"note,omitempty" doc:"Why, for the timeline; a note alone is a note"`
	Version            int                `json:"version,omitempty" doc:"The version you read: if the case changed since, the change is refused (409)"`
}

type updateCaseInput struct {
	ID   int64 `path:"id" doc:"The case's id"`
	Body caseChange
}

func (s *server) updateCase(ctx context.Context, in *updateCaseInput) (*caseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Cases.Update(ctx, p, in.ID, cases.Change(in.Body))
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: c}, nil
}

// redirectTo is cases.RedirectTo as the API documents it.
type redirectTo struct {
	Owner string `json:"owner,omitempty" doc:"The employee (email) who takes the case over"`
	Unit  string `json:"unit,omitempty" doc:"The unit it moves to; without owner, its responsible employee (or the first one up the tree) takes it. Default: the owner's unit"`
	Note  string `json:"note" doc:"Why, for whoever takes it over (required)"`
}

type redirectCaseInput struct {
	ID   int64 `path:"id" doc:"The case's id"`
	Body redirectTo
}

func (s *server) redirectCase(ctx context.Context, in *redirectCaseInput) (*caseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Cases.Redirect(ctx, p, in.ID, cases.RedirectTo(in.Body))
	if err != nil {
		return nil, err
	}
	return &caseOutput{Body: c}, nil
}
