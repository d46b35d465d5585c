package sqlstore

import (
	"context"
	"testing"

	"github.com/heedhq/heed"
)

// memEmployees is an EmployeeWriter over maps.
type memEmployees struct {
	units       map[string]int64
	unitLookups int
	byEmail     map[string]StoredEmployee
	writes      []string
}

func (m *memEmployees) LookupUnit(_ context.Context, key string) (int64, bool, error) {
	m.unitLookups++
	id, ok := m.units[key]
	return id, ok, nil
}

func (m *memEmployees) StoredEmployee(_ context.Context, email string) (StoredEmployee, bool, error) {
	s, ok := m.byEmail[email]
	return s, ok, nil
}

func (m *memEmployees) InsertEmployee(_ context.Context, email string, row EmployeeRow) error {
	m.writes = append(m.writes, "insert "+email)
	m.byEmail[email] = StoredEmployee{ID: int64(len(m.byEmail) + 1), Row: row}
	return nil
}

func (m *memEmployees) UpdateEmployee(_ context.Context, id int64, row EmployeeRow) error {
	for email, s := range m.byEmail {
		if s.ID == id {
			m.writes = append(m.writes, "update "+email)
			m.byEmail[email] = StoredEmployee{ID: id, Row: row}
		}
	}
	return nil
}

func TestUpsertEmployees(t *testing.T) {
	ctx := context.Background()
	m := &memEmployees{units: map[string]int64{"shop": 5}, byEmail: map[string]StoredEmployee{}}
	emps := []heed.Employee{
		{Email: "Ann@Example.com", Name: "Ann", Role: heed.RoleManager, Unit: "shop"},
		{Email: "bob@example.com", Name: "Bob", Role: heed.RoleFrontline, Unit: "shop"},
	}
	if res, err := UpsertEmployees(ctx, m, emps); err != nil || res != (heed.UpsertResult{Created: 2}) {
		t.Fatalf("first = %+v, %v", res, err)
	}
	if m.unitLookups != 1 {
		t.Errorf("looked unit shop up %d times in one batch; want once", m.unitLookups)
	}
	emps[1].Role = heed.RoleAdmin
	if res, err := UpsertEmployees(ctx, m, emps); err != nil || res != (heed.UpsertResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("second = %+v, %v", res, err)
	}
	if last := m.writes[len(m.writes)-1]; last != "update bob@example.com" {
		t.Errorf("last write %q", last)
	}
}

func TestUpsertEmployeesRefuses(t *testing.T) {
	ctx := context.Background()
	m := &memEmployees{units: map[string]int64{}, byEmail: map[string]StoredEmployee{}}
	tests := []struct {
		emp   heed.Employee
		code  heed.Code
		field string
	}{
		{heed.Employee{Email: " ", Role: heed.RoleAdmin}, heed.EInvalid, "email"},
		{heed.Employee{Email: "a@example.com", Role: "boss"}, heed.EInvalid, "role"},
		{heed.Employee{Email: "a@example.com", Role: heed.RoleAdmin, Unit: "attic"}, heed.ENotFound, "unit"},
	}
	for _, tt := range tests {
		_, err := UpsertEmployees(ctx, m, []heed.Employee{tt.emp})
		wantCode(t, tt.field, err, tt.code, tt.field)
	}
	_, err := UpsertEmployees(ctx, m, []heed.Employee{tests[2].emp})
	if msg := heed.ErrorMessage(err); msg != `employee "a@example.com": no unit "attic"` {
		t.Errorf("message %q; want the row named", msg)
	}
	if len(m.writes) != 0 {
		t.Errorf("wrote %v; want nothing", m.writes)
	}
	wantCode(t, "negative limit", CheckEmployeeFilter(heed.EmployeeFilter{Limit: -1}), heed.EInvalid, "limit")
}
