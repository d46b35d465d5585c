package heed

import "context"

// KeepAnAdmin wraps a change to employees, inside its transaction: if an
// admin could sign in before the change, one must still be able to after
// it, so a wrong role column in a file (or a slip in the API) cannot lock
// everyone out of the settings. On a new database, before any admin has a
// password, there is nothing to keep.
func KeepAnAdmin(ctx context.Context, q Queries, change func() error) error {
	had, err := adminCanSignIn(ctx, q)
	if err != nil {
		return err
	}
	if err := change(); err != nil || !had {
		return err
	}
	has, err := adminCanSignIn(ctx, q)
	if err != nil {
		return err
	}
	if !has {
		return FieldErrorf(EConflict, "role", "this change would leave no admin who can sign in; keep at least one")
	}
	return nil
}

func adminCanSignIn(ctx context.Context, q Queries) (bool, error) {
	emps, err := q.ListEmployees(ctx, Scope{All: true}, EmployeeFilter{})
	if err != nil {
		return false, err
	}
	for _, e := range emps {
		if e.Role == RoleAdmin && e.HasPassword {
			return true, nil
		}
	}
	return false, nil
}
