package sqlstore

import (
	"context"

	"github.com/heedhq/heed"
)

// EmployeeRow is what a caller can change of a stored employee (the
// email is its key); two rows compare equal with == exactly when an
// upsert changes nothing.
type EmployeeRow struct {
	Name   string
	Role   heed.Role
	UnitID int64 // 0 for none
}

// StoredEmployee is a stored employee as an upsert compares it.
type StoredEmployee struct {
	ID  int64
	Row EmployeeRow
}

// EmployeeWriter is the SQL half of an upsert of employees, each method
// one statement in its engine's dialect, inside the caller's transaction.
type EmployeeWriter interface {
	// LookupUnit finds the id of the unit with key.
	LookupUnit(ctx context.Context, key string) (id int64, found bool, err error)
	// StoredEmployee reads the employee with email; found is false when
	// there is none.
	StoredEmployee(ctx context.Context, email string) (old StoredEmployee, found bool, err error)
	// InsertEmployee inserts an employee.
	InsertEmployee(ctx context.Context, email string, row EmployeeRow) error
	// UpdateEmployee writes row over the employee with id.
	UpdateEmployee(ctx context.Context, id int64, row EmployeeRow) error
}

// UpsertEmployees writes emps by email through w, asking once per unit
// key. Both stores upsert employees here, so checks, references and the
// counts are the same on either engine.
func UpsertEmployees(ctx context.Context, w EmployeeWriter, emps []heed.Employee) (heed.UpsertResult, error) {
	units := NewKeyCache("unit", "unit", w.LookupUnit)
	key := func(e heed.Employee) string { return heed.NormEmail(e.Email) }
	return UpsertEach(emps, "employee", key, func(e heed.Employee) (heed.UpsertResult, error) {
		return upsertEmployee(ctx, w, units, e)
	})
}

func upsertEmployee(ctx context.Context, w EmployeeWriter, units *KeyCache, e heed.Employee) (heed.UpsertResult, error) {
	email, err := CheckEmployee(e)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	row := EmployeeRow{Name: e.Name, Role: e.Role}
	if e.Unit != "" {
		if row.UnitID, err = units.ID(ctx, e.Unit); err != nil {
			return heed.UpsertResult{}, err
		}
	}
	old, found, err := w.StoredEmployee(ctx, email)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	switch {
	case !found:
		return heed.UpsertResult{Created: 1}, w.InsertEmployee(ctx, email, row)
	case old.Row == row:
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	return heed.UpsertResult{Updated: 1}, w.UpdateEmployee(ctx, old.ID, row)
}

// CheckEmployee refuses an employee without an email or with an unknown
// role, and returns the email in its stored form.
func CheckEmployee(e heed.Employee) (email string, err error) {
	email = heed.NormEmail(e.Email)
	if email == "" {
		return "", heed.FieldErrorf(heed.EInvalid, "email", "an employee needs an email")
	}
	if !e.Role.Valid() {
		return "", heed.FieldErrorf(heed.EInvalid, "role", "unknown role %q", e.Role)
	}
	return email, nil
}

// CheckEmployeeFilter refuses a negative limit; 0 means no limit. Both
// stores check an employee list here before any SQL.
func CheckEmployeeFilter(f heed.EmployeeFilter) error {
	if f.Limit < 0 {
		return heed.FieldErrorf(heed.EInvalid, "limit", "limit must not be negative")
	}
	return nil
}
