package cases

import (
	"context"

	"github.com/heedhq/heed"
)

// Owner finds who answers for a customer's feedback: the customer's owner
// employee if set, else the employee responsible for the unit, else the
// first responsible one up the tree. ok is false when nobody is; the case
// then waits, unowned, for the admins (and every manager above the unit
// sees it anyway).
func Owner(ctx context.Context, q heed.Queries, c heed.Customer, unitID int64) (heed.Employee, bool, error) {
	if c.Owner != "" {
		e, err := q.GetEmployee(ctx, c.Owner)
		if err == nil || !heed.IsNotFound(err) {
			return e, err == nil, err
		}
	}
	chain, err := responsibleChain(ctx, q, unitID, 0, 1)
	if err != nil || len(chain) == 0 {
		return heed.Employee{}, false, err
	}
	return chain[0], true, nil
}

// Managers are up to n distinct employees above the owner, nearest first:
// the responsible of the owner's unit (when that is not the owner), then
// of each unit above. They are who a late case escalates to and whom
// notify_managers emails.
func Managers(ctx context.Context, q heed.Queries, owner heed.Employee, unitID int64, n int) ([]heed.Employee, error) {
	if owner.Unit != "" {
		u, err := q.GetUnit(ctx, owner.Unit)
		if err != nil && !heed.IsNotFound(err) {
			return nil, err
		}
		if err == nil {
			unitID = u.ID
		}
	}
	return responsibleChain(ctx, q, unitID, owner.ID, n)
}

// responsibleChain walks from the unit up to the root and returns up to n
// distinct responsible employees, skipping skip and names that are no
// employee (a unit's responsible may not be imported yet).
func responsibleChain(ctx context.Context, q heed.Queries, unitID, skip int64, n int) ([]heed.Employee, error) {
	if unitID == 0 || n <= 0 {
		return nil, nil
	}
	u, err := q.GetUnitByID(ctx, unitID)
	if err != nil {
		return nil, err
	}
	var out []heed.Employee
	seen := map[int64]bool{skip: true}
	for depth := 0; depth < 64; depth++ { // a bound, in case of a corrupt tree
		if u.Responsible != "" {
			e, err := q.GetEmployee(ctx, u.Responsible)
			if err != nil && !heed.IsNotFound(err) {
				return nil, err
			}
			if err == nil && !seen[e.ID] {
				seen[e.ID] = true
				if out = append(out, e); len(out) == n {
					return out, nil
				}
			}
		}
		if u.Parent == "" {
			return out, nil
		}
		if u, err = q.GetUnit(ctx, u.Parent); err != nil {
			return nil, err
		}
	}
	return out, nil
}
