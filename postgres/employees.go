package postgres

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

func scanCredentials(row sqlstore.Scanner) (heed.Credentials, error) {
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

func scanEmployee(row sqlstore.Scanner) (heed.Employee, error) {
	c, err := scanCredentials(row)
	return c.Employee, err
}

func (q queries) getCredentials(ctx context.Context, where string, arg any, what string) (heed.Credentials, error) {
	c, err := scanCredentials(q.db.QueryRow(ctx, employeeSelect+` WHERE `+where, arg))
	if err != nil {
		return heed.Credentials{}, rowErr(err, heed.Errorf(heed.ENotFound, "no employee %s", what), "postgres: get employee")
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
	return q.getCredentials(ctx, `e.email = $1`, email, `"`+email+`"`)
}

// GetCredentialsByID returns the employee with id, password hash and unit.
func (q queries) GetCredentialsByID(ctx context.Context, id int64) (heed.Credentials, error) {
	return q.getCredentials(ctx, `e.id = $1`, id, "with that id")
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
	return queryList(ctx, q.db, stmt, args.Values(), []heed.Employee{}, scanEmployee, "postgres: list employees")
}

// UpsertEmployees writes emps by email, all or none.
func (q queries) UpsertEmployees(ctx context.Context, emps []heed.Employee, now time.Time) (heed.UpsertResult, error) {
	return q.upsertTx(ctx, func(q queries) (heed.UpsertResult, error) {
		return sqlstore.UpsertEmployees(ctx, employeeWriter{q: q, now: utc(now)}, emps)
	})
}

// employeeWriter is the SQL of sqlstore.UpsertEmployees, inside one
// transaction.
type employeeWriter struct {
	q   queries
	now time.Time
}

func (w employeeWriter) LookupUnit(ctx context.Context, key string) (int64, bool, error) {
	return w.q.lookupID(`SELECT id FROM units WHERE key = $1`, "postgres: find unit")(ctx, key)
}

func (w employeeWriter) StoredEmployee(ctx context.Context, email string) (sqlstore.StoredEmployee, bool, error) {
	var s sqlstore.StoredEmployee
	var role string
	err := w.q.db.QueryRow(ctx, `SELECT id, name, role, COALESCE(unit_id, 0) FROM employees WHERE email = $1`, email).
		Scan(&s.ID, &s.Row.Name, &role, &s.Row.UnitID)
	s.Row.Role = heed.Role(role)
	ok, err := found(err, "postgres: find employee")
	return s, ok, err
}

func (w employeeWriter) InsertEmployee(ctx context.Context, email string, row sqlstore.EmployeeRow) error {
	_, err := w.q.db.Exec(ctx, `INSERT INTO employees (email, name, role, unit_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, email, row.Name, string(row.Role), nullIfZero(row.UnitID), w.now)
	if isUniqueViolation(err) {
		return createdConcurrently("email")
	}
	return heed.Internal(err, "postgres: insert employee")
}

func (w employeeWriter) UpdateEmployee(ctx context.Context, id int64, row sqlstore.EmployeeRow) error {
	_, err := w.q.db.Exec(ctx, `UPDATE employees SET name = $1, role = $2, unit_id = $3, updated_at = $4 WHERE id = $5`,
		row.Name, string(row.Role), nullIfZero(row.UnitID), w.now, id)
	return heed.Internal(err, "postgres: update employee")
}

// SetPassword stores a password hash for the employee with email.
func (q queries) SetPassword(ctx context.Context, email, hash string, now time.Time) error {
	email = heed.NormEmail(email)
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
