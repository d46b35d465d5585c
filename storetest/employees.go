package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func testEmployees(t *testing.T, s heed.Store) {
	ctx := t.Context()
	mustUpsertUnits(t, s, T0, heed.Unit{Key: "hq", Name: "HQ"}, heed.Unit{Key: "shop", Name: "Shop", Parent: "hq"})
	res := mustUpsertEmployees(t, s, T0,
		heed.Employee{Email: "Ann@Example.COM", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"},
		heed.Employee{Email: "root@example.com", Name: "Root", Role: heed.RoleAdmin},
		heed.Employee{Email: "max@example.com", Name: "Max", Role: heed.RoleManager, Unit: "hq"},
	)
	wantResult(t, res, heed.UpsertResult{Created: 3})

	ann, err := s.GetEmployee(ctx, "ANN@example.com")
	if err != nil {
		t.Fatalf("GetEmployee with other case: %v", err)
	}
	want := heed.Employee{ID: ann.ID, Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop",
		CreatedAt: T0, UpdatedAt: T0}
	if ann != want {
		t.Errorf("GetEmployee = %+v; want %+v", ann, want)
	}
	wantTimes(t, "ann", ann.CreatedAt, ann.UpdatedAt, T0, T0)
	if byID, err := s.GetEmployeeByID(ctx, ann.ID); err != nil || byID != ann {
		t.Errorf("GetEmployeeByID = %+v, %v; want %+v", byID, err, ann)
	}

	res = mustUpsertEmployees(t, s, T0.Add(time.Hour),
		heed.Employee{Email: "ann@example.com", Name: "Ann", Role: heed.RoleFrontline, Unit: "shop"},
		heed.Employee{Email: "ROOT@example.com", Name: "Root", Role: heed.RoleAdmin},
		heed.Employee{Email: "max@example.com", Name: "Max", Role: heed.RoleAnalyst},
	)
	wantResult(t, res, heed.UpsertResult{Updated: 1, Unchanged: 2})
	if got := mustGetEmployee(t, s, "ann@example.com"); got != ann {
		t.Errorf("unchanged employee = %+v; want %+v", got, ann)
	}
	maxE := mustGetEmployee(t, s, "max@example.com")
	if maxE.Role != heed.RoleAnalyst || maxE.Unit != "" {
		t.Errorf("updated employee = %+v; want analyst without unit", maxE)
	}
	wantTimes(t, "max", maxE.CreatedAt, maxE.UpdatedAt, T0, T0.Add(time.Hour))

	// Passwords.
	if err := s.SetPassword(ctx, "Ann@example.com", "$argon2id$v=19$fake", T0.Add(2*time.Hour)); err != nil {
		t.Fatalf("SetPassword: %v", err)
	}
	cred, err := s.GetCredentials(ctx, "ann@EXAMPLE.com")
	if err != nil {
		t.Fatalf("GetCredentials: %v", err)
	}
	shop := mustGetUnit(t, s, "shop")
	if cred.PasswordHash != "$argon2id$v=19$fake" || !cred.Employee.HasPassword ||
		cred.UnitID != shop.ID || cred.UnitPath != shop.Path || cred.Employee.Email != "ann@example.com" {
		t.Errorf("GetCredentials = %+v; want the hash, HasPassword, unit %d %s", cred, shop.ID, shop.Path)
	}
	if byID, err := s.GetCredentialsByID(ctx, ann.ID); err != nil || byID != cred {
		t.Errorf("GetCredentialsByID = %+v, %v; want %+v", byID, err, cred)
	}
	if e := mustGetEmployee(t, s, "ann@example.com"); !e.HasPassword {
		t.Errorf("GetEmployee after SetPassword: HasPassword false")
	}
	root, err := s.GetCredentials(ctx, "root@example.com")
	if err != nil || root.PasswordHash != "" || root.Employee.HasPassword || root.UnitID != 0 || root.UnitPath != "" {
		t.Errorf("credentials without password or unit = %+v, %v", root, err)
	}

	// Listing, with filters.
	tests := []struct {
		f    heed.EmployeeFilter
		want []string
	}{
		{heed.EmployeeFilter{}, []string{"ann@example.com", "max@example.com", "root@example.com"}},
		{heed.EmployeeFilter{Limit: 2}, []string{"ann@example.com", "max@example.com"}},
		{heed.EmployeeFilter{Unit: "hq"}, []string{"ann@example.com"}},
		{heed.EmployeeFilter{Unit: "shop"}, []string{"ann@example.com"}},
	}
	for _, tt := range tests {
		emps, err := s.ListEmployees(ctx, heed.Scope{All: true}, tt.f)
		if err != nil {
			t.Errorf("ListEmployees(%+v): %v", tt.f, err)
			continue
		}
		if got := employeeEmails(emps); !slices.Equal(got, tt.want) {
			t.Errorf("ListEmployees(%+v) = %v; want %v", tt.f, got, tt.want)
		}
	}
}
