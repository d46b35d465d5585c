package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// Placeholder methods, replaced by the real implementation.

var errNotYet = heed.Errorf(heed.EInternal, "not implemented yet")

func (q queries) CreateCase(ctx context.Context, c heed.Case, ev heed.CaseEvent, now time.Time) (heed.Case, error) {
	return heed.Case{}, errNotYet
}

func (q queries) GetCase(ctx context.Context, scope heed.Scope, id int64) (heed.Case, error) {
	return heed.Case{}, errNotYet
}

func (q queries) FindOpenCase(ctx context.Context, customerID int64) (heed.Case, error) {
	return heed.Case{}, errNotYet
}

func (q queries) GetCaseByResurvey(ctx context.Context, invitationID int64) (heed.Case, error) {
	return heed.Case{}, errNotYet
}

func (q queries) ListCases(ctx context.Context, scope heed.Scope, f heed.CaseFilter) ([]heed.Case, error) {
	return nil, errNotYet
}

func (q queries) UpdateCase(ctx context.Context, c heed.Case, ev heed.CaseEvent, now time.Time) (heed.Case, error) {
	return heed.Case{}, errNotYet
}

func (q queries) AddCaseEvent(ctx context.Context, ev heed.CaseEvent) (heed.CaseEvent, error) {
	return heed.CaseEvent{}, errNotYet
}

func (q queries) ListCaseEvents(ctx context.Context, caseID int64) ([]heed.CaseEvent, error) {
	return nil, errNotYet
}

func (q queries) ListCaseFacts(ctx context.Context, scope heed.Scope, f heed.CaseFactFilter) ([]heed.CaseFact, error) {
	return nil, errNotYet
}

func (q queries) ListRootCauses(ctx context.Context) ([]heed.RootCause, error) { return nil, errNotYet }

func (q queries) UpsertRootCause(ctx context.Context, rc heed.RootCause, now time.Time) error {
	return errNotYet
}

func (q queries) CreatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	return heed.PreventiveAction{}, errNotYet
}

func (q queries) UpdatePreventiveAction(ctx context.Context, a heed.PreventiveAction, now time.Time) (heed.PreventiveAction, error) {
	return heed.PreventiveAction{}, errNotYet
}

func (q queries) GetPreventiveAction(ctx context.Context, id int64) (heed.PreventiveAction, error) {
	return heed.PreventiveAction{}, errNotYet
}

func (q queries) ListPreventiveActions(ctx context.Context) ([]heed.PreventiveAction, error) {
	return nil, errNotYet
}
