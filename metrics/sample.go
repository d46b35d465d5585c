package metrics

import "math"

// WorstCaseVariance is the largest variance an NPS can have (half promoters,
// half detractors, coded ±1). Planning with it when a unit's variance is not
// yet known never promises a margin that the answers then miss. For a share
// such as CSAT the worst case is 0.25 (p = 0.5); pass that instead.
const WorstCaseVariance = 1.0

// SampleSizeForMargin is the number of answers needed for a 95% margin of
// error of margin points (NPS points, or percentage points for a share) at the
// given per-answer variance; variance <= 0 means unknown and uses
// WorstCaseVariance. It starts from n0 = 1.96²·variance/(margin/100)² and,
// when population > 0, applies the finite population correction
// n = n0 / (1 + (n0−1)/population): a small store needs fewer answers because
// each one is a larger part of its customers. The result is at least 1 and
// never more than population (asking everyone leaves no sampling error).
//
// Whether a unit can actually reach the margin is the planner's question: it
// compares this count with the answers the unit's customers and response rate
// can give. A margin <= 0 asks for certainty, which only a census gives: the
// population is returned, or math.MaxInt when the population is unknown.
func SampleSizeForMargin(margin, variance float64, population int) int {
	if !(variance > 0) {
		variance = WorstCaseVariance
	}
	if !(margin > 0) {
		if population > 0 {
			return population
		}
		return math.MaxInt
	}
	m := margin / 100
	n := Z95 * Z95 * variance / (m * m)
	if math.IsInf(n, 1) { // a margin so small its square underflows
		return SampleSizeForMargin(0, variance, population)
	}
	if population > 0 {
		n /= 1 + (n-1)/float64(population)
	}
	// The tolerance keeps an exact answer (384.0000000001 from rounding) from
	// costing one more respondent.
	n = math.Ceil(n - 1e-9)
	switch {
	case n < 1:
		return 1
	case population > 0 && n > float64(population):
		return population
	case n >= math.MaxInt:
		return math.MaxInt
	}
	return int(n)
}

// MarginForSample is the 95% margin of error, in points, that n answers give
// at the given variance (<= 0: WorstCaseVariance) out of population customers
// (<= 0: unknown, no correction): 1.96·sqrt(variance/n·(N−n)/(N−1))·100, the
// inverse of SampleSizeForMargin. It is 0 when n covers the whole population
// and +Inf when n <= 0 (no answers, no estimate): the planner compares it with
// the goal; faces show such a unit as Insufficient, never the number.
func MarginForSample(n, population int, variance float64) float64 {
	if !(variance > 0) {
		variance = WorstCaseVariance
	}
	if n <= 0 {
		return math.Inf(1)
	}
	if population > 0 && n >= population {
		return 0
	}
	v := variance / float64(n)
	if population > 0 {
		v *= float64(population-n) / float64(population-1)
	}
	return Z95 * math.Sqrt(v) * 100
}
