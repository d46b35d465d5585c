package survey_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testclock"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/survey"
)

// t0 is the start of every controlled clock.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // a Monday

// fixture is a small organisation: a company with regions north (stores
// n1, n2) and south (store s1), and customers spread over the stores.
type fixture struct {
	store heed.Store
	svc   *survey.Service
	clock *testclock.Clock
}

func newFixture(t *testing.T, engine string, mailer mail.Sender, customers int) *fixture {
	t.Helper()
	store := testdb.Open(t, engine)
	clk := testclock.New(t0)
	f := &fixture{store: store, clock: clk,
		svc: survey.New(store, survey.Config{PublicURL: "http://heed.test", Mailer: mailer, Now: clk.Now})}
	dir := directory.New(store, clk.Now)
	ctx := t.Context()
	_, err := dir.UpsertUnits(ctx, heed.System(), []heed.Unit{
		{Key: "co", Name: "Company"},
		{Key: "north", Name: "North", Parent: "co"},
		{Key: "south", Name: "South", Parent: "co"},
		{Key: "n1", Name: "North One", Parent: "north"},
		{Key: "n2", Name: "North Two", Parent: "north"},
		{Key: "s1", Name: "South One", Parent: "south"},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
		{Email: "nora@co.example", Name: "Nora North", Role: heed.RoleManager, Unit: "north"},
		{Email: "sam@co.example", Name: "Sam South", Role: heed.RoleManager, Unit: "south"},
	})
	if err != nil {
		t.Fatal(err)
	}
	stores := []string{"n1", "n2", "s1"}
	langs := []string{"en", "nl", "de-AT"}
	var custs []heed.Customer
	for i := range customers {
		custs = append(custs, heed.Customer{
			ExternalID: fmt.Sprintf("C-%05d", i+1), Name: fmt.Sprintf("Customer %d", i+1),
			Email: fmt.Sprintf("c%d@mail.example", i+1), Language: langs[i%3], Unit: stores[i%3], Consent: true,
		})
	}
	for start := 0; start < len(custs); start += 2000 {
		if _, err := dir.UpsertCustomers(ctx, heed.System(), custs[start:min(start+2000, len(custs))]); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) nps(t *testing.T) heed.Survey {
	t.Helper()
	sv, err := f.svc.CreateSurvey(t.Context(), heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Store visit", Hidden: []string{"order", "store"}})
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

// manager is the principal of a manager of unit (by path).
func (f *fixture) manager(t *testing.T, email string) heed.Principal {
	t.Helper()
	e, err := f.store.GetEmployee(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := f.store.GetUnit(t.Context(), e.Unit)
	if err != nil {
		t.Fatal(err)
	}
	return heed.Principal{Kind: heed.KindEmployee, Name: email, Role: e.Role, EmployeeID: e.ID, UnitID: u.ID, UnitPath: u.Path}
}

// tokenOf is the token at the end of a personal link.
func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	tok, ok := strings.CutPrefix(u.Path, "/s/")
	if !ok || tok == "" || strings.Contains(tok, "/") {
		t.Fatalf("link %q is not /s/TOKEN", link)
	}
	return tok
}

func ptr[T any](v T) *T { return &v }
