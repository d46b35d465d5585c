package cases

import (
	"context"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// RootCauses is the editable list of root causes; every signed-in role
// reads it (it holds no customer data).
func (s *Service) RootCauses(ctx context.Context, p heed.Principal) ([]heed.RootCause, error) {
	if err := requireReader(p); err != nil {
		return nil, err
	}
	return s.store.ListRootCauses(ctx)
}

// SaveRootCause adds a root cause or renames or (de)activates one.
func (s *Service) SaveRootCause(ctx context.Context, p heed.Principal, rc heed.RootCause) error {
	if err := requireAdmin(p, "edit root causes"); err != nil {
		return err
	}
	rc.Name = strings.TrimSpace(rc.Name)
	if rc.Key == "" {
		rc.Key = strings.ReplaceAll(survey.Slug(rc.Name), "-", "_")
	}
	if err := survey.CheckName(rc.Name); err != nil {
		return err
	}
	if err := survey.CheckObjectKey(rc.Key); err != nil {
		return err
	}
	return s.store.UpsertRootCause(ctx, rc, s.now())
}

// PreventiveActions lists every preventive action with the cases and
// customers it covers and how many of them recovered.
func (s *Service) PreventiveActions(ctx context.Context, p heed.Principal) ([]heed.PreventiveAction, error) {
	if err := requireReader(p); err != nil {
		return nil, err
	}
	return s.store.ListPreventiveActions(ctx)
}

// PreventiveAction returns one.
func (s *Service) PreventiveAction(ctx context.Context, p heed.Principal, id int64) (heed.PreventiveAction, error) {
	if err := requireReader(p); err != nil {
		return heed.PreventiveAction{}, err
	}
	return s.store.GetPreventiveAction(ctx, id)
}

// SavePreventiveAction creates (ID 0) or rewrites a preventive action.
// Managers and admins own process fixes.
func (s *Service) SavePreventiveAction(ctx context.Context, p heed.Principal, a heed.PreventiveAction) (heed.PreventiveAction, error) {
	if !CanPlan(p) {
		return heed.PreventiveAction{}, heed.Errorf(heed.EForbidden, "only managers and admins may plan preventive actions")
	}
	a.Title = strings.TrimSpace(a.Title)
	if a.Title == "" || heed.TextProblem(a.Title) != "" || len(a.Title) > 300 {
		return heed.PreventiveAction{}, heed.FieldErrorf(heed.EInvalid, "title", "a title is 1–300 characters of text")
	}
	if heed.TextProblem(a.Description) != "" {
		return heed.PreventiveAction{}, heed.FieldErrorf(heed.EInvalid, "description", "description %s", heed.TextProblem(a.Description))
	}
	if a.Status == "" {
		a.Status = heed.ActionOpen
	}
	if !a.Status.Valid() {
		return heed.PreventiveAction{}, heed.FieldErrorf(heed.EInvalid, "status", "status %q must be open, in_progress or done", a.Status)
	}
	a.OwnerID = 0
	if a.Owner != "" {
		e, err := s.store.GetEmployee(ctx, heed.NormEmail(a.Owner))
		if err != nil {
			return heed.PreventiveAction{}, fieldOf(err, "owner")
		}
		a.OwnerID = e.ID
	}
	if a.ID == 0 {
		return s.store.CreatePreventiveAction(ctx, a, s.now())
	}
	return s.store.UpdatePreventiveAction(ctx, a, s.now())
}
