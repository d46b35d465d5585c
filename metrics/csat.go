package metrics

import (
	"math"

	"github.com/heedhq/heed"
)

// CSAT counts the answers to "How satisfied were you with …?" (1–5);
// Satisfied are the answers of 4 or 5, the share Heed reports.
type CSAT struct {
	N, Satisfied int
}

// Add counts one answer from 1 to 5.
func (s *CSAT) Add(score int) error { return s.AddN(score, 1) }

// AddN counts n answers of score, as pre-aggregated counts come;
// satisfied is Category's promoter.
func (s *CSAT) AddN(score, n int) error {
	switch Category(heed.SurveyCSAT, score) {
	case "":
		return heed.FieldErrorf(heed.EInvalid, "score", "CSAT score %d is out of range 1–5", score)
	case Promoter:
		s.Satisfied += n
	}
	s.N += n
	return nil
}

// Share is the percentage of satisfied answers (0–100); 0 when N is 0.
func (s CSAT) Share() float64 {
	if s.N <= 0 {
		return 0
	}
	return 100 * float64(s.Satisfied) / float64(s.N)
}

// MarginOfError is the textbook normal-approximation 95% margin of Share, in
// percentage points: 1.96·sqrt(p(1−p)/N)·100; 0 when N is 0. It shrinks to 0
// at a share of 0 or 100%, which overstates certainty: prefer Interval there.
func (s CSAT) MarginOfError() float64 {
	if s.N <= 0 {
		return 0
	}
	p := s.Share() / 100
	return Z95 * math.Sqrt(math.Max(0, p*(1-p))/float64(s.N)) * 100
}

// Interval is the 95% Wilson score interval of Share, in percent. Unlike
// Share ± MarginOfError it stays inside 0–100 and keeps a width when every
// answer agrees. With N = 0 it is (0, 100): nothing is known.
func (s CSAT) Interval() (lo, hi float64) {
	if s.N <= 0 {
		return 0, 100
	}
	n := float64(s.N)
	p := math.Min(1, math.Max(0, float64(s.Satisfied)/n))
	z2 := Z95 * Z95
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := Z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return 100 * math.Max(0, center-half), 100 * math.Min(1, center+half)
}
