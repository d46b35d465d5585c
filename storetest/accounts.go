package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

func testAccounts(t *testing.T, open Opener) {
	t.Run("sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("tokens", func(t *testing.T) { testAPITokens(t, open) })
	t.Run("login failures", func(t *testing.T) { testLoginFailures(t, open) })
}

// accountFixture is a small organisation for the account tests: a company
// with one region, a manager in the region and an admin without a unit.
type accountFixture struct {
	region  heed.Unit
	manager heed.Employee
	admin   heed.Employee
}

func newAccountFixture(t *testing.T, s heed.Store) accountFixture {
	t.Helper()
	ctx := t.Context()
	units := []heed.Unit{
		{Key: "acme", Name: "Acme"},
		{Key: "north", Name: "North", Parent: "acme"},
	}
	if _, err := s.UpsertUnits(ctx, units, T0); err != nil {
		t.Fatalf("fixture: UpsertUnits: %v", err)
	}
	emps := []heed.Employee{
		{Email: "nora@acme.test", Name: "Nora", Role: heed.RoleManager, Unit: "north"},
		{Email: "ada@acme.test", Name: "Ada", Role: heed.RoleAdmin},
	}
	if _, err := s.UpsertEmployees(ctx, emps, T0); err != nil {
		t.Fatalf("fixture: UpsertEmployees: %v", err)
	}
	var f accountFixture
	var err error
	if f.region, err = s.GetUnit(ctx, "north"); err != nil {
		t.Fatalf("fixture: GetUnit: %v", err)
	}
	if f.manager, err = s.GetEmployee(ctx, "nora@acme.test"); err != nil {
		t.Fatalf("fixture: GetEmployee: %v", err)
	}
	if f.admin, err = s.GetEmployee(ctx, "ada@acme.test"); err != nil {
		t.Fatalf("fixture: GetEmployee: %v", err)
	}
	return f
}

func testSessions(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	f := newAccountFixture(t, s)
	short := heed.Session{TokenHash: "aa11", EmployeeID: f.manager.ID, CreatedAt: T0,
		ExpiresAt: T0.Add(time.Hour), UserAgent: "Firefox", IP: "192.0.2.7"}
	long := heed.Session{TokenHash: "bb22", EmployeeID: f.admin.ID, CreatedAt: T0, ExpiresAt: T0.Add(12 * time.Hour)}
	for _, sess := range []heed.Session{short, long} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
	}

	got, err := s.GetSession(ctx, "aa11", T0.Add(time.Minute))
	if err != nil {
		t.Fatalf("GetSession: %v", err)
	}
	if !reflect.DeepEqual(got, short) {
		t.Errorf("GetSession = %+v; want %+v", got, short)
	}
	wantAccountNotFound(t, "GetSession of unknown token", func() error { _, err := s.GetSession(ctx, "zz", T0); return err })
	wantAccountNotFound(t, "GetSession at expiry", func() error { _, err := s.GetSession(ctx, "aa11", short.ExpiresAt); return err })

	n, err := s.DeleteExpiredSessions(ctx, T0.Add(2*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want 1 (the short session)", n, err)
	}
	if _, err := s.GetSession(ctx, "bb22", T0.Add(2*time.Hour)); err != nil {
		t.Errorf("long session gone after cleanup: %v", err)
	}

	if err := s.DeleteSession(ctx, "bb22"); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	wantAccountNotFound(t, "GetSession after delete", func() error { _, err := s.GetSession(ctx, "bb22", T0); return err })
	if err := s.DeleteSession(ctx, "bb22"); err != nil {
		t.Errorf("second DeleteSession = %v; want nil (signing out twice is harmless)", err)
	}

	// Signing one employee out everywhere leaves the others signed in.
	for _, sess := range []heed.Session{
		{TokenHash: "cc1", EmployeeID: f.manager.ID, CreatedAt: T0, ExpiresAt: T0.Add(time.Hour)},
		{TokenHash: "cc2", EmployeeID: f.manager.ID, CreatedAt: T0, ExpiresAt: T0.Add(time.Hour)},
		{TokenHash: "dd1", EmployeeID: f.admin.ID, CreatedAt: T0, ExpiresAt: T0.Add(time.Hour)},
	} {
		if err := s.CreateSession(ctx, sess); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
	}
	if n, err := s.DeleteEmployeeSessions(ctx, f.manager.ID); err != nil || n != 2 {
		t.Fatalf("DeleteEmployeeSessions = %d, %v; want 2", n, err)
	}
	wantAccountNotFound(t, "manager's session after sign-out everywhere", func() error { _, err := s.GetSession(ctx, "cc2", T0); return err })
	if _, err := s.GetSession(ctx, "dd1", T0); err != nil {
		t.Errorf("admin's session ended with the manager's: %v", err)
	}
}

func testAPITokens(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	f := newAccountFixture(t, s)

	// A role token names its unit by ID; an employee token by email.
	roleTok := mustCreateToken(t, s, heed.APIToken{Name: "bi export", TokenHash: "h-role", Prefix: "heed_role123",
		Role: heed.RoleManager, UnitID: f.region.ID, CreatedAt: T0})
	if roleTok.ID == 0 || roleTok.Unit != "north" || roleTok.Employee != "" || roleTok.EmployeeID != 0 {
		t.Errorf("role token = %+v; want an ID, unit north and no employee", roleTok)
	}
	empTok := mustCreateToken(t, s, heed.APIToken{Name: "nora's script", TokenHash: "h-emp", Prefix: "heed_emp4567",
		Role: f.manager.Role, Employee: "Nora@acme.test", CreatedAt: T0.Add(time.Second)})
	if empTok.Employee != "nora@acme.test" || empTok.EmployeeID != f.manager.ID {
		t.Errorf("employee token = %+v; want employee nora@acme.test (id %d)", empTok, f.manager.ID)
	}
	if _, err := s.CreateAPIToken(ctx, heed.APIToken{Name: "x", TokenHash: "h-x", Prefix: "p",
		Role: heed.RoleAdmin, Employee: "nobody@acme.test", CreatedAt: T0}); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("CreateAPIToken for an unknown employee = %v; want not_found", err)
	}

	got, err := s.GetAPIToken(ctx, "h-emp")
	if err != nil {
		t.Fatalf("GetAPIToken: %v", err)
	}
	if !reflect.DeepEqual(got, empTok) {
		t.Errorf("GetAPIToken = %+v; want %+v", got, empTok)
	}
	wantAccountNotFound(t, "GetAPIToken of unknown hash", func() error { _, err := s.GetAPIToken(ctx, "nope"); return err })

	used := T0.Add(time.Hour)
	if err := s.TouchAPIToken(ctx, roleTok.ID, used); err != nil {
		t.Fatalf("TouchAPIToken: %v", err)
	}
	if got, _ := s.GetAPIToken(ctx, "h-role"); got.LastUsedAt == nil || !got.LastUsedAt.Equal(used) {
		t.Errorf("LastUsedAt after touch = %v; want %v", got.LastUsedAt, used)
	}

	revoked := T0.Add(2 * time.Hour)
	if err := s.RevokeAPIToken(ctx, roleTok.ID, revoked); err != nil {
		t.Fatalf("RevokeAPIToken: %v", err)
	}
	wantAccountNotFound(t, "GetAPIToken after revoke", func() error { _, err := s.GetAPIToken(ctx, "h-role"); return err })
	wantAccountNotFound(t, "RevokeAPIToken of unknown id", func() error { return s.RevokeAPIToken(ctx, 99999, revoked) })
	wantAccountNotFound(t, "TouchAPIToken of unknown id", func() error { return s.TouchAPIToken(ctx, 99999, revoked) })

	list, err := s.ListAPITokens(ctx)
	if err != nil {
		t.Fatalf("ListAPITokens: %v", err)
	}
	if len(list) != 2 || list[0].ID != roleTok.ID || list[1].ID != empTok.ID {
		t.Fatalf("ListAPITokens = %+v; want the role token then the employee token", list)
	}
	if list[0].RevokedAt == nil || !list[0].RevokedAt.Equal(revoked) || list[1].RevokedAt != nil {
		t.Errorf("RevokedAt in list = %v, %v; want %v and nil", list[0].RevokedAt, list[1].RevokedAt, revoked)
	}
	if list[0].Unit != "north" || list[1].Employee != "nora@acme.test" {
		t.Errorf("list lost the joined unit or employee: %+v", list)
	}
}

func mustCreateToken(t *testing.T, s heed.Store, tok heed.APIToken) heed.APIToken {
	t.Helper()
	got, err := s.CreateAPIToken(t.Context(), tok)
	if err != nil {
		t.Fatalf("CreateAPIToken(%s): %v", tok.Name, err)
	}
	if got.Name != tok.Name || got.TokenHash != tok.TokenHash || got.Prefix != tok.Prefix ||
		got.Role != tok.Role || !got.CreatedAt.Equal(tok.CreatedAt) || got.LastUsedAt != nil || got.RevokedAt != nil {
		t.Errorf("CreateAPIToken returned %+v; want the fields given, %+v", got, tok)
	}
	return got
}

func testLoginFailures(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	for _, d := range []time.Duration{0, time.Minute, 10 * time.Minute} {
		if err := s.RecordLoginFailure(ctx, "email:nora@acme.test", T0.Add(d)); err != nil {
			t.Fatalf("RecordLoginFailure: %v", err)
		}
	}
	if err := s.RecordLoginFailure(ctx, "ip:192.0.2.7", T0); err != nil {
		t.Fatalf("RecordLoginFailure: %v", err)
	}
	counts := []struct {
		key   string
		since time.Time
		want  int
	}{
		{"email:nora@acme.test", T0.Add(-time.Hour), 3},
		{"email:nora@acme.test", T0.Add(time.Minute), 2}, // since is inclusive
		{"email:nora@acme.test", T0.Add(11 * time.Minute), 0},
		{"ip:192.0.2.7", T0, 1},
		{"email:someone@else.test", T0.Add(-time.Hour), 0},
	}
	for _, c := range counts {
		checkFailures(ctx, t, s, c.key, c.since, c.want)
	}
	if err := s.ClearLoginFailures(ctx, "email:nora@acme.test"); err != nil {
		t.Fatalf("ClearLoginFailures: %v", err)
	}
	checkFailures(ctx, t, s, "email:nora@acme.test", T0.Add(-time.Hour), 0)
	checkFailures(ctx, t, s, "ip:192.0.2.7", T0.Add(-time.Hour), 1) // other keys untouched

	// Purging drops what is older than the cut-off, of every key.
	if err := s.RecordLoginFailure(ctx, "ip:192.0.2.7", T0.Add(time.Hour)); err != nil {
		t.Fatalf("RecordLoginFailure: %v", err)
	}
	if n, err := s.PurgeLoginFailures(ctx, T0.Add(time.Minute)); err != nil || n != 1 {
		t.Fatalf("PurgeLoginFailures = %d, %v; want 1", n, err)
	}
	checkFailures(ctx, t, s, "ip:192.0.2.7", T0.Add(-time.Hour), 1)
}

func checkFailures(ctx context.Context, t *testing.T, s heed.Store, key string, since time.Time, want int) {
	t.Helper()
	n, err := s.CountLoginFailures(ctx, key, since)
	if err != nil || n != want {
		t.Errorf("CountLoginFailures(%s, since %v) = %d, %v; want %d", key, since, n, err, want)
	}
}

// wantAccountNotFound fails t unless call returns an ENotFound error.
func wantAccountNotFound(t *testing.T, what string, call func() error) {
	t.Helper()
	if err := call(); heed.ErrorCode(err) != heed.ENotFound {
		t.Errorf("%s = %v; want not_found", what, err)
	}
}
