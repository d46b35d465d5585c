package metrics

import (
	"math"

	"github.com/heedhq/heed"
	"gonum.org/v1/gonum/stat/distuv"
)

// The CES scale: agreement from 1 to 7 with "… made it easy for me to …".
const (
	CESMin = 1
	CESMax = 7
)

// CES accumulates the answers to the customer effort question as a count, a
// sum and a sum of squares, which is all a mean and its interval need and
// which the stores can pre-aggregate and roll up by plain addition.
type CES struct {
	N          int
	Sum        float64
	SumSquares float64
}

// Add counts one answer from CESMin to CESMax.
func (s *CES) Add(score int) error { return s.AddN(score, 1) }

// AddN counts n answers of score, as pre-aggregated counts come; the
// scale is Category's.
func (s *CES) AddN(score, n int) error {
	if Category(heed.SurveyCES, score) == "" {
		return heed.FieldErrorf(heed.EInvalid, "score", "CES score %d is out of range %d–%d", score, CESMin, CESMax)
	}
	v, k := float64(score), float64(n)
	s.N += n
	s.Sum += v * k
	s.SumSquares += v * v * k
	return nil
}

// Mean is the average answer; 0 when N is 0.
func (s CES) Mean() float64 {
	if s.N <= 0 {
		return 0
	}
	return s.Sum / float64(s.N)
}

// StdDev is the sample standard deviation (divisor N−1); 0 when N < 2.
func (s CES) StdDev() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	ss := s.SumSquares - s.Sum*s.Sum/n
	return math.Sqrt(math.Max(0, ss/(n-1)))
}

// MarginOfError is the half-width of the 95% confidence interval of Mean:
// t(0.975, N−1)·StdDev/sqrt(N), Student's t because the standard deviation
// is itself estimated from the few answers. It is 0 when N < 2 (no spread
// can be estimated; the group is Insufficient).
func (s CES) MarginOfError() float64 {
	if s.N < 2 {
		return 0
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}.Quantile(0.975)
	return t * s.StdDev() / math.Sqrt(float64(s.N))
}

// Interval is the 95% confidence interval of Mean, Mean ± MarginOfError,
// clipped to the scale (a mean of 1–7 answers cannot leave 1–7). With fewer
// than two answers nothing is known about the spread and the whole scale,
// (CESMin, CESMax), is returned.
func (s CES) Interval() (lo, hi float64) {
	if s.N < 2 {
		return CESMin, CESMax
	}
	m, e := s.Mean(), s.MarginOfError()
	return math.Max(CESMin, m-e), math.Min(CESMax, m+e)
}
