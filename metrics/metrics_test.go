package metrics

import (
	"errors"
	"math"
	"testing"

	"github.com/heedhq/heed"
)

// near fails unless got is within tol of want; tol is the precision of the
// hand-worked figure in the comments.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		t.Errorf("%s = %.4f, want %.4f (±%g)", what, got, want, tol)
	}
}

func TestNPS(t *testing.T) {
	tests := []struct {
		name               string
		s                  NPS
		score, variance, e float64
	}{
		// pP = .5, pD = .2: NPS = 50 − 20 = 30; var = .5 + .2 − .3² = .61;
		// MoE = 1.96·sqrt(.61/100)·100 = 1.96·.078102·100 = 15.308.
		{"textbook 50/30/20", NPS{100, 50, 30, 20}, 30, 0.61, 15.308},
		// Everyone alike: var = 1 + 0 − 1² = 0, so no sampling spread at all.
		{"all promoters", NPS{100, 100, 0, 0}, 100, 0, 0},
		{"all detractors", NPS{40, 0, 0, 40}, -100, 0, 0},
		// Half and half is the worst case: var = .5 + .5 − 0 = 1;
		// MoE = 1.96·sqrt(1/100)·100 = 19.6.
		{"polarised", NPS{100, 50, 0, 50}, 0, 1, 19.6},
		// pP = .25, pD = .25, var = .5: MoE = 1.96·sqrt(.5/400)·100 = 6.930.
		{"a quarter on each side", NPS{400, 100, 200, 100}, 0, 0.5, 6.930},
		// Empty: every figure is 0 (never NaN) and the group is Insufficient.
		{"empty", NPS{}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, "Score", tt.s.Score(), tt.score, 1e-9)
			near(t, "Variance", tt.s.Variance(), tt.variance, 1e-9)
			near(t, "MarginOfError", tt.s.MarginOfError(), tt.e, 1e-3)
		})
	}
	if !Insufficient(NPS{}.N, MinSample) {
		t.Error("an empty group is not flagged insufficient")
	}
}

func TestNPSAdd(t *testing.T) {
	var s NPS
	for score := 0; score <= 10; score++ {
		if err := s.Add(score); err != nil {
			t.Fatalf("Add(%d): %v", score, err)
		}
	}
	// 0–6 are seven detractors, 7–8 two passives, 9–10 two promoters.
	if want := (NPS{N: 11, Promoters: 2, Passives: 2, Detractors: 7}); s != want {
		t.Fatalf("after 0..10: %+v, want %+v", s, want)
	}
	for _, bad := range []int{-1, 11} {
		err := s.Add(bad)
		var he *heed.Error
		if !errors.As(err, &he) || he.Code != heed.EInvalid || he.Field != "score" {
			t.Errorf("Add(%d) = %v, want an invalid error on field score", bad, err)
		}
	}
	if s.N != 11 {
		t.Errorf("a refused score was counted: N = %d", s.N)
	}
}

func TestCSAT(t *testing.T) {
	tests := []struct {
		name          string
		s             CSAT
		share, e      float64
		wLo, wHi, tol float64
	}{
		// p = .8: MoE = 1.96·sqrt(.8·.2/100)·100 = 1.96·.04·100 = 7.84.
		// Wilson, z² = 3.8416: centre = (.8 + .019208)/1.038416 = .78890,
		// half = 1.96/1.038416·sqrt(.0016 + .00009604) = .07773
		// → (71.12, 86.66), pulled towards 50% unlike 80 ± 7.84.
		{"80 of 100", CSAT{100, 80}, 80, 7.84, 71.117, 86.664, 0.01},
		// p = 1: the normal margin collapses to 0, Wilson keeps a width:
		// centre = 1.019208/1.038416 = .98150, half = 1.887491·.0098 = .01850
		// → (96.30, 100).
		{"all satisfied", CSAT{100, 100}, 100, 0, 96.300, 100, 0.01},
		// Empty: share 0, margin 0, and Wilson says nothing is known.
		{"empty", CSAT{}, 0, 0, 0, 100, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, "Share", tt.s.Share(), tt.share, 1e-9)
			near(t, "MarginOfError", tt.s.MarginOfError(), tt.e, 1e-9)
			lo, hi := tt.s.Interval()
			near(t, "Wilson lo", lo, tt.wLo, tt.tol)
			near(t, "Wilson hi", hi, tt.wHi, tt.tol)
		})
	}
	var s CSAT
	for _, score := range []int{1, 2, 3, 4, 5} {
		if err := s.Add(score); err != nil {
			t.Fatal(err)
		}
	}
	if s != (CSAT{N: 5, Satisfied: 2}) || s.Add(0) == nil || s.Add(6) == nil {
		t.Errorf("CSAT.Add: %+v, or 0 and 6 were accepted", s)
	}
}

func TestCES(t *testing.T) {
	ces := func(scores ...int) CES {
		var s CES
		for _, v := range scores {
			if err := s.Add(v); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	tests := []struct {
		name        string
		s           CES
		mean, sd, e float64
		lo, hi      float64
	}{
		// 5 6 7 4 5 6 5 7 6 5: Sum 56, SumSquares 322, mean 5.6;
		// s² = (322 − 56²/10)/9 = 8.4/9 = .93333, s = .96609;
		// t(0.975, 9) = 2.2622: MoE = 2.2622·.96609/sqrt(10) = .69110
		// → (4.9089, 6.2911).
		{"ten answers", ces(5, 6, 7, 4, 5, 6, 5, 7, 6, 5), 5.6, 0.96609, 0.69110, 4.9089, 6.2911},
		// 1 and 7: mean 4, s = sqrt((50 − 32)/1) = sqrt(18);
		// t(0.975, 1) = 12.7062: MoE = 12.7062·sqrt(18)/sqrt(2) = 12.7062·3
		// = 38.1186, so the interval is clipped to the whole scale.
		{"two answers", ces(1, 7), 4, math.Sqrt(18), 38.1186, 1, 7},
		// One answer: no spread can be estimated; the whole scale is returned.
		{"one answer", ces(6), 6, 0, 0, 1, 7},
		{"empty", CES{}, 0, 0, 0, 1, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			near(t, "Mean", tt.s.Mean(), tt.mean, 1e-9)
			near(t, "StdDev", tt.s.StdDev(), tt.sd, 1e-4)
			near(t, "MarginOfError", tt.s.MarginOfError(), tt.e, 1e-4)
			lo, hi := tt.s.Interval()
			near(t, "lo", lo, tt.lo, 1e-4)
			near(t, "hi", hi, tt.hi, 1e-4)
		})
	}
	if s := ces(3); s.Add(0) == nil || s.Add(8) == nil {
		t.Error("CES.Add accepted a score outside 1–7")
	}
}

func TestInsufficient(t *testing.T) {
	tests := []struct {
		n, min int
		want   bool
	}{
		{0, 0, true}, {29, 0, true}, {30, 0, false}, {29, MinSample, true},
		{10, 5, false}, {4, 5, true},
	}
	for _, tt := range tests {
		if got := Insufficient(tt.n, tt.min); got != tt.want {
			t.Errorf("Insufficient(%d, %d) = %v, want %v", tt.n, tt.min, got, tt.want)
		}
	}
}

func TestChange(t *testing.T) {
	base := NPS{100, 50, 30, 20} // NPS 30, var .61
	tests := []struct {
		name      string
		a, b      NPS
		diff, moe float64
		sig       bool
	}{
		// b: 30/30/40, NPS −10, var = .3 + .4 − .01 = .69;
		// moe = 1.96·sqrt(.61/100 + .69/100)·100 = 1.96·.114018·100 = 22.348;
		// |−40| > 22.35: a real fall.
		{"significant fall", base, NPS{100, 30, 30, 40}, -40, 22.348, true},
		// b: 45/30/25, NPS 20, var = .45 + .25 − .04 = .66;
		// moe = 1.96·sqrt(.0061 + .0066)·100 = 1.96·.112694·100 = 22.088;
		// |−10| < 22.09: noise, no "down" may be shown.
		{"noise", base, NPS{100, 45, 30, 25}, -10, 22.088, false},
		// Same groups the other way round: +40, same margin.
		{"significant rise", NPS{100, 30, 30, 40}, base, 40, 22.348, true},
		// 20 promoters vs 20 detractors: var 0 both, moe 0, yet under
		// MinSample the variance is not to be trusted: never significant.
		{"small groups", NPS{20, 20, 0, 0}, NPS{20, 0, 0, 20}, -200, 0, false},
		{"empty", NPS{}, base, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			diff, moe, sig := Change(tt.a, tt.b)
			near(t, "diff", diff, tt.diff, 1e-9)
			near(t, "moe", moe, tt.moe, 1e-3)
			if sig != tt.sig {
				t.Errorf("significant = %v, want %v", sig, tt.sig)
			}
		})
	}
}

func TestSampleSizeForMargin(t *testing.T) {
	tests := []struct {
		name             string
		margin, variance float64
		population, want int
	}{
		// The classic survey figure: a share (var .25) at ±5:
		// 1.96²·.25/.05² = 384.16 → 385.
		{"share ±5", 5, 0.25, 0, 385},
		// NPS worst case (var 1) at ±5: 3.8416/.0025 = 1536.64 → 1537.
		{"NPS ±5 worst case", 5, 1, 0, 1537},
		{"unknown variance is the worst case", 5, 0, 0, 1537},
		// ±15 (the per-store goal): 3.8416/.0225 = 170.74 → 171.
		{"NPS ±15", 15, 1, 0, 171},
		// 12,000 customers: 1536.64/(1 + 1535.64/12000) = 1362.3 → 1363.
		{"finite population 12000", 5, 1, 12000, 1363},
		// A store with 400 customers: 1536.64/(1 + 1535.64/400) = 317.5
		// → 318, i.e. 80% of its customers would have to answer; at a
		// typical response rate the planner reports it cannot reach ±5
		// (see TestSmallStore).
		{"store of 400", 5, 1, 400, 318},
		// A store of 150 at ±5 needs 1536.64/(1 + 1535.64/150) = 136.6 → 137.
		{"store of 150", 5, 1, 150, 137},
		// A loose goal needs at least one answer.
		{"loose goal", 1000, 1, 0, 1},
		// Certainty only from a census.
		{"zero margin, known population", 0, 1, 400, 400},
		{"zero margin, unknown population", 0, 1, 0, math.MaxInt},
		{"underflowing margin", 1e-300, 1, 400, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SampleSizeForMargin(tt.margin, tt.variance, tt.population); got != tt.want {
				t.Errorf("SampleSizeForMargin(%g, %g, %d) = %d, want %d",
					tt.margin, tt.variance, tt.population, got, tt.want)
			}
		})
	}
}

func TestMarginForSample(t *testing.T) {
	tests := []struct {
		name          string
		n, population int
		variance      float64
		want          float64
	}{
		// 1.96·sqrt(1/100)·100 = 19.6, the polarised NPS of TestNPS.
		{"100 answers worst case", 100, 0, 1, 19.6},
		{"unknown variance is the worst case", 100, 0, -1, 19.6},
		// .61 is the textbook 50/30/20 variance: 15.308, as in TestNPS.
		{"textbook variance", 100, 0, 0.61, 15.308},
		// 100 of 400: 19.6·sqrt(300/399) = 19.6·.867110 = 16.995.
		{"finite population", 100, 400, 1, 16.995},
		{"census", 400, 400, 1, 0},
		{"more than the population", 500, 400, 1, 0},
		{"no answers", 0, 400, 1, math.Inf(1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MarginForSample(tt.n, tt.population, tt.variance)
			if math.IsInf(tt.want, 1) {
				if !math.IsInf(got, 1) {
					t.Errorf("got %g, want +Inf", got)
				}
				return
			}
			near(t, "margin", got, tt.want, 1e-3)
		})
	}
}

// TestSmallStore is the planner's question for a store of 400 customers whose
// goal is ±5 at the worst-case variance: it needs 318 answers. If 30% of its
// customers answer, it gets 120, and 120 of 400 give
// 1.96·sqrt(1/120·280/399)·100 = 1.96·sqrt(.0058480)·100 = 14.99 points:
// the store can promise ±15, not ±5.
func TestSmallStore(t *testing.T) {
	const customers, rate = 400, 0.30
	need := SampleSizeForMargin(5, WorstCaseVariance, customers)
	answers := int(customers * rate)
	if need != 318 || answers >= need {
		t.Fatalf("need %d answers, can expect %d: want 318 needed and not reachable", need, answers)
	}
	near(t, "reachable margin", MarginForSample(answers, customers, WorstCaseVariance), 14.988, 1e-3)
}

// TestRoundTrip checks that the two planning functions are inverses: the
// margin n answers give needs exactly n answers, with and without the finite
// population correction.
func TestRoundTrip(t *testing.T) {
	for _, pop := range []int{0, 150, 400, 12000, 1_000_000} {
		for _, variance := range []float64{0.25, 0.61, 1} {
			for _, n := range []int{2, 30, 100, 149, 385, 1537, 5000} {
				if pop > 0 && n >= pop {
					continue
				}
				m := MarginForSample(n, pop, variance)
				if got := SampleSizeForMargin(m, variance, pop); got != n {
					t.Errorf("pop %d var %g: %d answers give ±%.4f, which needs %d", pop, variance, n, m, got)
				}
			}
		}
	}
}

// TestAddN: counts added n at a time, as the pre-aggregated rows come,
// equal the same answers added one by one.
func TestAddN(t *testing.T) {
	var one, many NPS
	var c1, cn CSAT
	var e1, en CES
	for score, n := range map[int]int{0: 3, 6: 2, 7: 5, 9: 4, 10: 1} {
		for range n {
			one.Add(score)
		}
		many.AddN(score, n)
	}
	for score, n := range map[int]int{1: 2, 4: 3, 5: 1} {
		for range n {
			c1.Add(score)
			e1.Add(score)
		}
		cn.AddN(score, n)
		en.AddN(score, n)
	}
	if one != many || c1 != cn || e1 != en {
		t.Errorf("AddN differs from Add: NPS %+v vs %+v, CSAT %+v vs %+v, CES %+v vs %+v", many, one, cn, c1, en, e1)
	}
	if err := many.AddN(11, 2); err == nil || many.N != one.N {
		t.Errorf("AddN(11) = %v and counted; want an error and nothing counted", err)
	}
}

func TestCategory(t *testing.T) {
	for _, c := range []struct {
		kind  heed.SurveyKind
		score int
		want  string
	}{
		{heed.SurveyNPS, 0, Detractor}, {heed.SurveyNPS, 6, Detractor}, {heed.SurveyNPS, 7, Passive},
		{heed.SurveyNPS, 8, Passive}, {heed.SurveyNPS, 9, Promoter}, {heed.SurveyNPS, 11, ""},
		{heed.SurveyCSAT, 2, Detractor}, {heed.SurveyCSAT, 3, Passive}, {heed.SurveyCSAT, 4, Promoter},
		{heed.SurveyCSAT, 0, ""}, {heed.SurveyCES, 3, Detractor}, {heed.SurveyCES, 4, Passive},
		{heed.SurveyCES, 5, Promoter},
	} {
		if got := Category(c.kind, c.score); got != c.want {
			t.Errorf("Category(%s, %d) = %q; want %q", c.kind, c.score, got, c.want)
		}
	}
}
