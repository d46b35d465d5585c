package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// TODO(store): stubs to be replaced by the real implementation.

func (q queries) GetUnit(ctx context.Context, key string) (heed.Unit, error) {
	return heed.Unit{}, errNotImplemented
}

func (q queries) GetUnitByID(ctx context.Context, id int64) (heed.Unit, error) {
	return heed.Unit{}, errNotImplemented
}

func (q queries) ListUnits(ctx context.Context, scope heed.Scope) ([]heed.Unit, error) {
	return nil, errNotImplemented
}

func (q queries) UpsertUnits(ctx context.Context, units []heed.Unit, now time.Time) (heed.UpsertResult, error) {
	return heed.UpsertResult{}, errNotImplemented
}

func (q queries) GetEmployee(ctx context.Context, email string) (heed.Employee, error) {
	return heed.Employee{}, errNotImplemented
}

func (q queries) GetEmployeeByID(ctx context.Context, id int64) (heed.Employee, error) {
	return heed.Employee{}, errNotImplemented
}

func (q queries) ListEmployees(ctx context.Context, scope heed.Scope, f heed.EmployeeFilter) ([]heed.Employee, error) {
	return nil, errNotImplemented
}

func (q queries) UpsertEmployees(ctx context.Context, emps []heed.Employee, now time.Time) (heed.UpsertResult, error) {
	return heed.UpsertResult{}, errNotImplemented
}

func (q queries) SetPassword(ctx context.Context, email, hash string, now time.Time) error {
	return errNotImplemented
}

func (q queries) GetCredentials(ctx context.Context, email string) (heed.Credentials, error) {
	return heed.Credentials{}, errNotImplemented
}

func (q queries) GetCredentialsByID(ctx context.Context, id int64) (heed.Credentials, error) {
	return heed.Credentials{}, errNotImplemented
}

func (q queries) GetCustomer(ctx context.Context, scope heed.Scope, externalID string) (heed.Customer, error) {
	return heed.Customer{}, errNotImplemented
}

func (q queries) ListCustomers(ctx context.Context, scope heed.Scope, f heed.CustomerFilter) (heed.CustomerPage, error) {
	return heed.CustomerPage{}, errNotImplemented
}

func (q queries) CountCustomers(ctx context.Context, scope heed.Scope) (int, error) {
	return 0, errNotImplemented
}

func (q queries) UpsertCustomers(ctx context.Context, custs []heed.Customer, now time.Time) (heed.UpsertResult, error) {
	return heed.UpsertResult{}, errNotImplemented
}
