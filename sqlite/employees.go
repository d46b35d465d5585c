package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// employeeSelect reads an employee with what a login needs; callers
// append WHERE.
const employeeSelect = `SELECT e.id, e.email, e.name, e.role, COALESCE(u.key, ''), e.created_at, e.updated_at,
	e.password_hash, COALESCE(u.path, ''), COALESCE(e.unit_id, 0)
	FROM employees e LEFT JOIN units u ON u.id = e.unit_id`

func scanCredentials(sc sqlstore.Scanner) (heed.Credentials, error) {
	var c heed.Credentials
	var created, updated int64
	e := &c.Employee
	err := sc.Scan(&e.ID, &e.Email, &e.Name, &e.Role, &e.Unit, &created, &updated,
		&c.PasswordHash, &c.UnitPath, &c.UnitID)
	e.CreatedAt, e.UpdatedAt = fromMicros(created), fromMicros(updated)
	e.HasPassword = c.PasswordHash != ""
	return c, err
}

func scanEmployee(sc sqlstore.Scanner) (heed.Employee, error) {
	c, err := scanCredentials(sc)
	return c.Employee, err
}

func (q queries) getCredentials(ctx context.Context, where string, arg any, what string) (heed.Credentials, error) {
	c, err := scanCredentials(q.r.QueryRowContext(ctx, employeeSelect+` WHERE `+where, arg))
	if err != nil {
		return heed.Credentials{}, rowErr(err, heed.Errorf(heed.ENotFound, "no employee %s", what), "sqlite: get employee")
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
	email = heed.NormEmail(email)
	return q.getCredentials(ctx, `e.email = ?`, email, `"`+email+`"`)
}

// GetCredentialsByID returns the employee with id, password hash and unit.
func (q queries) GetCredentialsByID(ctx context.Context, id int64) (heed.Credentials, error) {
	return q.getCredentials(ctx, `e.id = ?`, id, "with that id")
}

// ListEmployees returns the employees inside scope, by email.
func (q queries) ListEmployees(ctx context.Context, scope heed.Scope, f heed.EmployeeFilter) ([]heed.Employee, error) {
	if err := sqlstore.CheckEmployeeFilter(f); err != nil {
		return nil, err
	}
	args := newArgs()
	cols := sqlstore.ScopeColumns{UnitID: "e.unit_id", UnitPath: "u.path"}
	cond, err := sqlstore.ListWhere(ctx, scope, f.Unit, args, cols, q.unitPath)
	if err != nil {
		return nil, err
	}
	stmt := employeeSelect + ` WHERE ` + cond + ` ORDER BY e.email`
	if f.Limit > 0 {
		stmt += ` LIMIT ` + args.Add(f.Limit)
	}
	return queryList(ctx, q.r, stmt, args.Values(), []heed.Employee{}, scanEmployee, "sqlite: list employees")
}

// UpsertEmployees writes emps by email, all or none.
func (q queries) UpsertEmployees(ctx context.Context, emps []heed.Employee, now time.Time) (heed.UpsertResult, error) {
	return q.upsertTx(ctx, func(q queries) (heed.UpsertResult, error) {
		return sqlstore.UpsertEmployees(ctx, employeeWriter{q: q, now: micros(now)}, emps)
	})
}

// employeeWriter is the SQL of sqlstore.UpsertEmployees, inside one
// transaction.
type employeeWriter struct {
	q   queries
	now int64
}

func (w employeeWriter) LookupUnit(ctx context.Context, key string) (int64, bool, error) {
	return w.q.lookupID(`SELECT id FROM units WHERE key = ?`, "sqlite: find unit")(ctx, key)
}

func (w employeeWriter) StoredEmployee(ctx context.Context, email string) (sqlstore.StoredEmployee, bool, error) {
	var s sqlstore.StoredEmployee
	err := w.q.w.QueryRowContext(ctx, `SELECT id, name, role, COALESCE(unit_id, 0) FROM employees WHERE email = ?`, email).
		Scan(&s.ID, &s.Row.Name, &s.Row.Role, &s.Row.UnitID)
	ok, err := found(err, "sqlite: find employee")
	return s, ok, err
}

func (w employeeWriter) InsertEmployee(ctx context.Context, email string, row sqlstore.EmployeeRow) error {
	_, err := w.q.w.ExecContext(ctx, `INSERT INTO employees (email, name, role, unit_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, email, row.Name, string(row.Role), sqlstore.NullID(row.UnitID), w.now, w.now)
	return heed.Internal(err, "sqlite: insert employee")
}

func (w employeeWriter) UpdateEmployee(ctx context.Context, id int64, row sqlstore.EmployeeRow) error {
	_, err := w.q.w.ExecContext(ctx, `UPDATE employees SET name = ?, role = ?, unit_id = ?, updated_at = ? WHERE id = ?`,
		row.Name, string(row.Role), sqlstore.NullID(row.UnitID), w.now, id)
	return heed.Internal(err, "sqlite: update employee")
}

// SetPassword stores a password hash for the employee with email.
func (q queries) SetPassword(ctx context.Context, email, hash string, now time.Time) error {
	email = heed.NormEmail(email)
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
