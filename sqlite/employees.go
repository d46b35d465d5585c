package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// employeeSelect reads an employee with what a login needs; callers
// append WHERE.
const employeeSelect = `SELECT e.id, e.email, e.name, e.role, COALESCE(u.key, ''), e.created_at, e.updated_at,
	e.password_hash, COALESCE(u.path, ''), COALESCE(e.unit_id, 0)
	FROM employees e LEFT JOIN units u ON u.id = e.unit_id`

func scanCredentials(sc scanner) (heed.Credentials, error) {
	var c heed.Credentials
	var created, updated int64
	e := &c.Employee
	err := sc.Scan(&e.ID, &e.Email, &e.Name, &e.Role, &e.Unit, &created, &updated,
		&c.PasswordHash, &c.UnitPath, &c.UnitID)
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	e.HasPassword = c.PasswordHash != ""
	return c, err
}

// normEmail is the form emails are stored and looked up in.
func normEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (q queries) getCredentials(ctx context.Context, where string, arg any, what string) (heed.Credentials, error) {
	c, err := scanCredentials(q.r.QueryRowContext(ctx, employeeSelect+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return heed.Credentials{}, heed.Errorf(heed.ENotFound, "no employee %s", what)
	}
	if err != nil {
		return heed.Credentials{}, heed.Internal(err, "sqlite: get employee")
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
	return q.getCredentials(ctx, `e.email = ?`, email, `"`+email+`"`)
}

// GetCredentialsByID returns the employee with id, password hash and unit.
func (q queries) GetCredentialsByID(ctx context.Context, id int64) (heed.Credentials, error) {
	return q.getCredentials(ctx, `e.id = ?`, id, "with that id")
}

// ListEmployees returns the employees inside scope, by email.
func (q queries) ListEmployees(ctx context.Context, scope heed.Scope, f heed.EmployeeFilter) ([]heed.Employee, error) {
	if f.Limit < 0 {
		return nil, heed.FieldErrorf(heed.EInvalid, "limit", "limit must not be negative")
	}
	cond, args := scopeWhere(scope, "e.unit_id", "u.path", "")
	if f.Unit != "" {
		path, err := q.unitPathByKey(ctx, f.Unit)
		if err != nil {
			return nil, err
		}
		cond += ` AND u.path LIKE ?`
		args = append(args, path+"%")
	}
	stmt := employeeSelect + ` WHERE ` + cond + ` ORDER BY e.email`
	if f.Limit > 0 {
		stmt += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := q.r.QueryContext(ctx, stmt, args...)
	if err != nil {
		return nil, heed.Internal(err, "sqlite: list employees")
	}
	defer rows.Close()
	emps := []heed.Employee{}
	for rows.Next() {
		c, err := scanCredentials(rows)
		if err != nil {
			return nil, heed.Internal(err, "sqlite: list employees")
		}
		emps = append(emps, c.Employee)
	}
	if err := rows.Err(); err != nil {
		return nil, heed.Internal(err, "sqlite: list employees")
	}
	return emps, nil
}

// UpsertEmployees writes emps by email, all or none.
func (q queries) UpsertEmployees(ctx context.Context, emps []heed.Employee, now time.Time) (heed.UpsertResult, error) {
	var res heed.UpsertResult
	err := q.withTx(ctx, func(q queries) error {
		units := newKeyCache(q, `SELECT id FROM units WHERE key = ?`, "unit", "unit")
		for _, e := range emps {
			r, err := q.upsertEmployee(ctx, e, units, micros(now))
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

func (q queries) upsertEmployee(ctx context.Context, e heed.Employee, units *keyCache, now int64) (heed.UpsertResult, error) {
	email := normEmail(e.Email)
	if email == "" {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EInvalid, "email", "an employee needs an email")
	}
	if !e.Role.Valid() {
		return heed.UpsertResult{}, heed.FieldErrorf(heed.EInvalid, "role", "unknown role %q", e.Role)
	}
	var unitID sql.NullInt64
	if e.Unit != "" {
		id, err := units.id(ctx, e.Unit)
		if err != nil {
			return heed.UpsertResult{}, err
		}
		unitID = sql.NullInt64{Int64: id, Valid: true}
	}
	var id int64
	var name, role string
	var oldUnit sql.NullInt64
	err := q.w.QueryRowContext(ctx, `SELECT id, name, role, unit_id FROM employees WHERE email = ?`, email).
		Scan(&id, &name, &role, &oldUnit)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err := q.w.ExecContext(ctx, `INSERT INTO employees (email, name, role, unit_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, email, e.Name, e.Role, unitID, now, now)
		return heed.UpsertResult{Created: 1}, heed.Internal(err, "sqlite: insert employee")
	case err != nil:
		return heed.UpsertResult{}, heed.Internal(err, "sqlite: find employee")
	case name == e.Name && role == string(e.Role) && oldUnit == unitID:
		return heed.UpsertResult{Unchanged: 1}, nil
	}
	_, err = q.w.ExecContext(ctx, `UPDATE employees SET name = ?, role = ?, unit_id = ?, updated_at = ? WHERE id = ?`,
		e.Name, e.Role, unitID, now, id)
	return heed.UpsertResult{Updated: 1}, heed.Internal(err, "sqlite: update employee")
}

// SetPassword stores a password hash for the employee with email.
func (q queries) SetPassword(ctx context.Context, email, hash string, now time.Time) error {
	email = normEmail(email)
	res, err := q.w.ExecContext(ctx, `UPDATE employees SET password_hash = ?, updated_at = ? WHERE email = ?`,
		hash, micros(now), email)
	if err != nil {
		return heed.Internal(err, "sqlite: set password")
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return heed.Errorf(heed.ENotFound, "no employee %q", email)
	}
	return nil
}
