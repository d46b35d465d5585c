package events_test

import (
	"errors"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/directory"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/internal/testclock"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/loyalty"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// t0 is now in every test: Monday 2 March 2026.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type fixture struct {
	store heed.Store
	lp    cases.Loop
	ev    *events.Service
}

// newFixture is two regions with a store each, a manager per region,
// customers C-1 and C-3 in the north and C-2 in the south (all created at
// t0), and the services wired as heed serve wires them.
func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	store := testdb.Open(t, engine)
	clk := testclock.New(t0)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	lp := cases.Wire(store, survey.Config{Now: clk.Now, Logger: quiet}, webhooks.Config{Now: clk.Now, Logger: quiet},
		cases.Config{Now: clk.Now, Logger: quiet})
	dir := directory.New(store, clk.Now)
	ctx := t.Context()
	for _, err := range []error{
		second(dir.UpsertUnits(ctx, heed.System(), []heed.Unit{
			{Key: "co", Name: "Company"}, {Key: "north", Name: "North", Parent: "co"}, {Key: "n1", Name: "North One", Parent: "north"},
			{Key: "south", Name: "South", Parent: "co"}, {Key: "s1", Name: "South One", Parent: "south"},
		})),
		second(dir.UpsertEmployees(ctx, heed.System(), []heed.Employee{
			{Email: "nora@co.example", Name: "Nora", Role: heed.RoleManager, Unit: "north"},
			{Email: "sam@co.example", Name: "Sam", Role: heed.RoleManager, Unit: "south"},
		})),
		second(dir.UpsertCustomers(ctx, heed.System(), []heed.Customer{
			{ExternalID: "C-1", Name: "Ann Archer", Unit: "n1"},
			{ExternalID: "C-2", Name: "Ben Baker", Unit: "s1"},
			{ExternalID: "C-3", Name: "Cy Cole", Unit: "n1"},
		})),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return &fixture{store: store, lp: lp, ev: lp.Events}
}

func second[T any](_ T, err error) error { return err }

func (f *fixture) who(t *testing.T, email string) heed.Principal {
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

// count is how many events the customer has.
func (f *fixture) count(t *testing.T, customer string) int {
	t.Helper()
	c, err := f.store.GetCustomer(t.Context(), heed.Scope{All: true}, customer)
	if err != nil {
		t.Fatal(err)
	}
	list, err := f.store.ListCustomerEvents(t.Context(), c.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func dec(s string) heed.Decimal {
	d, err := heed.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestRecord: events are stored for their customers; sent again they
// change nothing and duplicate nothing; changed, they are updated in
// place; a batch with any problem writes nothing and lists every problem
// by line and field; only admins record.
func TestRecord(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			in := []events.Input{
				{Customer: "C-1", Kind: "Purchase", At: day("2026-02-01"), Amount: dec("12.50"), Source: "shop", ExternalID: "o-1"},
				{Customer: " C-1 ", Kind: heed.EventVisit, At: day("2026-02-01")}, // no external id
				{Customer: "C-2", Kind: heed.EventCancellation, At: day("2026-02-03"), Source: "crm", ExternalID: "x-1"},
			}
			res, err := f.ev.Record(ctx, heed.System(), "", in)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range res {
				if !r.Created || !r.Changed || r.ID == 0 {
					t.Errorf("event %d: %+v; want created", i+1, r)
				}
			}
			again, err := f.ev.Record(ctx, heed.System(), "", in)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range again {
				if r.Created || r.Changed || r.ID != res[i].ID {
					t.Errorf("sent again, event %d: %+v; want unchanged %d", i+1, r, res[i].ID)
				}
			}
			if n := f.count(t, "C-1"); n != 2 {
				t.Errorf("C-1 has %d events after sending twice; want 2", n)
			}
			in[0].Amount = dec("13")
			if r, err := f.ev.Record(ctx, heed.System(), "", in[:1]); err != nil || r[0].Created || !r[0].Changed || r[0].ID != res[0].ID {
				t.Errorf("a new amount: %+v, %v; want the same event changed", r, err)
			}

			bad := []events.Input{
				{Customer: "C-1", Kind: heed.EventPurchase, At: day("2026-02-02"), ExternalID: "o-2"},
				{Customer: "C-9", Kind: heed.EventVisit, At: day("2026-02-02")},
				{Customer: "C-1", Kind: "sneeze", At: day("2026-02-02"), Amount: -1},
				{Customer: "C-1", Kind: heed.EventVisit, Amount: dec("5")},
				{Customer: "", Kind: heed.EventLogin, At: t0.Add(48 * time.Hour)},
				{Customer: "C-2", Kind: heed.EventPurchase, At: day("2026-02-02"), ExternalID: "o-2"},
			}
			_, err = f.ev.Record(ctx, heed.System(), "", bad)
			got := problems(err)
			want := []string{
				`request:2: customer: no customer "C-9"`,
				`request:3: kind: kind "sneeze" must be one of purchase, visit, login, support, referral or cancellation`,
				`request:3: amount: an amount cannot be negative, not -0.0001`,
				`request:4: at: an event needs the time it happened`,
				`request:4: amount: only a purchase has an amount, not a visit`,
				`request:5: customer: an event needs its customer's external id`,
				`request:5: at: 2026-03-04T09:00:00Z is in the future`,
				`request:6: external_id: "o-2" appears twice (first on line 1)`,
			}
			if !slices.Equal(got, want) {
				t.Errorf("problems:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if heed.ErrorCode(err) != heed.EInvalid {
				t.Errorf("code %s; want invalid", heed.ErrorCode(err))
			}
			if n := f.count(t, "C-1"); n != 2 {
				t.Errorf("a refused batch left C-1 with %d events; want 2", n)
			}
			if _, err := f.ev.Record(ctx, f.who(t, "nora@co.example"), "", in); heed.ErrorCode(err) != heed.EForbidden {
				t.Errorf("a manager recording events: %v; want forbidden", err)
			}
		})
	}
}

// problems are the row errors of err as the CLI prints them.
func problems(err error) []string {
	var out []string
	var rows heed.RowErrors
	if errors.As(err, &rows) {
		for _, r := range rows {
			out = append(out, r.String())
		}
	}
	return out
}

// TestImportFile: a file exported from a shop system is read with a
// column mapping (other columns ignored), checked whole, written in one
// transaction with progress; imported again it duplicates nothing; one
// unknown customer refuses the whole file, naming the line.
func TestImportFile(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			csv := "Client,kind,at,Total,Order,Till\n" +
				"C-1,purchase,2026-01-05,19.99,A-1,3\n" +
				"C-1,purchase,2026-02-05T10:00:00+01:00,5,A-2,3\n" +
				"C-2,support,2026-02-06,,,\n"
			var ignored []string
			file := events.File{Name: "orders.csv", Source: "till", Columns: map[string]string{"client": "customer", "TOTAL": "amount", "Order": "external_id"},
				Ignored: func(cols []string) { ignored = cols }}
			in, err := file.Parse(strings.NewReader(csv))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ignored, []string{"Till"}) || len(in) != 3 || in[0].Line != 2 || in[0].Amount != dec("19.99") ||
				in[1].At.UTC() != time.Date(2026, 2, 5, 9, 0, 0, 0, time.UTC) || in[2].Source != "till" || in[0].ExternalID != "A-1" {
				t.Fatalf("read %+v, ignored %v", in, ignored)
			}
			var stages []string
			res, err := f.ev.RecordAll(t.Context(), heed.System(), file.Name, in, func(stage string, done, total int) {
				stages = append(stages, stage)
			})
			if err != nil || len(res) != 3 || !res[0].Created || !slices.Contains(stages, "write") {
				t.Fatalf("RecordAll = %+v, %v (stages %v)", res, err, stages)
			}
			in, _ = file.Parse(strings.NewReader(csv))
			if res, err := f.ev.RecordAll(t.Context(), heed.System(), file.Name, in, nil); err != nil || res[0].Created || res[2].Changed {
				t.Errorf("imported again: %+v, %v", res, err)
			}
			if f.count(t, "C-1") != 2 || f.count(t, "C-2") != 1 {
				t.Errorf("after two imports: C-1 %d events, C-2 %d; want 2 and 1", f.count(t, "C-1"), f.count(t, "C-2"))
			}
			in, _ = file.Parse(strings.NewReader(csv + "C-7,visit,2026-02-07,,,\n"))
			_, err = f.ev.RecordAll(t.Context(), heed.System(), file.Name, in, nil)
			if got := problems(err); !slices.Equal(got, []string{`orders.csv:5: customer: no customer "C-7"`}) {
				t.Errorf("an unknown customer: %v (%v)", got, err)
			}
			plain := events.File{Name: "plain.csv"}
			if _, err := plain.Parse(strings.NewReader("customer,kind,at,amount\nC-1,purchase,yesterday,1.23456\n")); len(problems(err)) != 2 {
				t.Errorf("a bad time and amount: %v", problems(err))
			}
		})
	}
}

// history gives C-1 the hand-made history the profile and funnel tests
// read, and C-2 a single visit:
//
//	C-1  bought on 1 Oct (30), 1 Nov (20) and 1 Dec 2025 (10); called
//	     support on 10, 15 and 20 Feb 2026; scored 3 on NPS on 25 Feb
//	C-2  visited on 10 Nov 2025
func history(t *testing.T, f *fixture) {
	t.Helper()
	ctx := t.Context()
	in := []events.Input{
		{Customer: "C-1", Kind: heed.EventPurchase, At: day("2025-10-01"), Amount: dec("30"), ExternalID: "p1"},
		{Customer: "C-1", Kind: heed.EventPurchase, At: day("2025-11-01"), Amount: dec("20"), ExternalID: "p2"},
		{Customer: "C-1", Kind: heed.EventPurchase, At: day("2025-12-01"), Amount: dec("10"), ExternalID: "p3"},
		{Customer: "C-1", Kind: heed.EventSupport, At: day("2026-02-10")},
		{Customer: "C-1", Kind: heed.EventSupport, At: day("2026-02-15")},
		{Customer: "C-1", Kind: heed.EventSupport, At: day("2026-02-20")},
		{Customer: "C-2", Kind: heed.EventVisit, At: day("2025-11-10")},
	}
	if _, err := f.ev.Record(ctx, heed.System(), "", in); err != nil {
		t.Fatal(err)
	}
	sv, err := f.lp.Surveys.CreateSurvey(ctx, heed.System(), heed.Survey{Key: "nps", Kind: heed.SurveyNPS, Name: "NPS"})
	if err != nil {
		t.Fatal(err)
	}
	three, at := 3, day("2026-02-25")
	_, err = f.lp.Surveys.RecordResponses(ctx, heed.System(), "", heed.ChannelImport,
		[]survey.ResponseInput{{Survey: sv.Key, Customer: "C-1", Score: &three, ExternalID: "r1", AnsweredAt: &at}})
	if err != nil {
		t.Fatal(err)
	}
}

// TestProfile: a customer's profile is worked out from their events and
// answers as of now — recency, frequency and value, the churn risk with
// every factor behind it, the ladder rung with its reason — and only
// those who may see the customer may read it.
func TestProfile(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			history(t, f)
			p, err := f.ev.Profile(t.Context(), f.who(t, "nora@co.example"), "C-1")
			if err != nil {
				t.Fatal(err)
			}
			if p.Customer != "C-1" || p.Name != "Ann Archer" || p.Unit != "n1" || !p.At.Equal(t0) {
				t.Errorf("whose profile: %+v", p)
			}
			r := p.RFM
			if r.Recency == nil || *r.Recency != 91 || r.Frequency != 3 || r.Monetary != dec("60") ||
				!r.LastPurchase.Equal(day("2025-12-01")) || !r.LastContact.Equal(day("2026-02-25")) {
				t.Errorf("RFM = %+v (recency %v); want 91 days, 3 purchases, 60, last contact the answer", r, r.Recency)
			}
			// Overdue: 91 days against a rhythm of about 30 (2× and more,
			// not 3×); no purchase in the last 90 days after 3 in the 90
			// before; the detractor answer; 3 support contacts in 30 days.
			var keys []string
			points := 0
			for _, x := range p.Churn.Factors {
				keys = append(keys, x.Key)
				points += x.Points
			}
			wantKeys := []string{loyalty.FactorOverdue, loyalty.FactorFewerPurchases, loyalty.FactorDetractor, loyalty.FactorSupport}
			if !slices.Equal(keys, wantKeys) || p.Churn.Score != 60 || points != 60 || p.Churn.Level != loyalty.LevelMedium ||
				p.Churn.Factors[0].Points != 20 || p.Churn.Factors[0].Factor != "no purchase for 91 days" {
				t.Errorf("churn = %+v; want 60 (medium) from %v", p.Churn, wantKeys)
			}
			if p.Rung != loyalty.RungPurchase || p.RungReason != "held at purchase: scored 3 (NPS, detractor) on 25 Feb 2026; would otherwise be repeat purchase" {
				t.Errorf("rung %q: %q", p.Rung, p.RungReason)
			}
			if p.Events.Total != 6 || p.Events.ByKind[heed.EventPurchase] != 3 || p.Events.ByKind[heed.EventSupport] != 3 ||
				len(p.Events.ByKind) != 6 || p.Answers != 1 || len(p.Recent) != 6 || !p.Recent[0].At.Equal(day("2026-02-20")) ||
				!p.Events.First.Equal(day("2025-10-01")) {
				t.Errorf("events: %+v, answers %d, recent %+v", p.Events, p.Answers, p.Recent)
			}

			_, err = f.ev.Profile(t.Context(), f.who(t, "sam@co.example"), "C-1")
			if heed.ErrorCode(err) != heed.ENotFound {
				t.Errorf("the south's manager reading a northern customer: %v; want not found", err)
			}
			if _, err := f.ev.Profile(t.Context(), heed.System(), "C-404"); heed.ErrorCode(err) != heed.ENotFound {
				t.Errorf("an unknown customer: %v; want not found", err)
			}
			if _, err := f.ev.Profile(t.Context(), heed.Principal{}, "C-1"); heed.ErrorCode(err) != heed.EForbidden {
				t.Errorf("nobody: %v; want forbidden", err)
			}
			if p, err := f.ev.Profile(t.Context(), heed.System(), "C-3"); err != nil || p.Rung != loyalty.RungAwareness ||
				p.RFM.Recency != nil || p.Events.Total != 0 || p.Recent == nil {
				t.Errorf("a customer who did nothing: %+v, %v", p, err)
			}
		})
	}
}

// TestFunnel: the ladder at several times replays each customer's
// history as it stood then; customers not yet known are not counted;
// each reader counts only the customers they may see.
func TestFunnel(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			history(t, f)
			at := []time.Time{day("2025-10-15"), day("2025-11-15"), t0}
			pts, err := f.ev.Funnel(t.Context(), heed.System(), "", at)
			if err != nil {
				t.Fatal(err)
			}
			want := []map[loyalty.Rung]int{
				{loyalty.RungPurchase: 1},                                                         // C-1 bought once
				{loyalty.RungRepeat: 1, loyalty.RungConsideration: 1},                             // C-1 twice; C-2 visited
				{loyalty.RungPurchase: 1, loyalty.RungConsideration: 1, loyalty.RungAwareness: 1}, // C-1 held; C-3 known now
			}
			checkFunnel(t, "everyone", pts, at, want)
			north, err := f.ev.Funnel(t.Context(), f.who(t, "nora@co.example"), "", at[2:])
			checkFunnel(t, "the north's manager", north, at[2:], []map[loyalty.Rung]int{{loyalty.RungPurchase: 1, loyalty.RungAwareness: 1}})
			if err != nil {
				t.Error(err)
			}
			south, err := f.ev.Funnel(t.Context(), heed.System(), "s1", at)
			checkFunnel(t, "unit s1", south, at, []map[loyalty.Rung]int{{}, {loyalty.RungConsideration: 1}, {loyalty.RungConsideration: 1}})
			if err != nil {
				t.Error(err)
			}
			for _, unit := range []string{"s1", "nowhere"} {
				if _, err := f.ev.Funnel(t.Context(), f.who(t, "nora@co.example"), unit, at); heed.ErrorCode(err) != heed.ENotFound || heed.ErrorField(err) != "unit" {
					t.Errorf("the north's manager asking for %s: %v; want not found", unit, err)
				}
			}
			if _, err := f.ev.Funnel(t.Context(), heed.System(), "", nil); heed.ErrorCode(err) != heed.EInvalid {
				t.Errorf("no points: %v; want invalid", err)
			}
		})
	}
}

func checkFunnel(t *testing.T, who string, got []loyalty.FunnelPoint, at []time.Time, want []map[loyalty.Rung]int) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points; want %d", who, len(got), len(want))
	}
	for i, p := range got {
		w := map[loyalty.Rung]int{}
		for _, r := range loyalty.Rungs() {
			w[r] = want[i][r]
		}
		known := 0
		for _, n := range want[i] {
			known += n
		}
		if !p.At.Equal(at[i]) || !maps.Equal(p.Counts, w) || p.Known != known {
			t.Errorf("%s at %s: %v (known %d); want %v (known %d)", who, at[i].Format(time.DateOnly), p.Counts, p.Known, want[i], known)
		}
	}
}

// TestPoints: the ends of the periods of a span, the last cut at now.
func TestPoints(t *testing.T) {
	end := func(s string) time.Time { return day(s).AddDate(0, 0, 1).Add(-time.Microsecond) }
	for _, tt := range []struct {
		name     string
		from, to time.Time
		every    string
		want     []time.Time
	}{
		{"months to now", day("2026-01-15"), day("2026-03-10"), events.EveryMonth, []time.Time{end("2026-01-31"), end("2026-02-28"), t0}},
		{"months to a past day", day("2025-11-01"), day("2025-12-10"), events.EveryMonth, []time.Time{end("2025-11-30"), end("2025-12-10")}},
		{"weeks", day("2026-02-18"), day("2026-03-01"), events.EveryWeek, []time.Time{end("2026-02-22"), end("2026-03-01")}},
		{"days", day("2026-02-28"), time.Time{}, events.EveryDay, []time.Time{end("2026-02-28"), end("2026-03-01"), t0}},
	} {
		got, err := events.Points(tt.from, tt.to, tt.every, t0)
		if err != nil || !slices.EqualFunc(got, tt.want, time.Time.Equal) {
			t.Errorf("%s: %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if got, err := events.Points(time.Time{}, time.Time{}, events.EveryMonth, t0); err != nil || len(got) != 12 ||
		!got[0].Equal(end("2025-04-30")) || !got[11].Equal(t0) {
		t.Errorf("the default: %v, %v; want the ends of the last 12 months", got, err)
	}
	for _, tt := range []struct {
		from, to time.Time
		every    string
		field    string
	}{
		{day("2026-03-05"), time.Time{}, events.EveryMonth, "from"},
		{time.Time{}, time.Time{}, "year", "every"},
		{day("2000-01-01"), time.Time{}, events.EveryDay, "from"},
	} {
		if _, err := events.Points(tt.from, tt.to, tt.every, t0); heed.ErrorCode(err) != heed.EInvalid || heed.ErrorField(err) != tt.field {
			t.Errorf("Points(%v, %v, %s): %v; want invalid %s", tt.from, tt.to, tt.every, err, tt.field)
		}
	}
}
