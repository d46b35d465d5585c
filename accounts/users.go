package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// NewUser is an employee to create (or update) with a password.
type NewUser struct {
	Email    string
	Name     string // defaults to the part of the email before @
	Role     heed.Role
	Unit     string // unit key; required for frontline and manager
	Password string
}

// AddUser creates the employee, or updates the one with this email, and
// sets their password, both in one transaction. Admins only.
func (s *Service) AddUser(ctx context.Context, p heed.Principal, u NewUser) (heed.Employee, error) {
	if err := requireAdmin(p, "add users"); err != nil {
		return heed.Employee{}, err
	}
	emp, err := validateUser(u)
	if err != nil {
		return heed.Employee{}, err
	}
	// Hash outside the transaction: it is slow, and SQLite has one writer.
	hash, err := s.hash(ctx, u.Password)
	if err != nil {
		return heed.Employee{}, err
	}
	now := s.now()
	var out heed.Employee
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		return heed.KeepAnAdmin(ctx, q, func() error {
			var err error
			out, err = s.writeUser(ctx, q, emp, u.Name, hash, now)
			return err
		})
	})
	if err != nil {
		return heed.Employee{}, err
	}
	return out, nil
}

// checkUnit answers ENotFound (field "unit") unless the unit exists.
func checkUnit(ctx context.Context, q heed.Queries, key string) error {
	if key == "" {
		return nil
	}
	_, err := q.GetUnit(ctx, key)
	if heed.IsNotFound(err) {
		return heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", key)
	}
	return heed.Internal(err, "accounts: find unit")
}

// writeUser upserts the employee of a new user, sets their password and
// ends the sessions of the old one, if any.
func (s *Service) writeUser(ctx context.Context, q heed.Queries, emp heed.Employee, name, hash string, now time.Time) (heed.Employee, error) {
	old, err := q.GetEmployee(ctx, emp.Email)
	if err != nil && !heed.IsNotFound(err) {
		return heed.Employee{}, heed.Internal(err, "accounts: add user: find employee")
	}
	existed := err == nil
	// Giving a password to an imported employee keeps what was not given.
	if existed && strings.TrimSpace(name) == "" {
		emp.Name = old.Name
	}
	if existed && emp.Unit == "" {
		emp.Unit = old.Unit
	}
	if emp.Unit == "" && (emp.Role == heed.RoleFrontline || emp.Role == heed.RoleManager) {
		return heed.Employee{}, heed.FieldErrorf(heed.EInvalid, "unit", "a %s needs a unit", emp.Role)
	}
	if err := checkUnit(ctx, q, emp.Unit); err != nil {
		return heed.Employee{}, err
	}
	if _, err := q.UpsertEmployees(ctx, []heed.Employee{emp}, now); err != nil {
		return heed.Employee{}, heed.Internal(err, "accounts: add user")
	}
	if err := q.SetPassword(ctx, emp.Email, hash, now); err != nil {
		return heed.Employee{}, heed.Internal(err, "accounts: add user: set password")
	}
	if existed { // a new password ends the sessions of the old one
		if _, err := q.DeleteEmployeeSessions(ctx, old.ID); err != nil {
			return heed.Employee{}, heed.Internal(err, "accounts: add user: end sessions")
		}
	}
	got, err := q.GetEmployee(ctx, emp.Email)
	return got, heed.Internal(err, "accounts: add user: read back")
}

// validateUser checks u and returns the employee it describes.
func validateUser(u NewUser) (heed.Employee, error) {
	email := heed.NormEmail(u.Email)
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(email, " \t\r\n") {
		return heed.Employee{}, heed.FieldErrorf(heed.EInvalid, "email", "%q is not an email address", u.Email)
	}
	if !u.Role.Valid() {
		return heed.Employee{}, heed.FieldErrorf(heed.EInvalid, "role",
			"role must be frontline, manager, analyst or admin, not %q", u.Role)
	}
	unit := strings.TrimSpace(u.Unit) // "" keeps an existing employee's unit; see writeUser
	if err := checkPassword(u.Password); err != nil {
		return heed.Employee{}, err
	}
	name := strings.TrimSpace(u.Name)
	if name == "" {
		name = local
	}
	return heed.Employee{Email: email, Name: name, Role: u.Role, Unit: unit}, nil
}

// SetPassword changes an employee's password. Admins may change anyone's;
// a signed-in employee only their own.
func (s *Service) SetPassword(ctx context.Context, p heed.Principal, email, password string) error {
	email = heed.NormEmail(email)
	if !p.IsAdmin() {
		emp, err := s.store.GetEmployee(ctx, email)
		// Not found answers forbidden too, so non-admins cannot probe
		// which emails exist.
		if err != nil || p.Kind != heed.KindEmployee || p.EmployeeID != emp.ID {
			if err != nil && !heed.IsNotFound(err) {
				return heed.Internal(err, "accounts: set password")
			}
			return heed.Errorf(heed.EForbidden, "you may only change your own password")
		}
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	// A new password ends every session of the old one: whoever learnt
	// the old password must not stay signed in.
	return s.store.InTx(ctx, func(q heed.Queries) error {
		if err := q.SetPassword(ctx, email, hash, s.now()); err != nil {
			return heed.Internal(err, "accounts: set password")
		}
		c, err := q.GetCredentials(ctx, email)
		if err != nil {
			return heed.Internal(err, "accounts: set password")
		}
		_, err = q.DeleteEmployeeSessions(ctx, c.Employee.ID)
		return heed.Internal(err, "accounts: end sessions")
	})
}

// ChangePassword lets a signed-in employee replace their own password
// with proof that they know the current one. A wrong current password
// counts as a failed sign-in of their email, so this form cannot be used
// to guess it past the throttle. The new password is set through
// SetPassword, which ends every session of the employee, this one too.
func (s *Service) ChangePassword(ctx context.Context, p heed.Principal, current, newPassword string) error {
	if p.Kind != heed.KindEmployee || p.EmployeeID == 0 {
		return heed.Errorf(heed.EForbidden, "only a signed-in employee may change their own password")
	}
	if err := checkPassword(newPassword); err != nil {
		return heed.FieldErrorf(heed.EInvalid, "new_password", "new %s", heed.ErrorMessage(err))
	}
	c, err := s.store.GetCredentialsByID(ctx, p.EmployeeID)
	if heed.IsNotFound(err) {
		return heed.Errorf(heed.EUnauthorized, "not signed in")
	}
	if err != nil {
		return heed.Internal(err, "accounts: change password: find employee")
	}
	email, now := c.Employee.Email, s.now()
	keys := throttleKeys(email, "")
	if err := s.admitAttempt(ctx, keys, now); err != nil {
		return err
	}
	_, ok, err := s.checkPassword(ctx, email, current)
	if err != nil {
		return err
	}
	if !ok {
		return heed.FieldErrorf(heed.EUnauthorized, "current_password", "current password is wrong")
	}
	if err := s.clearFailures(ctx, keys); err != nil {
		return err
	}
	return s.SetPassword(ctx, p, email, newPassword)
}

// PrincipalFor returns the principal of the employee with this email, as
// if they had signed in (for the CLI acting on someone's behalf, and tests).
func (s *Service) PrincipalFor(ctx context.Context, email string) (heed.Principal, error) {
	c, err := s.store.GetCredentials(ctx, heed.NormEmail(email))
	if err != nil {
		return heed.Principal{}, heed.Internal(err, "accounts: principal for "+email)
	}
	return employeePrincipal(c), nil
}
