package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/heedhq/heed"
	"github.com/jackc/pgx/v5"
)

// employeeSelect reads an employee with what a login needs; callers
// append WHERE.
const employeeSelect = `SELECT e.id, e.email, e.name, e.role, COALESCE(u.key, ''), e.created_at, e.updated_at,
	e.password_hash, COALESCE(u.path, ''), COALESCE(e.unit_id, 0)
	FROM employees e LEFT JOIN units u ON u.id = e.unit_id`

func scanCredentials(row pgx.Row) (heed.Credentials, error) {
	var c heed.Credentials
	var role string
	e := &c.Employee
	err := row.Scan(&e.ID, &e.Email, &e.Name, &role, &e.Unit, &e.CreatedAt, &e.UpdatedAt,
		&c.PasswordHash, &c.UnitPath, &c.UnitID)
	e.Role = heed.Role(role)
	e.CreatedAt, e.UpdatedAt = utc(e.CreatedAt), utc(e.UpdatedAt)
	e.HasPassword = c.PasswordHash != ""
	return c, err
}

func (q queries) getCredentials(ctx context.Context, where string, arg any, what string) (heed.Credentials, error) {
	c, err := scanCredentials(q.db.QueryRow(ctx, employeeSelect+` WHERE `+where, arg))
	if errors.Is(err, pgx.ErrNoRows) {
		return heed.Credentials{}, heed.Errorf(heed.ENotFound, "no employee %s", what)
	}
	if err != nil {
		return heed.Credentials{}, heed.Internal(err, "postgres: get employee")
	}
	return c, nil
}

// GetEmployee returns the employee with email (any case).
func (q queries) GetEmployee(ctx context.Context, email string) (heed.Employee, error) {
	c, err := q.GetCredentials(ctx, email)
	return c.Employee, err
}

// GetEmployeeByID returns the employee with id.
func (q queries) GetEmployeeByID(ctx context.Context, id int64) (heed.Employee, error) {
	c, err := q.GetCredentialsByID(ctx, id)
	return c.Employee, err
}

// GetCredentials returns the employee with email, password hash and unit.
func (q queries) GetCredentials(ctx context.Context, email string) (heed.Credentials, error) {
	email = normEmail(email)
	return q.getCredentials(ctx, `e.email = $1`, email, `"`+email+`"`)
}

// GetCredentialsByID returns the employee with id, password hash and unit.
func (q queries) GetCredentialsByID(ctx context.Context, id int64) (heed.Credentials, error) {
	return q.getCredentials(ctx, `e.id = $1`, id, "with that id")
}

// ListEmployees returns the employees inside scope, by email.
func (q queries) ListEmployees(ctx context.Context, scope heed.Scope, f heed.EmployeeFilter) ([]heed.Employee, error) {
	if f.Limit < 0 {
		return nil, heed.FieldErrorf(heed.EInvalid, "limit", "limit must not be negative")
	}
	var args sqlArgs
	cond := scopeWhere(scope, &args, "e.unit_id", "u.path", "")
	if f.Unit != "" {
		path, err := q.unitPathByKey(ctx, f.Unit)
		if err != nil {
			return nil, err
		}
		cond += ` AND u.path LIKE ` + args.add(path+"%")
	}
	stmt := employeeSelect + ` WHERE ` + cond + ` ORDER BY e.email`
	if f.Limit > 0 {
		stmt += ` LIMIT ` + args.add(f.Limit)
	}
	rows, err := q.db.Query(ctx, stmt, args...)
	if err != nil {
		return nil, heed.Internal(err, "postgres: list employees")
	}
	defer rows.Close()
	emps := []heed.Employee{}
	for rows.Next() {
		c, err := scanCredentials(rows)
		if err != nil {
			return nil, heed.Internal(err, "postgres: list employees")
		}
		emps = append(emps, c.Employee)
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "postgres: list employees")
	}
	return emps, nil
}

// UpsertEmployees writes emps by email, all or none.
func (q queries) UpsertEmployees(ctx context.Context, emps []heed.Employee, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		units := map[string]int64{} // unit key → id, asked once per key
		for _, e := range emps {
			r, err := q.upsertEmployee(ctx, e, units, utc(now))
			if err != nil {
				return about(err, "employee", normEmail(e.Email))
			}
			res.Add(r)
		}
		return nil
	})
	if err != nil {
		return heed.UpsertResult{}, err
	}
	return res, nil
}

func (q queries) upsertEmployee(ctx context.Context, e heed.Employee, units map[string]int64, now time.Time) (heed.UpsertResult, error) {
	email := normEmail(e.Email)
	if email == "" {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EInvalid, "email", "an employee needs an email")
	}
	if !e.Role.Valid() {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EInvalid, "role", "unknown role %q", e.Role)
	}
	var unitID int64
	if e.Unit != "" {
		var err error
		if unitID, err = q.unitID(ctx, units, e.Unit); err != nil {
			return heed.UpsertResult{}, err
		}
	}
	var id, oldUnit int64
	var name, role string
	err := q.db.QueryRow(ctx, `SELECT id, name, role, COALESCE(unit_id, 0) FROM employees WHERE email = $1`, email).
		Scan(&id, &name, &role, &oldUnit)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		_, err := q.db.Exec(ctx, `INSERT INTO employees (email, name, role, unit_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, email, e.Name, string(e.Role), nullID(unitID), now)
		if isUniqueViolation(err) {
			return heed.UpsertResult{}, heed.FieldErrorf(heed.EConflict, "email", "created at the same time by someone else; try again")
		}
		return heed.UpsertResult{Created: 1}, heed.Internal(err, "postgres: insert employee")
	case err != nil:
		return heed.UpsertResult{}, heed.Internal(err, "postgres: find employee")
	case name == e.Name && role == string(e.Role) && oldUnit == unitID:
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	_, err = q.db.Exec(ctx, `UPDATE employees SET name = $1, role = $2, unit_id = $3, updated_at = $4 WHERE id = $5`,
		e.Name, string(e.Role), nullID(unitID), now, id)
	return heed.UpsertResult{Updated: 1}, heed.Internal(err, "postgres: update employee")
}

// unitID resolves a unit key through the per-call cache; ENotFound on
// field "unit" when there is no such unit.
func (q queries) unitID(ctx context.Context, cache map[string]int64, key string) (int64, error) {
	if id, ok := cache[key]; ok {
		return id, nil
	}
	var id int64
	err := q.db.QueryRow(ctx, `SELECT id FROM units WHERE key = $1`, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", key)
	}
	if err != nil {
		return 0, heed.Internal(err, "postgres: find unit")
	}
	cache[key] = id
	return id, nil
}

// SetPassword stores a password hash for the employee with email.
func (q queries) SetPassword(ctx context.Context, email, hash string, now time.Time) error {
	email = normEmail(email)
	tag, err := q.db.Exec(ctx, `UPDATE employees SET password_hash = $1, updated_at = $2 WHERE email = $3`,
		hash, utc(now), email)
	if err != nil {
		return heed.Internal(err, "postgres: set password")
	}
	if tag.RowsAffected() == 0 {
		return heed.Errorf(heed.ENotFound, "no employee %q", email)
	}
	return nil
}
