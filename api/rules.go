package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// This file keeps the lists that shape the loop: the rules that say what
// happens when a response arrives (and tries one against past responses
// before it is switched on), the root causes a case may name, and the
// preventive actions cases link to.

type rulesOutput struct {
	Body struct {
		Rules []heed.Rule `json:"rules" doc:"In the order they are applied"`
	}
}

func (s *server) listRules(ctx context.Context, _ *struct{}) (*rulesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Cases.Rules(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &rulesOutput{}
	out.Body.Rules = make([]heed.Rule, len(list))
	for i, r := range list {
		out.Body.Rules[i] = ruleOut(r)
	}
	return out, nil
}

type ruleKey struct {
	Key string `path:"key" doc:"The rule's key"`
}

type ruleOutput struct {
	Status int
	Body   heed.Rule
}

func (s *server) getRule(ctx context.Context, in *ruleKey) (*ruleOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Cases.Rule(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	return &ruleOutput{Status: http.StatusOK, Body: ruleOut(r)}, nil
}

// ruleInput is a rule as a client writes it; the read-only fields of a
// GET are accepted and ignored, so a fetched rule can be sent back.
type ruleInput struct {
	Key       string              `json:"key,omitempty" doc:"Derived from the name when left out. In a PUT it must equal the path's if given"`
	Name      string              `json:"name,omitempty" doc:"What the rule is for (required, except to try it)"`
	Active    bool                `json:"active,omitempty" doc:"Apply it to new responses; default false, so a new rule can be tried first"`
	Position  int                 `json:"position,omitempty" doc:"Rules apply in position order, lower first; ties by key"`
	When      heed.RuleConditions `json:"when,omitempty" doc:"Conditions, all of which must hold; one left out holds always"`
	Then      []heed.RuleAction   `json:"then,omitempty" doc:"Actions, done in order: open_case, notify_owner, notify_managers (levels), webhook (its id), tag (tag), advocacy (url) (at least one)"`
	CreatedAt *time.Time          `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt *time.Time          `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in ruleInput) rule(key string) heed.Rule {
	return heed.Rule{Key: key, Name: in.Name, Active: in.Active, Position: in.Position, When: in.When, Then: in.Then}
}

type createRuleInput struct {
	Body ruleInput
}

func (s *server) createRule(ctx context.Context, in *createRuleInput) (*ruleOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Cases.CreateRule(ctx, p, in.Body.rule(in.Body.Key))
	if err != nil {
		return nil, err
	}
	return &ruleOutput{Status: http.StatusCreated, Body: ruleOut(r)}, nil
}

type updateRuleInput struct {
	Key  string `path:"key" doc:"The rule's key"`
	Body ruleInput
}

func (s *server) updateRule(ctx context.Context, in *updateRuleInput) (*ruleOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Cases.UpdateRule(ctx, p, in.Body.rule(key))
	if err != nil {
		return nil, err
	}
	return &ruleOutput{Status: http.StatusOK, Body: ruleOut(r)}, nil
}

func (s *server) deleteRule(ctx context.Context, in *ruleKey) (*struct{}, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Cases.DeleteRule(ctx, p, in.Key); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type tryRuleInput struct {
	Body struct {
		Rule ruleInput  `json:"rule" doc:"The rule to try, saved or not; only its conditions count"`
		From *time.Time `json:"from,omitempty" doc:"Responses answered from (default: 30 days before to)"`
		To   *time.Time `json:"to,omitempty" doc:"Up to, not included (default: now)"`
	}
}

type trialOutput struct {
	Body cases.Trial
}

func (s *server) tryRule(ctx context.Context, in *tryRuleInput) (*trialOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	to := time.Now()
	if in.Body.To != nil {
		to = *in.Body.To
	}
	from := to.Add(-cases.DefaultTrialSpan)
	if in.Body.From != nil {
		from = *in.Body.From
	}
	tr, err := s.cfg.Cases.TryRule(ctx, p, in.Body.Rule.rule(in.Body.Rule.Key), from, to)
	if f := heed.ErrorField(err); strings.HasPrefix(f, "when") {
		// The service names the rule's own fields; here the rule sits
		// under "rule" in the body.
		return nil, heed.FieldErrorf(heed.ErrorCode(err), "rule."+f, "%s", heed.ErrorMessage(err))
	}
	if err != nil {
		return nil, err
	}
	tr.Examples = nonNil(tr.Examples)
	return &trialOutput{Body: tr}, nil
}

// ruleOut makes a rule's empty lists answer [] rather than null.
func ruleOut(r heed.Rule) heed.Rule {
	r.Then = nonNil(r.Then)
	return r
}

type rootCausesOutput struct {
	Body struct {
		RootCauses []heed.RootCause `json:"root_causes"`
	}
}

func (s *server) listRootCauses(ctx context.Context, _ *struct{}) (*rootCausesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rcs, err := s.cfg.Cases.RootCauses(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &rootCausesOutput{}
	out.Body.RootCauses = nonNil(rcs)
	return out, nil
}

type putRootCauseInput struct {
	Key  string `path:"key" doc:"The root cause's key, e.g. waiting_time"`
	Body struct {
		Key    string `json:"key,omitempty" doc:"Must equal the key in the path if given"`
		Name   string `json:"name,omitempty" doc:"What employees pick (required)"`
		Active *bool  `json:"active,omitempty" doc:"Offered for new cases (default true); an inactive one stays on the cases that have it"`
	}
}

type rootCauseOutput struct {
	Status int
	Body   heed.RootCause
}

func (s *server) putRootCause(ctx context.Context, in *putRootCauseInput) (*rootCauseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	rc := heed.RootCause{Key: key, Name: in.Body.Name, Active: in.Body.Active == nil || *in.Body.Active}
	// The service saves without saying whether the key was new; the list
	// before and after tells, and answers what was stored.
	before, err := s.cfg.Cases.RootCauses(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Cases.SaveRootCause(ctx, p, rc); err != nil {
		return nil, err
	}
	after, err := s.cfg.Cases.RootCauses(ctx, p)
	if err != nil {
		return nil, err
	}
	saved, ok := findRootCause(after, key)
	if !ok {
		return nil, heed.Internal(fmt.Errorf("root cause %q not listed after saving it", key), "api: put root cause")
	}
	_, existed := findRootCause(before, key)
	return &rootCauseOutput{Status: putStatus(!existed), Body: saved}, nil
}

func findRootCause(rcs []heed.RootCause, key string) (heed.RootCause, bool) {
	for _, rc := range rcs {
		if rc.Key == key {
			return rc, true
		}
	}
	return heed.RootCause{}, false
}

type preventiveActionsOutput struct {
	Body struct {
		PreventiveActions []heed.PreventiveAction `json:"preventive_actions"`
	}
}

func (s *server) listPreventiveActions(ctx context.Context, _ *struct{}) (*preventiveActionsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Cases.PreventiveActions(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &preventiveActionsOutput{}
	out.Body.PreventiveActions = nonNil(list)
	return out, nil
}

type preventiveActionID struct {
	ID int64 `path:"id" doc:"The preventive action's id"`
}

type preventiveActionOutput struct {
	Status int
	Body   heed.PreventiveAction
}

func (s *server) getPreventiveAction(ctx context.Context, in *preventiveActionID) (*preventiveActionOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.cfg.Cases.PreventiveAction(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &preventiveActionOutput{Status: http.StatusOK, Body: a}, nil
}

// preventiveActionInput is a preventive action as a client writes it; the
// read-only fields of a GET are accepted and ignored, so a fetched one can
// be sent back.
type preventiveActionInput struct {
	ID          int64      `json:"id,omitempty" doc:"In a PUT, must equal the id in the path if given"`
	Title       string     `json:"title,omitempty" doc:"What changes in the process, 1–300 characters (required)"`
	Description string     `json:"description,omitempty"`
	Owner       string     `json:"owner,omitempty" doc:"The employee (email) who sees it through"`
	Due         *time.Time `json:"due,omitempty"`
	Status      string     `json:"status,omitempty" enum:"open,in_progress,done" doc:"Default open"`
	Cases       int        `json:"cases,omitempty" readOnly:"true" doc:"Ignored"`
	Customers   int        `json:"customers,omitempty" readOnly:"true" doc:"Ignored"`
	Verified    int        `json:"verified,omitempty" readOnly:"true" doc:"Ignored"`
	Recovered   int        `json:"recovered,omitempty" readOnly:"true" doc:"Ignored"`
	CreatedAt   *time.Time `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in preventiveActionInput) action(id int64) heed.PreventiveAction {
	return heed.PreventiveAction{ID: id, Title: in.Title, Description: in.Description, Owner: in.Owner,
		Due: in.Due, Status: heed.ActionStatus(in.Status)}
}

type createPreventiveActionInput struct {
	Body preventiveActionInput
}

func (s *server) createPreventiveAction(ctx context.Context, in *createPreventiveActionInput) (*preventiveActionOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if in.Body.ID != 0 {
		return nil, heed.FieldErrorf(heed.EInvalid, "id", "a new preventive action gets its id from Heed; leave id out")
	}
	a, err := s.cfg.Cases.SavePreventiveAction(ctx, p, in.Body.action(0))
	if err != nil {
		return nil, err
	}
	return &preventiveActionOutput{Status: http.StatusCreated, Body: a}, nil
}

type updatePreventiveActionInput struct {
	ID   int64 `path:"id" doc:"The preventive action's id"`
	Body preventiveActionInput
}

func (s *server) updatePreventiveAction(ctx context.Context, in *updatePreventiveActionInput) (*preventiveActionOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := pathIDMatches("id", in.ID, in.Body.ID)
	if err != nil {
		return nil, err
	}
	a, err := s.cfg.Cases.SavePreventiveAction(ctx, p, in.Body.action(id))
	if err != nil {
		return nil, err
	}
	return &preventiveActionOutput{Status: http.StatusOK, Body: a}, nil
}
