// Package directory is the service over the organisation tree, its
// employees and the customer directory. The web UI, the REST API and the
// CLI all call it, and it is where the access rules live: every method
// takes the acting heed.Principal and shows or changes only what that
// principal may.
package directory

import (
	"context"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// Service reads and changes units, employees and customers.
type Service struct {
	store heed.Store
	now   func() time.Time
}

// New returns a Service over store; now is the clock (time.Now in
// production, a fixed clock in tests).
func New(store heed.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, now: now}
}

// requireAdmin is the rule for every change to the organisation: only
// admins (and the operator at the CLI, heed.System()) make them.
func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may %s", what)
	}
	return nil
}

// batchFile names the request body in the row errors of a batch that did
// not come from a file.
const batchFile = "request"

// ListUnits returns the units p may see, parents before children.
func (s *Service) ListUnits(ctx context.Context, p heed.Principal) ([]heed.Unit, error) {
	return s.store.ListUnits(ctx, p.Scope())
}

// GetUnit returns the unit with key if p may see it, ENotFound otherwise.
func (s *Service) GetUnit(ctx context.Context, p heed.Principal, key string) (heed.Unit, error) {
	u, err := s.store.GetUnit(ctx, key)
	if err != nil {
		return heed.Unit{}, err
	}
	if !p.Scope().CoversUnit(u.ID, u.Path) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit %q", key)
	}
	return u, nil
}

// GetUnitByID returns the unit with id if p may see it (a principal's own
// unit, typically), ENotFound otherwise.
func (s *Service) GetUnitByID(ctx context.Context, p heed.Principal, id int64) (heed.Unit, error) {
	u, err := s.store.GetUnitByID(ctx, id)
	if err != nil {
		return heed.Unit{}, err
	}
	if !p.Scope().CoversUnit(u.ID, u.Path) {
		return heed.Unit{}, heed.Errorf(heed.ENotFound, "no unit %d", id)
	}
	return u, nil
}

// PutUnit creates or updates one unit (admins only) and reports whether it
// was created.
func (s *Service) PutUnit(ctx context.Context, p heed.Principal, u heed.Unit) (heed.Unit, bool, error) {
	res, err := s.UpsertUnits(ctx, p, []heed.Unit{u})
	if err != nil {
		return heed.Unit{}, false, singleError(err)
	}
	// Read back by the key as validated (trimmed), or a padded key would
	// be written and then reported missing.
	stored, err := s.store.GetUnit(ctx, strings.TrimSpace(u.Key))
	return stored, res.Created == 1, err
}

// UpsertUnits creates or updates many units at once (admins only); the
// batch is validated whole and written in one transaction, or rejected
// with every problem listed.
func (s *Service) UpsertUnits(ctx context.Context, p heed.Principal, units []heed.Unit) (heed.UpsertResult, error) {
	return upsertBatch(ctx, p, "change units", units, s.checkUnits, s.writeUnits)
}

// upsertBatch is what every Upsert does: admins only, the batch checked
// whole (rows numbered from 1) and written in one transaction, or
// rejected with every problem listed.
func upsertBatch[T any](ctx context.Context, p heed.Principal, what string, items []T,
	check func(context.Context, string, []row[T]) ([]row[T], heed.RowErrors, error),
	write func(context.Context, []row[T], progressFunc) (heed.UpsertResult, error),
) (heed.UpsertResult, error) {
	if err := requireAdmin(p, what); err != nil {
		return heed.UpsertResult{}, err
	}
	rows := make([]row[T], len(items))
	for i, it := range items {
		rows[i] = row[T]{line: i + 1, item: it}
	}
	ok, errs, err := check(ctx, batchFile, rows)
	if err != nil {
		return heed.UpsertResult{}, err
	}
	if len(errs) > 0 {
		return heed.UpsertResult{}, errs
	}
	return write(ctx, ok, nil)
}

// ListEmployees returns the employees p may see.
func (s *Service) ListEmployees(ctx context.Context, p heed.Principal, f heed.EmployeeFilter) ([]heed.Employee, error) {
	if f.Unit != "" {
		if _, err := s.GetUnit(ctx, p, f.Unit); err != nil {
			return nil, withField(err, "unit")
		}
	}
	return s.store.ListEmployees(ctx, p.Scope(), f)
}

// GetEmployee returns the employee if p may see them. Everyone may see
// themself.
func (s *Service) GetEmployee(ctx context.Context, p heed.Principal, email string) (heed.Employee, error) {
	email = heed.NormEmail(email)
	e, err := s.store.GetEmployee(ctx, email)
	if err != nil {
		return heed.Employee{}, err
	}
	if e.ID == p.EmployeeID || p.SeesAll() {
		return e, nil
	}
	if e.Unit != "" {
		if _, err := s.GetUnit(ctx, p, e.Unit); err == nil {
			return e, nil
		}
	}
	return heed.Employee{}, heed.Errorf(heed.ENotFound, "no employee %q", email)
}

// GetEmployeeByID returns the employee with id if p may see them (their
// own record, typically), ENotFound otherwise.
func (s *Service) GetEmployeeByID(ctx context.Context, p heed.Principal, id int64) (heed.Employee, error) {
	e, err := s.store.GetEmployeeByID(ctx, id)
	if err != nil {
		return heed.Employee{}, err
	}
	return s.GetEmployee(ctx, p, e.Email)
}

// PutEmployee creates or updates one employee (admins only).
func (s *Service) PutEmployee(ctx context.Context, p heed.Principal, e heed.Employee) (heed.Employee, bool, error) {
	res, err := s.UpsertEmployees(ctx, p, []heed.Employee{e})
	if err != nil {
		return heed.Employee{}, false, singleError(err)
	}
	stored, err := s.store.GetEmployee(ctx, heed.NormEmail(e.Email))
	return stored, res.Created == 1, err
}

// UpsertEmployees creates or updates many employees (admins only), all or
// nothing.
func (s *Service) UpsertEmployees(ctx context.Context, p heed.Principal, emps []heed.Employee) (heed.UpsertResult, error) {
	return upsertBatch(ctx, p, "change employees", emps, s.checkEmployees, s.writeEmployees)
}

// GetCustomer returns the customer if p may see them, ENotFound otherwise.
func (s *Service) GetCustomer(ctx context.Context, p heed.Principal, externalID string) (heed.Customer, error) {
	return s.store.GetCustomer(ctx, p.Scope(), externalID)
}

// ListCustomers pages through the customers p may see.
func (s *Service) ListCustomers(ctx context.Context, p heed.Principal, f heed.CustomerFilter) (heed.CustomerPage, error) {
	if f.Limit < 0 || f.Limit > 1000 {
		return heed.CustomerPage{}, heed.FieldErrorf(heed.EInvalid, "limit", "limit must be between 1 and 1000")
	}
	if f.Unit != "" {
		if _, err := s.GetUnit(ctx, p, f.Unit); err != nil {
			return heed.CustomerPage{}, withField(err, "unit")
		}
	}
	return s.store.ListCustomers(ctx, p.Scope(), f)
}

// CountCustomers counts the customers p may see.
func (s *Service) CountCustomers(ctx context.Context, p heed.Principal) (int, error) {
	return s.store.CountCustomers(ctx, p.Scope())
}

// PutCustomer creates or updates one customer (admins only).
func (s *Service) PutCustomer(ctx context.Context, p heed.Principal, c heed.Customer) (heed.Customer, bool, error) {
	res, err := s.UpsertCustomers(ctx, p, []heed.Customer{c})
	if err != nil {
		return heed.Customer{}, false, singleError(err)
	}
	stored, err := s.store.GetCustomer(ctx, heed.Scope{All: true}, strings.TrimSpace(c.ExternalID))
	return stored, res.Created == 1, err
}

// UpsertCustomers creates or updates many customers (admins only), all or
// nothing.
func (s *Service) UpsertCustomers(ctx context.Context, p heed.Principal, custs []heed.Customer) (heed.UpsertResult, error) {
	return upsertBatch(ctx, p, "change customers", custs, s.checkCustomers, s.writeCustomers)
}
