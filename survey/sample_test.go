package survey_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// TestSampleDryRun is the case: 12,000 customers, 1,000 a month,
// about 33 asked a day, never anyone asked in the last 183 days, and the
// skipped explained.
func TestSampleDryRun(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 12_000)
	ctx := t.Context()
	sv := f.nps(t)
	pr, err := f.svc.CreateProgram(ctx, heed.System(), heed.Program{Name: "Visits", Survey: sv.Key, Target: 1000, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	// 100 days ago the program asked 500 customers; 20 days ago another
	// program asked 300 others; 40 customers withdrew consent.
	f.clock.Add(-100 * 24 * time.Hour)
	if _, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: ids(1, 500)}); err != nil {
		t.Fatal(err)
	}
	recent := markProgram(t, f, pr, ids(1, 500))
	f.clock.Add(80 * 24 * time.Hour)
	if _, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: ids(501, 800)}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(20 * 24 * time.Hour)
	withdraw(t, f, ids(801, 840))

	rep, err := f.svc.Sample(ctx, heed.System(), pr.Key, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dry run: quota %d, eligible %d, skipped %v", rep.Quota, rep.Eligible, rep.Skipped)
	// 2 March: the share of two days of a 31-day month, 1,000·2/31 = 64.5 → 65.
	if rep.Quota != 65 || len(rep.Chosen) != rep.Quota {
		t.Fatalf("quota %d, chosen %d; want 2 days of 1,000/31 = 65 on 2 March", rep.Quota, len(rep.Chosen))
	}
	if rep.Population != 12_000 || rep.Skipped["asked_by_program"] != 500 || rep.Skipped["asked_recently"] != 300 ||
		rep.Skipped["no_consent"] != 40 {
		t.Fatalf("skipped = %v; want 500 asked by the program, 300 asked recently, 40 without consent", rep.Skipped)
	}
	total := len(rep.Chosen)
	for _, n := range rep.Skipped {
		total += n
	}
	if total != rep.Population {
		t.Errorf("chosen + skipped = %d; want the population %d", total, rep.Population)
	}
	for _, c := range rep.Chosen {
		if recent[c] {
			t.Fatalf("%s was asked by the program 100 days ago and chosen again", c)
		}
	}
	again, _ := f.svc.Sample(ctx, heed.System(), pr.Key, true)
	if !slices.Equal(again.Chosen, rep.Chosen) {
		t.Errorf("a second dry run chose differently: the choice must be reproducible")
	}
	if invs, _ := f.svc.ListInvitations(ctx, heed.System(), "", pr.Key, heed.InvitationFilter{Limit: 1000}); len(invs) != 500 {
		t.Errorf("the program has %d invitations after dry runs; want the 500 made before", len(invs))
	}
	// The next day, after a real run, asks about 33 more.
	if _, err := f.svc.Sample(ctx, heed.System(), pr.Key, false); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(24 * time.Hour)
	next, err := f.svc.Sample(ctx, heed.System(), pr.Key, true)
	// By the end of 3 March 1,000·3/31 = 96.8 → 97 are due; 65 were asked.
	if err != nil || next.Quota != 32 {
		t.Fatalf("next day's quota = %d, %v; want 97 due by 3 March − 65 asked = 32", next.Quota, err)
	}
}

// markProgram turns the invitations just made into the program's (as if
// the program had asked them) and returns the customers.
func markProgram(t *testing.T, f *fixture, pr heed.Program, custs []string) map[string]bool {
	t.Helper()
	// Invitations of a program are only made by its runs; ask the store
	// directly for the ones the test needs in the past.
	sv, _ := f.store.GetSurvey(t.Context(), pr.Survey)
	out := map[string]bool{}
	err := f.store.InTx(t.Context(), func(q heed.Queries) error {
		for _, ext := range custs {
			c, err := q.GetCustomer(t.Context(), heed.Scope{All: true}, ext)
			if err != nil {
				return err
			}
			u, err := q.GetUnit(t.Context(), c.Unit)
			if err != nil {
				return err
			}
			_, err = q.CreateInvitation(t.Context(), heed.Invitation{SurveyID: sv.ID, ProgramID: pr.ID, CustomerID: c.ID, UnitID: u.ID,
				Channel: "email", TokenHash: survey.HashToken("past-" + ext), CreatedAt: f.clock.Now(),
				ExpiresAt: f.clock.Now().Add(30 * 24 * time.Hour)})
			if err != nil {
				return err
			}
			out[ext] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func withdraw(t *testing.T, f *fixture, custs []string) {
	t.Helper()
	var cs []heed.Customer
	for _, ext := range custs {
		c, err := f.store.GetCustomer(t.Context(), heed.Scope{All: true}, ext)
		if err != nil {
			t.Fatal(err)
		}
		c.Consent = false
		cs = append(cs, c)
	}
	if _, err := f.store.UpsertCustomers(t.Context(), cs, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
}

func ids(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, customerID(i))
	}
	return out
}

func customerID(i int) string { return fmt.Sprintf("C-%05d", i) }
