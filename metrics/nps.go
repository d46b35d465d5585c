package metrics

import (
	"math"

	"github.com/heedhq/heed"
)

// NPS counts the answers to "How likely is it that you would recommend us?"
// (0–10). N is normally Promoters + Passives + Detractors; it is kept as its
// own field so pre-aggregated rows can be used as they are.
type NPS struct {
	N, Promoters, Passives, Detractors int
}

// Add counts one answer: 9–10 is a promoter, 7–8 a passive, 0–6 a detractor.
func (s *NPS) Add(score int) error { return s.AddN(score, 1) }

// AddN counts n answers of score, as pre-aggregated counts come; the
// cut-offs are Category's.
func (s *NPS) AddN(score, n int) error {
	switch Category(heed.SurveyNPS, score) {
	case Promoter:
		s.Promoters += n
	case Passive:
		s.Passives += n
	case Detractor:
		s.Detractors += n
	default:
		return heed.FieldErrorf(heed.EInvalid, "score", "NPS score %d is out of range 0–10", score)
	}
	s.N += n
	return nil
}

// Score is %promoters − %detractors, from −100 to 100; 0 when N is 0.
func (s NPS) Score() float64 {
	if s.N <= 0 {
		return 0
	}
	return 100 * float64(s.Promoters-s.Detractors) / float64(s.N)
}

// Variance is the variance of the answers coded promoter +1, passive 0,
// detractor −1: pP + pD − (pP − pD)². It lies between 0 (everyone alike) and
// 1 (half promoters, half detractors); 0 when N is 0.
func (s NPS) Variance() float64 {
	if s.N <= 0 {
		return 0
	}
	pP := float64(s.Promoters) / float64(s.N)
	pD := float64(s.Detractors) / float64(s.N)
	d := pP - pD
	// Clamped so inconsistent counts or rounding can never make sqrt yield NaN.
	return math.Max(0, pP+pD-d*d)
}

// MarginOfError is the half-width of the 95% confidence interval of Score, in
// NPS points: 1.96·sqrt(Variance/N)·100. It is 0 when N is 0; such a group is
// Insufficient and the margin must not be shown as if it were known.
func (s NPS) MarginOfError() float64 {
	if s.N <= 0 {
		return 0
	}
	return Z95 * math.Sqrt(s.Variance()/float64(s.N)) * 100
}

// Change compares two independent NPS groups (two periods, or two units):
// diff is b's score minus a's, moe the 95% margin of that difference,
// 1.96·sqrt(varA/nA + varB/nB)·100, and significant tells whether |diff|
// exceeds moe — Heed claims "up" or "down" only then. A change involving a
// group under MinSample is never significant: its variance is too rough to
// trust, and faces already flag it as insufficient.
func Change(a, b NPS) (diff, moe float64, significant bool) {
	if a.N <= 0 || b.N <= 0 {
		return 0, 0, false
	}
	diff = b.Score() - a.Score()
	moe = Z95 * math.Sqrt(a.Variance()/float64(a.N)+b.Variance()/float64(b.N)) * 100
	enough := !Insufficient(a.N, MinSample) && !Insufficient(b.N, MinSample)
	return diff, moe, enough && math.Abs(diff) > moe
}
