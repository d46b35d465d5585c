package metrics

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// handWorked is ten answers (and two off the scale, which must not count):
// 4 promoters, 2 passives, 4 detractors, so the total NPS is 0.
func handWorked() []DriverObservation {
	return []DriverObservation{
		{10, []string{"staff"}},
		{9, []string{"staff", "staff"}}, // listed twice, counts once
		{9, nil},
		{8, []string{"waiting"}},
		{7, []string{}},
		{6, []string{"waiting"}},
		{3, []string{"waiting", "staff"}},
		{0, []string{"waiting"}},
		{10, nil},
		{5, nil},
		{11, []string{"waiting"}}, // off the scale: ignored
		{-1, []string{"staff"}},   // off the scale: ignored
	}
}

func TestDriversHandWorked(t *testing.T) {
	got := Drivers(handWorked(), 4)
	if len(got) != 2 || got[0].Theme != "waiting" || got[1].Theme != "staff" {
		t.Fatalf("drivers = %+v, want waiting then staff", got)
	}
	w, s := got[0], got[1]

	// waiting: 8, 6, 3, 0 — 1 passive, 3 detractors: NPS −75. The other six
	// (10, 9, 9, 7, 10, 5) are 4 promoters, 1 passive, 1 detractor: 50.
	// Difference −125; share .4; impact −50 (= total 0 − without 50).
	// Margin 1.96·sqrt(.1875/4 + .58333/6)·100 = 74.402.
	if w.Mentions != 4 {
		t.Errorf("waiting mentions = %d, want 4", w.Mentions)
	}
	near(t, "waiting Share", w.Share, 0.4, 1e-12)
	near(t, "waiting NPSWith", w.NPSWith, -75, 1e-9)
	near(t, "waiting NPSWithout", w.NPSWithout, 50, 1e-9)
	near(t, "waiting Difference", w.Difference, -125, 1e-9)
	near(t, "waiting Impact", w.Impact, -50, 1e-9)
	near(t, "waiting MarginOfError", w.MarginOfError, 74.402, 1e-3)
	if !w.Significant || w.Insufficient {
		t.Errorf("waiting: significant %v, insufficient %v; want true, false (4 and 6 ≥ 4, 125 > 74.4)",
			w.Significant, w.Insufficient)
	}

	// staff: 10, 9, 3 — 2 promoters, 1 detractor: 33.33. The other seven
	// (9, 8, 7, 6, 0, 10, 5): 2 promoters, 2 passives, 3 detractors:
	// −14.29. Difference 47.62; share .3; impact 14.29. Only 3 mention it,
	// under the minimum of 4: flagged, no claim.
	if s.Mentions != 3 {
		t.Errorf("staff mentions = %d, want 3", s.Mentions)
	}
	near(t, "staff Share", s.Share, 0.3, 1e-12)
	near(t, "staff NPSWith", s.NPSWith, 100.0/3, 1e-9)
	near(t, "staff NPSWithout", s.NPSWithout, -100.0/7, 1e-9)
	near(t, "staff Difference", s.Difference, 100.0/3+100.0/7, 1e-9)
	near(t, "staff Impact", s.Impact, 100.0/7, 1e-9)
	if s.Significant || !s.Insufficient {
		t.Errorf("staff: significant %v, insufficient %v; want false, true", s.Significant, s.Insufficient)
	}
}

// The margin of a driver is the one Change gives for the same two groups,
// so a dashboard's "up" and a driver's "significant" never disagree.
func TestDriversMarginIsChanges(t *testing.T) {
	with := NPS{N: 4, Passives: 1, Detractors: 3}
	without := NPS{N: 6, Promoters: 4, Passives: 1, Detractors: 1}
	diff, moe, _ := Change(without, with)
	w := Drivers(handWorked(), 4)[0]
	near(t, "Difference", w.Difference, diff, 1e-12)
	near(t, "MarginOfError", w.MarginOfError, moe, 1e-12)
}

// planted generates n answers: 45% promoters, 30% passives, 25% detractors.
// "waiting" is in 40% of detractors' comments and 5% of the others';
// "staff" in 30% of promoters', 5% of passives', 3% of detractors';
// "parking" in 15% of every category's, so it has no effect at all.
func planted(seed uint64, n int) []DriverObservation {
	r := rand.New(rand.NewPCG(seed, 1))
	obs := make([]DriverObservation, n)
	for i := range obs {
		var score int
		var pWaiting, pStaff float64
		switch u := r.Float64(); {
		case u < 0.45:
			score, pWaiting, pStaff = 9+r.IntN(2), 0.05, 0.30
		case u < 0.75:
			score, pWaiting, pStaff = 7+r.IntN(2), 0.05, 0.05
		default:
			score, pWaiting, pStaff = r.IntN(7), 0.40, 0.03
		}
		var themes []string
		for _, p := range []struct {
			theme string
			rate  float64
		}{{"waiting", pWaiting}, {"staff", pStaff}, {"parking", 0.15}} {
			if r.Float64() < p.rate {
				themes = append(themes, p.theme)
			}
		}
		obs[i] = DriverObservation{Score: score, Themes: themes}
	}
	return obs
}

func byTheme(ds []Driver, theme string) Driver {
	for _, d := range ds {
		if d.Theme == theme {
			return d
		}
	}
	return Driver{}
}

// The acceptance check: on 3,000 answers with known effects, the planted
// cost comes first and is significant, the planted praise is significant
// the other way, and the theme with no effect is not claimed. (Seed 2 puts
// parking's difference at 5% of its margin; seed 1 happens to be one of the
// 5% of samples where a null effect crosses it, as the next test allows.)
func TestDriversPlantedEffects(t *testing.T) {
	got := Drivers(planted(2, 3000), 0)
	if len(got) != 3 {
		t.Fatalf("got %d drivers, want 3: %+v", len(got), got)
	}
	if w := got[0]; w.Theme != "waiting" || !w.Significant || w.Impact >= 0 {
		t.Errorf("first driver = %+v, want waiting, significant, negative impact", w)
	}
	if s := byTheme(got, "staff"); !s.Significant || s.Impact <= 0 {
		t.Errorf("staff = %+v, want significant with positive impact", s)
	}
	p := byTheme(got, "parking")
	if p.Insufficient || p.Significant || math.Abs(p.Difference) >= p.MarginOfError {
		t.Errorf("parking = %+v, want sufficient and within its margin", p)
	}
	for _, d := range got {
		if d.Insufficient {
			t.Errorf("%s insufficient with %d of 3000 mentions", d.Theme, d.Mentions)
		}
	}
}

// A theme with no effect is flagged at about the 5% rate a 95% margin
// promises: over 20 samples, at most 3 (one expected; four or more has a
// chance of 1.6% with a correct margin, and is likely with a margin too
// narrow).
func TestDriversFalsePositives(t *testing.T) {
	flagged := 0
	for seed := uint64(100); seed < 120; seed++ {
		if byTheme(Drivers(planted(seed, 3000), 0), "parking").Significant {
			flagged++
		}
	}
	if flagged > 3 {
		t.Errorf("parking (no effect) significant in %d of 20 samples, want at most 3", flagged)
	}
}

// The margin is neither too narrow nor too wide: over 200 samples the
// spread of parking's difference (truly 0) matches the standard error the
// margin implies, margin/1.96, within 20% (the spread of 200 draws is
// itself known to about 5%).
func TestDriversMarginCalibrated(t *testing.T) {
	const runs = 200
	var sum2, se float64
	for seed := uint64(1000); seed < 1000+runs; seed++ {
		p := byTheme(Drivers(planted(seed, 3000), 0), "parking")
		sum2 += p.Difference * p.Difference
		se += p.MarginOfError / Z95
	}
	spread, want := math.Sqrt(sum2/runs), se/runs
	if r := spread / want; r < 0.8 || r > 1.2 {
		t.Errorf("spread of a null difference %.2f vs standard error from the margin %.2f (ratio %.2f)",
			spread, want, r)
	}
}

// Too few answers on either side: the numbers are given, the claim is not,
// however large the difference.
func TestDriversInsufficient(t *testing.T) {
	obs := planted(4, 3000)
	for i := range 20 { // a strong effect, but only 20 answers mention it
		obs = append(obs, DriverObservation{Score: i % 3, Themes: []string{"refund"}})
	}
	for i := range obs[:3000] { // in all but the 20 last answers above
		obs[i].Themes = append(obs[i].Themes, "everything")
	}
	got := Drivers(obs, 0)
	for _, theme := range []string{"refund", "everything"} {
		d := byTheme(got, theme)
		if !d.Insufficient || d.Significant {
			t.Errorf("%s = %+v, want insufficient and not significant", theme, d)
		}
	}
	if r := byTheme(got, "refund"); r.Mentions != 20 || r.NPSWith != -100 {
		t.Errorf("refund = %+v, want its 20 mentions and NPS −100 still shown", r)
	}
	// With a minimum of 20, refund's group is enough and its effect is claimed.
	if r := byTheme(Drivers(obs, 20), "refund"); r.Insufficient || !r.Significant {
		t.Errorf("refund at min 20 = %+v, want sufficient and significant", r)
	}
}

func TestDriversEmpty(t *testing.T) {
	for name, obs := range map[string][]DriverObservation{
		"nil":           nil,
		"empty":         {},
		"off the scale": {{Score: 11, Themes: []string{"waiting"}}, {Score: -3, Themes: []string{"staff"}}},
		"no themes":     {{Score: 9}, {Score: 3, Themes: []string{""}}},
	} {
		if got := Drivers(obs, 0); got == nil || len(got) != 0 {
			t.Errorf("%s: Drivers = %#v, want an empty, non-nil slice", name, got)
		}
	}
	var c DriverCounts
	if got := c.Drivers(0); got == nil || len(got) != 0 {
		t.Errorf("zero DriverCounts: Drivers = %#v, want an empty, non-nil slice", got)
	}
}

// A store feeds grouped rows — answers per score, and mentions per theme
// and score — and must get what the answers one by one give.
func TestDriverCountsGroupedRows(t *testing.T) {
	obs := planted(3, 3000)
	totals := map[int]int{}
	mentions := map[[2]any]int{}
	for _, o := range obs {
		totals[o.Score]++
		for _, th := range o.Themes {
			mentions[[2]any{th, o.Score}]++
		}
	}
	var c DriverCounts
	for score, n := range totals {
		c.AddN(score, nil, n)
	}
	for k, n := range mentions {
		c.AddTheme(k[0].(string), k[1].(int), n)
	}
	c.AddTheme("ghost", 11, 50) // off the scale: ignored, not even listed
	c.AddTheme("", 3, 50)       // no theme: ignored
	c.AddTheme("staff", 3, 0)   // nothing
	if got, want := c.Drivers(0), Drivers(obs, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("from grouped rows:\n%+v\nwant\n%+v", got, want)
	}

	// n at once is n times one.
	var one, many DriverCounts
	for range 3 {
		one.Add(4, []string{"waiting"})
	}
	many.AddN(4, []string{"waiting", "waiting"}, 3)
	many.AddN(4, []string{"waiting"}, 0)  // nothing
	many.AddN(4, []string{"waiting"}, -2) // nothing
	if got, want := many.Drivers(1), one.Drivers(1); !reflect.DeepEqual(got, want) {
		t.Errorf("AddN(…, 3) = %+v, want %+v", got, want)
	}
}

// Rows that disagree (a theme counted more often than the total) give an
// empty "without" group, never negative counts, NaN or a share above 1.
func TestDriverCountsInconsistentRows(t *testing.T) {
	var c DriverCounts
	c.AddN(9, nil, 5)
	c.AddTheme("staff", 9, 8)
	d := c.Drivers(0)[0]
	if d.Share != 1 || d.Difference != 0 || d.Impact != 0 || d.Significant || !d.Insufficient {
		t.Errorf("staff = %+v, want share 1, no difference, insufficient", d)
	}
}
