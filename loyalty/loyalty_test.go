package loyalty

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// now is the moment every test looks from, a Monday noon.
var now = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

func ago(days int) time.Time { return now.AddDate(0, 0, -days) }

func ev(kind heed.CustomerEventKind, daysAgo int) heed.CustomerEvent {
	return heed.CustomerEvent{Kind: kind, At: ago(daysAgo)}
}

func buy(daysAgo int, amount heed.Decimal) heed.CustomerEvent {
	return heed.CustomerEvent{Kind: heed.EventPurchase, At: ago(daysAgo), Amount: amount}
}

// every is n events of kind, the first from days ago, then every step
// days further back.
func every(kind heed.CustomerEventKind, from, step, n int) []heed.CustomerEvent {
	var es []heed.CustomerEvent
	for i := range n {
		e := ev(kind, from+i*step)
		if kind == heed.EventPurchase {
			e.Amount = 25 * 10000
		}
		es = append(es, e)
	}
	return es
}

func nps(score, daysAgo int) Answer {
	return Answer{Kind: heed.SurveyNPS, Score: score, At: ago(daysAgo)}
}

func join(parts ...[]heed.CustomerEvent) []heed.CustomerEvent {
	var es []heed.CustomerEvent
	for _, p := range parts {
		es = append(es, p...)
	}
	return es
}

// sign is the expected direction of a factor: +1 raises the risk, -1 lowers it.
type want struct {
	rung    Rung
	level   Level
	factors map[string]int // key → sign; no other factor may appear
}

func customers() []struct {
	name string
	h    History
	want want
} {
	return []struct {
		name string
		h    History
		want want
	}{
		{"new customer", History{Since: ago(2)},
			want{RungAwareness, LevelLow, nil}},
		{"browser", History{Since: ago(40), Events: []heed.CustomerEvent{
			ev(heed.EventVisit, 30), ev(heed.EventVisit, 10), ev(heed.EventLogin, 3)}},
			want{RungConsideration, LevelLow, nil}},
		// 90 days after a single purchase, against the assumed 60: 1.5×.
		{"one-time buyer", History{Since: ago(100), Events: []heed.CustomerEvent{buy(90, 50*10000)}},
			want{RungPurchase, LevelLow, map[string]int{FactorOverdue: +1}}},
		// Monthly for two years, a 10 last month: every quarter has a purchase.
		{"regular promoter", History{Since: ago(800),
			Events:  every(heed.EventPurchase, 5, 30, 24),
			Answers: []Answer{nps(10, 20)}},
			want{RungLoyalty, LevelLow, map[string]int{FactorPromoter: -1}}},
		{"referrer", History{Since: ago(60), Events: []heed.CustomerEvent{
			buy(50, 80*10000), ev(heed.EventReferral, 10)}},
			want{RungAdvocacy, LevelLow, nil}},
		// Monthly for a year, silent for 200 days: still bought 6 times in
		// the last 365 days, but 6.7× overdue and out of touch.
		{"lapsed regular", History{Since: ago(700), Events: every(heed.EventPurchase, 200, 30, 13)},
			want{RungRepeat, LevelHigh, map[string]int{FactorOverdue: +1, FactorInactive: +1}}},
		{"canceller", History{Since: ago(500), Events: join(
			every(heed.EventPurchase, 40, 30, 12), []heed.CustomerEvent{ev(heed.EventCancellation, 30)})},
			want{RungAwareness, LevelHigh, map[string]int{FactorCancelled: +1}}},
		// Buys monthly, but scored 3 last week after six calls to support:
		// held at purchase.
		{"detractor with many support contacts", History{Since: ago(400),
			Events:  join(every(heed.EventPurchase, 10, 30, 12), every(heed.EventSupport, 2, 4, 6)),
			Answers: []Answer{nps(9, 200), nps(3, 5)}},
			want{RungPurchase, LevelMedium, map[string]int{FactorDetractor: +1, FactorSupport: +1}}},
	}
}

func TestInferCustomers(t *testing.T) {
	for _, c := range customers() {
		t.Run(c.name, func(t *testing.T) {
			p := Infer(c.h, now)
			if p.Rung != c.want.rung {
				t.Errorf("rung %s (%s), want %s", p.Rung, p.RungReason, c.want.rung)
			}
			if p.RungReason == "" {
				t.Error("no reason for the rung")
			}
			if p.Churn.Level != c.want.level {
				t.Errorf("churn %d %s, want %s; factors %+v", p.Churn.Score, p.Churn.Level, c.want.level, p.Churn.Factors)
			}
			got := map[string]int{}
			for _, f := range p.Churn.Factors {
				got[f.Key] = f.Points
			}
			for key, sign := range c.want.factors {
				if pts, ok := got[key]; !ok || pts*sign <= 0 {
					t.Errorf("factor %s = %d (present %v), want sign %+d; factors %+v", key, pts, ok, sign, p.Churn.Factors)
				}
			}
			for key := range got {
				if _, ok := c.want.factors[key]; !ok {
					t.Errorf("unexpected factor %s; factors %+v", key, p.Churn.Factors)
				}
			}
			checkChurn(t, p.Churn)
		})
	}
}

// checkChurn holds the promises of the churn model whatever the history:
// the score is the clamped sum of the listed points, every listed factor
// counts, the largest comes first, and the level matches the score.
func checkChurn(t *testing.T, c Churn) {
	t.Helper()
	sum := 0
	for i, f := range c.Factors {
		sum += f.Points
		if f.Points == 0 || f.Key == "" || f.Factor == "" || f.Detail == "" {
			t.Errorf("factor %d is incomplete: %+v", i, f)
		}
		if i > 0 && abs(f.Points) > abs(c.Factors[i-1].Points) {
			t.Errorf("factors out of order: %+v", c.Factors)
		}
	}
	if want := min(max(sum, 0), 100); c.Score != want {
		t.Errorf("score %d, want the clamped sum %d of %+v", c.Score, want, c.Factors)
	}
	level := LevelHigh
	if c.Score < 34 {
		level = LevelLow
	} else if c.Score < 67 {
		level = LevelMedium
	}
	if c.Level != level {
		t.Errorf("level %s for score %d, want %s", c.Level, c.Score, level)
	}
}

func factor(c Churn, key string) (Factor, bool) {
	for _, f := range c.Factors {
		if f.Key == key {
			return f, true
		}
	}
	return Factor{}, false
}

func TestReasonsReadable(t *testing.T) {
	h := History{Since: ago(400),
		Events:  join(every(heed.EventPurchase, 140, 30, 8), []heed.CustomerEvent{ev(heed.EventCancellation, 120)}),
		Answers: []Answer{nps(3, 121)}}
	p := Infer(h, now)
	c, ok := factor(p.Churn, FactorCancelled)
	if !ok || c.Detail != "cancelled on 2 Mar 2025, no purchase since" {
		t.Errorf("cancelled factor %+v, want its date", c)
	}
	o, ok := factor(p.Churn, FactorOverdue)
	if !ok || o.Factor != "no purchase for 140 days" || o.Detail != "usually buys every 30 days" {
		t.Errorf("overdue factor %+v, want 140 days against every 30", o)
	}
	d, ok := factor(p.Churn, FactorDetractor)
	if !ok || d.Detail != "scored 3 (NPS) on 1 Mar 2025" {
		t.Errorf("detractor factor %+v, want the score and its date", d)
	}
	if p.Rung != RungAwareness || !strings.Contains(p.RungReason, "cancelled on 2 Mar 2025") {
		t.Errorf("rung %s (%s), want awareness because of the cancellation", p.Rung, p.RungReason)
	}
	if p.Churn.Factors[0].Key != FactorCancelled {
		t.Errorf("largest factor %+v, want the cancellation first", p.Churn.Factors[0])
	}
}

func TestRFM(t *testing.T) {
	h := History{Since: ago(800), Events: []heed.CustomerEvent{
		buy(500, 1000*10000), // outside the last 365 days: first purchase, not counted
		buy(364, 10*10000),   // the oldest day of the last 365
		buy(40, 25*10000+5000),
		buy(12, 4*10000),
		ev(heed.EventVisit, 3),
	}, Answers: []Answer{nps(8, 1)}}
	r := Infer(h, now).RFM
	if r.Recency == nil || *r.Recency != 12 {
		t.Errorf("recency %v, want 12 days", r.Recency)
	}
	if r.Frequency != 3 {
		t.Errorf("frequency %d, want 3 purchases in the last 365 days", r.Frequency)
	}
	if want := heed.Decimal(39*10000 + 5000); r.Monetary != want {
		t.Errorf("monetary %s, want %s", r.Monetary, want)
	}
	if !r.FirstPurchase.Equal(ago(500)) || !r.LastPurchase.Equal(ago(12)) {
		t.Errorf("first %v last %v, want %v and %v", r.FirstPurchase, r.LastPurchase, ago(500), ago(12))
	}
	if !r.LastContact.Equal(ago(1)) {
		t.Errorf("last contact %v, want the answer of yesterday %v", r.LastContact, ago(1))
	}
	if r := Infer(History{Since: ago(5), Events: []heed.CustomerEvent{ev(heed.EventVisit, 1)}}, now).RFM; r.Recency != nil || r.Frequency != 0 || !r.FirstPurchase.IsZero() {
		t.Errorf("a customer who never bought: %+v, want no recency", r)
	}
}

// Silence is judged against the customer's own rhythm.
func TestRecencyRelativeToOwnInterval(t *testing.T) {
	monthly := History{Since: ago(1200), Events: every(heed.EventPurchase, 100, 30, 24)}
	yearly := History{Since: ago(1200), Events: every(heed.EventPurchase, 100, 365, 3)}
	m, y := Infer(monthly, now), Infer(yearly, now)
	if m.Churn.Score <= y.Churn.Score {
		t.Errorf("monthly buyer silent 100 days scores %d (%+v), not above the yearly buyer's %d (%+v)",
			m.Churn.Score, m.Churn.Factors, y.Churn.Score, y.Churn.Factors)
	}
	if _, ok := factor(m.Churn, FactorOverdue); !ok {
		t.Errorf("monthly buyer silent 100 days is not overdue: %+v", m.Churn.Factors)
	}
	if _, ok := factor(y.Churn, FactorOverdue); ok {
		t.Errorf("yearly buyer silent 100 days is overdue: %+v", y.Churn.Factors)
	}
	// One long holiday does not turn a weekly buyer into a slow one.
	weekly := History{Since: ago(400), Events: join(every(heed.EventPurchase, 30, 7, 10), every(heed.EventPurchase, 220, 7, 5))}
	if o, ok := factor(Infer(weekly, now).Churn, FactorOverdue); !ok || o.Detail != "usually buys every 7 days" {
		t.Errorf("weekly buyer silent 30 days: %+v, want overdue against every 7 days", o)
	}
}

// Events and answers after now are ignored, and order does not matter, so
// replaying a history at an earlier time gives what was known then.
func TestAsOfNow(t *testing.T) {
	for _, c := range customers() {
		later := c.h
		later.Events = append(append([]heed.CustomerEvent{}, c.h.Events...),
			heed.CustomerEvent{Kind: heed.EventCancellation, At: now.Add(time.Minute)},
			heed.CustomerEvent{Kind: heed.EventPurchase, At: now.AddDate(0, 0, 3), Amount: 99 * 10000},
			heed.CustomerEvent{Kind: heed.EventReferral, At: now.AddDate(1, 0, 0)})
		later.Answers = append(append([]Answer{}, c.h.Answers...), Answer{Kind: heed.SurveyNPS, Score: 0, At: now.Add(time.Second)})
		if got, want := Infer(later, now), Infer(c.h, now); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the future changed the profile:\n got %+v\nwant %+v", c.name, got, want)
		}
		shuffled := shuffle(c.h, rand.New(rand.NewPCG(7, uint64(len(c.name)))))
		if got, want := Infer(shuffled, now), Infer(c.h, now); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the order of the input changed the profile:\n got %+v\nwant %+v", c.name, got, want)
		}
	}
	// The canceller, seen before cancelling, was a repeat buyer at low risk.
	h := customers()[6].h
	if p := Infer(h, ago(35)); p.Rung != RungRepeat || p.Churn.Level != LevelLow {
		t.Errorf("canceller 35 days ago: %s (%s), churn %+v; want repeat purchase, low", p.Rung, p.RungReason, p.Churn)
	}
	if p := Infer(h, ago(600)); p.Rung != "" || p.Churn.Score != 0 || len(p.Churn.Factors) != 0 {
		t.Errorf("before the customer was known: %+v, want no rung", p)
	}
}

func shuffle(h History, r *rand.Rand) History {
	h.Events = append([]heed.CustomerEvent{}, h.Events...)
	h.Answers = append([]Answer{}, h.Answers...)
	r.Shuffle(len(h.Events), func(i, j int) { h.Events[i], h.Events[j] = h.Events[j], h.Events[i] })
	r.Shuffle(len(h.Answers), func(i, j int) { h.Answers[i], h.Answers[j] = h.Answers[j], h.Answers[i] })
	return h
}

func TestLadderDropsAndRecovers(t *testing.T) {
	regular := every(heed.EventPurchase, 10, 30, 12)
	tests := []struct {
		name string
		h    History
		want Rung
	}{
		{"a detractor holds a repeat buyer at purchase",
			History{Events: regular, Answers: []Answer{nps(4, 20)}}, RungPurchase},
		{"a better answer since lifts the hold",
			History{Events: regular, Answers: []Answer{nps(4, 20), nps(8, 5)}}, RungRepeat},
		{"a detractor answer older than 180 days no longer holds",
			History{Events: regular, Answers: []Answer{{Kind: heed.SurveyCSAT, Score: 1, At: ago(190)}}}, RungRepeat},
		{"a recent detractor answer keeps a promoter from loyalty",
			History{Events: regular, Answers: []Answer{nps(2, 60), nps(10, 5)}}, RungAdvocacy},
		{"buying again after cancelling climbs from the start",
			History{Events: join(regular, []heed.CustomerEvent{ev(heed.EventCancellation, 5), buy(3, 0)})}, RungPurchase},
		{"answers before the cancellation do not count",
			History{Events: []heed.CustomerEvent{buy(300, 0), ev(heed.EventCancellation, 100), buy(50, 0)},
				Answers: []Answer{nps(10, 110)}}, RungPurchase},
		{"of two answers at the same moment the worse counts",
			History{Events: regular, Answers: []Answer{nps(10, 5), nps(6, 5)}}, RungPurchase},
		{"of two answers at the same moment the worse counts, whatever their order",
			History{Events: regular, Answers: []Answer{nps(6, 5), nps(10, 5)}}, RungPurchase},
		{"a satisfied CSAT answer after one purchase",
			History{Events: []heed.CustomerEvent{buy(30, 0)}, Answers: []Answer{{Kind: heed.SurveyCSAT, Score: 4, At: ago(20)}}}, RungSatisfaction},
		{"a promoter who bought once is satisfied, not yet an advocate",
			History{Events: []heed.CustomerEvent{buy(30, 0)}, Answers: []Answer{nps(10, 20)}}, RungSatisfaction},
		{"a referral older than a year no longer makes an advocate",
			History{Events: []heed.CustomerEvent{buy(400, 0), ev(heed.EventReferral, 380)}}, RungPurchase},
		{"a promoter buying in only two quarters is an advocate",
			History{Events: every(heed.EventPurchase, 5, 30, 5), Answers: []Answer{nps(9, 3)}}, RungAdvocacy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if p := Infer(tt.h, now); p.Rung != tt.want {
				t.Errorf("rung %s (%s), want %s", p.Rung, p.RungReason, tt.want)
			}
		})
	}
	held := Infer(tests[0].h, now)
	if want := "held at purchase: scored 4 (NPS, detractor) on 10 Jun 2025; would otherwise be repeat purchase"; held.RungReason != want {
		t.Errorf("reason %q, want %q", held.RungReason, want)
	}
}

func TestFunnel(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }
	var monthly []heed.CustomerEvent
	for m := day(2024, 2, 1); !m.After(day(2025, 6, 1)); m = m.AddDate(0, 1, 0) {
		monthly = append(monthly, heed.CustomerEvent{Kind: heed.EventPurchase, At: m})
	}
	population := []History{
		// Buys monthly from February 2024, a promoter in June 2025.
		{Since: day(2024, 1, 10), Events: monthly, Answers: []Answer{{Kind: heed.SurveyNPS, Score: 10, At: day(2025, 6, 5)}}},
		// Looked, bought once, cancelled.
		{Since: day(2024, 1, 20), Events: []heed.CustomerEvent{
			{Kind: heed.EventVisit, At: day(2024, 2, 1)}, {Kind: heed.EventPurchase, At: day(2024, 3, 1)},
			{Kind: heed.EventCancellation, At: day(2025, 1, 1)}}},
		// Imported without a creation time: known from the first visit in May 2024.
		{Events: []heed.CustomerEvent{{Kind: heed.EventVisit, At: day(2024, 5, 1)},
			{Kind: heed.EventPurchase, At: day(2024, 5, 2)}, {Kind: heed.EventReferral, At: day(2024, 6, 1)}}},
		// Created in March 2025.
		{Since: day(2025, 3, 1)},
		// Known since January 2024, never did anything.
		{Since: day(2024, 1, 1)},
	}
	at := []time.Time{day(2024, 2, 15), day(2024, 8, 15), now}
	want := []map[Rung]int{
		{RungAwareness: 1, RungConsideration: 1, RungPurchase: 1},
		{RungAwareness: 1, RungPurchase: 1, RungRepeat: 1, RungAdvocacy: 1},
		{RungAwareness: 3, RungPurchase: 1, RungLoyalty: 1},
	}
	got := Funnel(population, at)
	if len(got) != len(at) {
		t.Fatalf("%d points, want %d", len(got), len(at))
	}
	for i, p := range got {
		known := 0
		for _, r := range Rungs() {
			if p.Counts[r] != want[i][r] {
				t.Errorf("%s: %d on %s, want %d (all: %v)", at[i].Format(time.DateOnly), p.Counts[r], r, want[i][r], p.Counts)
			}
			known += want[i][r]
		}
		if p.Known != known || !p.At.Equal(at[i]) || len(p.Counts) != len(Rungs()) {
			t.Errorf("%s: point %+v, want %d known and every rung listed", at[i].Format(time.DateOnly), p, known)
		}
	}
}

// synthetic is a reproducible population of n customers over three years:
// buyers of every rhythm, browsers, cancellers, referrers and respondents.
func synthetic(n int) []History {
	r := rand.New(rand.NewPCG(1, 2))
	kinds := heed.SurveyKinds()
	hs := make([]History, n)
	for i := range hs {
		h := History{Since: ago(r.IntN(1100))}
		interval := 7 + r.IntN(120)
		last := r.IntN(400)
		for d := last; d < 1100 && len(h.Events) < 40; d += interval/2 + r.IntN(interval) {
			h.Events = append(h.Events, buy(d, heed.Decimal(r.IntN(2000000))))
		}
		for range r.IntN(10) {
			h.Events = append(h.Events, ev([]heed.CustomerEventKind{heed.EventVisit, heed.EventLogin, heed.EventSupport}[r.IntN(3)], r.IntN(1100)))
		}
		if r.IntN(10) == 0 {
			h.Events = append(h.Events, ev(heed.EventCancellation, r.IntN(700)))
		}
		if r.IntN(8) == 0 {
			h.Events = append(h.Events, ev(heed.EventReferral, r.IntN(700)))
		}
		for range r.IntN(4) {
			k := kinds[r.IntN(len(kinds))]
			lo, hi := k.Scale()
			h.Answers = append(h.Answers, Answer{Kind: k, Score: lo + r.IntN(hi-lo+1), At: ago(r.IntN(700))})
		}
		hs[i] = h
	}
	return hs
}

// TestSyntheticPopulation holds the churn promises and a sane ladder on
// histories nobody picked by hand, and checks that Funnel agrees with Infer.
func TestSyntheticPopulation(t *testing.T) {
	hs := synthetic(2000)
	counts := map[Rung]int{}
	for _, h := range hs {
		p := Infer(h, now)
		checkChurn(t, p.Churn)
		if !p.Rung.Valid() || p.RungReason == "" {
			t.Fatalf("rung %q (%q) for %+v", p.Rung, p.RungReason, h)
		}
		counts[p.Rung]++
	}
	for _, r := range Rungs() {
		if counts[r] == 0 {
			t.Errorf("no synthetic customer on %s: %v", r, counts)
		}
	}
	f := Funnel(hs, []time.Time{now})
	if !reflect.DeepEqual(f[0].Counts, counts) || f[0].Known != len(hs) {
		t.Errorf("funnel %v (known %d), want Infer's %v", f[0].Counts, f[0].Known, counts)
	}
}

// BenchmarkInfer profiles 100,000 synthetic customers, as the server does
// when it recomputes every profile.
func BenchmarkInfer(b *testing.B) {
	hs := synthetic(100_000)
	events := 0
	for _, h := range hs {
		events += len(h.Events) + len(h.Answers)
	}
	for b.Loop() {
		for _, h := range hs {
			Infer(h, now)
		}
	}
	b.ReportMetric(float64(len(hs))*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
	b.ReportMetric(float64(events)/float64(len(hs)), "inputs/customer")
}
