package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

// demoNow is the clock of the tests: mid-month, mid-afternoon.
var demoNow = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

// loadOrg writes ds's units, employees and customers into a new SQLite
// store, as `heed demo` does before the surveys.
func loadOrg(t testing.TB, ds Dataset) heed.Store {
	t.Helper()
	ctx := context.Background()
	store := testdb.SQLite(t)
	dir := directory.New(store, func() time.Time { return demoNow })
	if _, err := dir.UpsertUnits(ctx, heed.System(), ds.Units); err != nil {
		t.Fatal(err)
	}
	if _, err := dir.UpsertEmployees(ctx, heed.System(), ds.Employees); err != nil {
		t.Fatal(err)
	}
	for start := 0; start < len(ds.Customers); start += 2000 {
		if _, err := dir.UpsertCustomers(ctx, heed.System(), ds.Customers[start:min(start+2000, len(ds.Customers))]); err != nil {
			t.Fatal(err)
		}
	}
	return store
}

func newService(store heed.Store) *survey.Service {
	return survey.New(store, survey.Config{Now: func() time.Time { return demoNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// loaded is what one load left in the database, read back through the
// store.
type loaded struct {
	surveys   map[string]heed.Survey
	invs      []heed.Invitation
	resps     []heed.Response
	customers map[string]heed.Customer
}

func TestLoadSurveys(t *testing.T) {
	ctx := context.Background()
	ds := Generate(1)
	store := loadOrg(t, ds)
	svc := newService(store)
	var done, total int
	rep, err := LoadSurveys(ctx, svc, store, ds, demoNow, func(d, n int) { done, total = d, n })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first load: %+v", rep)
	if rep.Surveys != 2 || rep.Programs != 2 || rep.Invitations < 5500 || rep.Responses < 1800 {
		t.Errorf("first load %+v", rep)
	}
	// The live program carries on where the history stops: today it asks
	// only today's share of the month's target.
	plan, err := svc.Sample(ctx, heed.System(), StoreVisitProgram, true)
	if err != nil || plan.Quota < 1 || plan.Quota > 2*visitTarget/28 {
		t.Errorf("today's run after the history: quota %d of %d (%v)", plan.Quota, visitTarget, err)
	}
	if p, err := store.GetProgram(ctx, StoreVisitProgram); err != nil || p.LastRunAt == nil || !p.LastRunAt.Before(demoNow) {
		t.Errorf("store-visit program last ran %v (%v)", p.LastRunAt, err)
	}
	if done != total || total != rep.Invitations+rep.Responses {
		t.Errorf("progress ended at %d of %d, want %d", done, total, rep.Invitations+rep.Responses)
	}
	l := readBack(t, store, ds)
	if len(l.invs) != rep.Invitations || len(l.resps) != rep.Responses {
		t.Errorf("stored %d invitations and %d responses, report says %d and %d", len(l.invs), len(l.resps), rep.Invitations, rep.Responses)
	}

	again, err := LoadSurveys(ctx, svc, store, ds, demoNow.Add(24*time.Hour), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again != (LoadReport{}) {
		t.Errorf("second load added %+v", again)
	}
	if l2 := readBack(t, store, ds); len(l2.invs) != len(l.invs) || len(l2.resps) != len(l.resps) {
		t.Errorf("second load: %d invitations and %d responses, were %d and %d", len(l2.invs), len(l2.resps), len(l.invs), len(l.resps))
	}

	t.Run("contact rules", func(t *testing.T) { checkContactRules(t, l) })
	t.Run("invitations", func(t *testing.T) { checkInvitations(t, l) })
	t.Run("answers", func(t *testing.T) { checkAnswers(t, l) })
	t.Run("languages", func(t *testing.T) { checkLanguages(t, l) })
	t.Run("weeks", func(t *testing.T) { checkWeeks(t, svc, l) })
	t.Run("stores differ", func(t *testing.T) { checkStores(t, svc) })
	t.Run("trends", func(t *testing.T) { checkTrends(t, svc) })
}

func readBack(t *testing.T, store heed.Store, ds Dataset) loaded {
	t.Helper()
	ctx := context.Background()
	all := heed.Scope{All: true}
	l := loaded{surveys: map[string]heed.Survey{}, customers: map[string]heed.Customer{}}
	for _, c := range ds.Customers {
		l.customers[c.ExternalID] = c
	}
	for _, key := range []string{StoreVisitSurvey, CustomerCareSurvey} {
		sv, err := store.GetSurvey(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		l.surveys[key] = sv
		for before := int64(0); ; {
			page, err := store.ListInvitations(ctx, all, heed.InvitationFilter{SurveyID: sv.ID, Limit: 1000, BeforeID: before})
			if err != nil {
				t.Fatal(err)
			}
			l.invs = append(l.invs, page...)
			if len(page) < 1000 {
				break
			}
			before = page[len(page)-1].ID
		}
		for before := int64(0); ; {
			page, err := store.ListResponses(ctx, all, heed.ResponseFilter{SurveyID: sv.ID, Limit: 1000, BeforeID: before})
			if err != nil {
				t.Fatal(err)
			}
			l.resps = append(l.resps, page...)
			if len(page) < 1000 {
				break
			}
			before = page[len(page)-1].ID
		}
	}
	return l
}

// checkContactRules: nobody asked twice by one program within 183 days,
// nor by any two within 30.
func checkContactRules(t *testing.T, l loaded) {
	byCustomer := map[string][]heed.Invitation{}
	for _, inv := range l.invs {
		byCustomer[inv.Customer] = append(byCustomer[inv.Customer], inv)
	}
	for cust, invs := range byCustomer {
		slices.SortFunc(invs, func(a, b heed.Invitation) int { return a.CreatedAt.Compare(b.CreatedAt) })
		for i := 1; i < len(invs); i++ {
			a, b := invs[i-1], invs[i]
			days := heed.Day(b.CreatedAt) - heed.Day(a.CreatedAt)
			if days < 30 || (a.Program == b.Program && days < 183) {
				t.Errorf("customer %s asked by %s on %s and by %s on %s", cust, a.Program, a.CreatedAt.Format(time.DateOnly),
					b.Program, b.CreatedAt.Format(time.DateOnly))
			}
		}
		if c := l.customers[cust]; !c.Consent || c.Email == "" {
			t.Errorf("customer %s asked without consent or address", cust)
		}
	}
}

// checkInvitations: the store-visit program's full months hold exactly its
// target, and everything lies in the six months before today.
func checkInvitations(t *testing.T, l loaded) {
	first, today := heed.DayTime(heed.Day(demoNow.AddDate(0, -6, 0))), heed.DayTime(heed.Day(demoNow))
	perMonth := map[string]int{}
	for _, inv := range l.invs {
		if inv.CreatedAt.Before(first) || !inv.CreatedAt.Before(today) {
			t.Fatalf("invitation %d made %s, outside [%s, %s)", inv.ID, inv.CreatedAt, first, today)
		}
		if inv.Delivery != heed.DeliverySent || inv.SentAt == nil || len(inv.TokenHash) != 64 {
			t.Errorf("invitation %d: delivery %q, sent %v", inv.ID, inv.Delivery, inv.SentAt)
		}
		if inv.Program == StoreVisitProgram {
			perMonth[inv.CreatedAt.Format("2006-01")]++
		}
	}
	for m := first.AddDate(0, 1, 1-first.Day()); m.AddDate(0, 1, 0).Before(today); m = m.AddDate(0, 1, 0) {
		if n := perMonth[m.Format("2006-01")]; n != visitTarget {
			t.Errorf("%s: %d store-visit invitations, want the program's target %d", m.Format("2006-01"), n, visitTarget)
		}
	}
}

// checkAnswers: rates, delays, counts, comments and the extra question.
func checkAnswers(t *testing.T, l loaded) {
	invs := map[int64]heed.Invitation{}
	invited := map[string]int{}
	for _, inv := range l.invs {
		invs[inv.ID] = inv
		invited[inv.Survey]++
	}
	answered := map[string]int{}
	var comments, reasons int
	for _, r := range l.resps {
		answered[r.Survey]++
		inv, ok := invs[r.InvitationID]
		if !ok || inv.AnsweredAt == nil || inv.Customer != r.Customer || inv.UnitID != r.UnitID {
			t.Fatalf("response %d does not match its invitation %+v", r.ID, inv)
		}
		if d := r.CreatedAt.Sub(inv.CreatedAt); d <= 0 || d > 4*24*time.Hour || !r.CreatedAt.Before(heed.DayTime(heed.Day(demoNow))) {
			t.Errorf("response %d answered %v after its invitation, at %s", r.ID, d, r.CreatedAt)
		}
		if err := survey.CheckResponse(l.surveys[r.Survey], r); err != nil {
			t.Errorf("response %d: %v", r.ID, err)
		}
		if r.Comment != "" {
			comments++
		}
		if r.Survey == StoreVisitSurvey && r.Answers["visit_reason"] != nil {
			reasons++
		}
	}
	near := func(what string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.3f, want %.2f ± %.2f", what, got, want, tol)
		}
	}
	near("store-visit response rate", float64(answered[StoreVisitSurvey])/float64(invited[StoreVisitSurvey]), 0.34, 0.03)
	near("comment share", float64(comments)/float64(len(l.resps)), 0.6, 0.06)
	near("visit reason share", float64(reasons)/float64(answered[StoreVisitSurvey]), reasonRate, 0.04)
	if n := answered[CustomerCareSurvey]; n < 240 || n > 360 {
		t.Errorf("%d customer-care answers, want about 300", n)
	}
}

// checkLanguages: each invitation and answer speaks the customer's
// language when the survey does, and its comment is in that language.
func checkLanguages(t *testing.T, l loaded) {
	for _, inv := range l.invs {
		want := survey.Language(l.surveys[inv.Survey], l.customers[inv.Customer].Language, "")
		if inv.Language != want {
			t.Errorf("invitation %d in %q, customer %s speaks %q", inv.ID, inv.Language, inv.Customer, l.customers[inv.Customer].Language)
		}
	}
	perLang := map[string]int{}
	for _, r := range l.resps {
		c := l.customers[r.Customer]
		if r.Language != survey.Language(l.surveys[r.Survey], c.Language, "") {
			t.Errorf("response %d in %q, customer %s speaks %q", r.ID, r.Language, r.Customer, c.Language)
		}
		if r.Comment == "" {
			continue
		}
		perLang[r.Language]++
		banks := storeComments
		if r.Survey == CustomerCareSurvey {
			banks = careComments
		}
		if !slices.ContainsFunc(banks[r.Language], func(x comment) bool { return x.text == r.Comment }) {
			t.Errorf("response %d in %s has the comment %q from another language", r.ID, r.Language, r.Comment)
		}
	}
	if perLang["nl"] < 10 || perLang["de"] < 10 || perLang["en"] < 5*(perLang["nl"]+perLang["de"]) {
		t.Errorf("comments per language: %v", perLang)
	}
}

// checkWeeks: answers in every week of the history, and the figures the
// service computes from its counts add up to the answers stored.
func checkWeeks(t *testing.T, svc *survey.Service, l loaded) {
	m, err := svc.Metrics(context.Background(), heed.System(), survey.MetricsQuery{Survey: StoreVisitSurvey,
		From: demoNow.AddDate(0, -6, 0), To: demoNow, By: "week", Min: 1})
	if err != nil {
		t.Fatal(err)
	}
	weeks := 0
	for _, g := range m.Groups {
		if g.N > 0 {
			weeks++
		}
	}
	visits := 0
	for _, r := range l.resps {
		if r.Survey == StoreVisitSurvey {
			visits++
		}
	}
	if weeks < 24 || m.Total.N != visits {
		t.Errorf("%d weeks with answers, counts hold %d answers, %d stored", weeks, m.Total.N, visits)
	}
	if m.Total.Score == nil || *m.Total.Score < 15 || *m.Total.Score > 45 {
		t.Errorf("company NPS %v, want a plausible +15…+45", m.Total.Score)
	}
}

// checkStores: the excellent store far above the struggling one, and
// ordinary stores spread in between.
func checkStores(t *testing.T, svc *survey.Service) {
	scores := map[string]float64{}
	for _, region := range []string{"north", "south", "east", "west"} {
		m, err := svc.Metrics(context.Background(), heed.System(), survey.MetricsQuery{Survey: StoreVisitSurvey,
			Unit: region, From: demoNow.AddDate(0, -6, 0), To: demoNow, By: "unit", Min: 1})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range m.Groups {
			if g.Score != nil {
				scores[g.Key] = *g.Score
			}
		}
	}
	if len(scores) != 40 {
		t.Errorf("%d stores with answers, want 40", len(scores))
	}
	best, worst := scores["store-edinburgh-princes-street"], scores["store-london-oxford-street"]
	if best < 40 || worst > 10 || best-worst < 45 {
		t.Errorf("excellent store NPS %.1f, struggling store %.1f", best, worst)
	}
	vals := slices.Sorted(maps.Values(scores))
	if median := vals[len(vals)/2]; median < 15 || median > 45 {
		t.Errorf("median store NPS %.1f, want +15…+45", median)
	}
}

// checkTrends: the improving store's last two months beat its first two,
// the declining store's do the opposite.
func checkTrends(t *testing.T, svc *survey.Service) {
	nps := func(unit string, from, to time.Time) float64 {
		t.Helper()
		m, err := svc.Metrics(context.Background(), heed.System(), survey.MetricsQuery{Survey: StoreVisitSurvey,
			Unit: unit, From: from, To: to, Min: 1})
		if err != nil || m.Total.Score == nil {
			t.Fatalf("metrics of %s: %v", unit, err)
		}
		return *m.Total.Score
	}
	start, mid1, mid2, end := demoNow.AddDate(0, -6, 0), demoNow.AddDate(0, -4, 0), demoNow.AddDate(0, -2, 0), demoNow
	up := [2]float64{nps("store-manchester-arndale", start, mid1), nps("store-manchester-arndale", mid2, end)}
	down := [2]float64{nps("store-bristol-cabot-circus", start, mid1), nps("store-bristol-cabot-circus", mid2, end)}
	if up[1]-up[0] < 20 || down[0]-down[1] < 20 {
		t.Errorf("improving store %.0f → %.0f, declining store %.0f → %.0f", up[0], up[1], down[0], down[1])
	}
}

// TestHistoryDeterministic loads the same seed on the same day into two
// databases: the answers must be the same, down to the second and the
// comment.
func TestHistoryDeterministic(t *testing.T) {
	ds := Generate(2)
	var runs [2][]string
	for i := range runs {
		store := loadOrg(t, ds)
		if _, err := LoadSurveys(context.Background(), newService(store), store, ds, demoNow, nil); err != nil {
			t.Fatal(err)
		}
		for _, r := range readBack(t, store, ds).resps {
			runs[i] = append(runs[i], fmt.Sprintf("%s %s %s %d %q %v %v %s", r.Survey, r.Customer, r.Unit, r.Score,
				r.Comment, r.Answers, r.Hidden, r.CreatedAt.Format(time.RFC3339Nano)))
		}
	}
	if len(runs[0]) == 0 || !slices.Equal(runs[0], runs[1]) {
		t.Errorf("two loads of seed 2 differ (%d and %d answers)", len(runs[0]), len(runs[1]))
	}
}

func TestCharacters(t *testing.T) {
	ds := Generate(5)
	if len(ds.Characters) != 40 || len(ds.Surveys) != 2 || len(ds.Programs) != 2 {
		t.Fatalf("%d characters, %d surveys, %d programs", len(ds.Characters), len(ds.Surveys), len(ds.Programs))
	}
	for name := range notable {
		if !slices.ContainsFunc(regionSpecs, func(rs regionSpec) bool {
			return slices.ContainsFunc(rs.stores, func(s storeSpec) bool { return s.name == name })
		}) {
			t.Errorf("notable store %q is not a store", name)
		}
	}
	units := map[string]bool{}
	for _, u := range ds.Units {
		units[u.Key] = true
	}
	for _, c := range ds.Characters {
		if !units[c.Unit] || len(c.Praise) == 0 || len(c.Complaints) == 0 || c.From < -100 || c.From > 100 {
			t.Errorf("character %+v", c)
		}
	}
	for _, sv := range ds.Surveys {
		for lang, txt := range sv.Texts {
			for _, q := range sv.Questions {
				for _, opt := range q.Options {
					if survey.OptionLabel(txt, q, opt) == opt || survey.QuestionLabel(txt, q) == q.ID {
						t.Errorf("survey %s: no %s label of %s.%s", sv.Key, lang, q.ID, opt)
					}
				}
			}
		}
	}
}

// BenchmarkLoadSurveys times the surveys and their six months of history
// on SQLite, the organisation being loaded outside the clock.
func BenchmarkLoadSurveys(b *testing.B) {
	ds := Generate(1)
	for range b.N {
		b.StopTimer()
		store := loadOrg(b, ds)
		svc := newService(store)
		b.StartTimer()
		if _, err := LoadSurveys(context.Background(), svc, store, ds, demoNow, nil); err != nil {
			b.Fatal(err)
		}
	}
}
