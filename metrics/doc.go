// Package metrics holds the score arithmetic behind every number Heed shows:
// NPS, CSAT and CES with their sample size and 95% margin of error, the
// minimum sample below which a group is flagged instead of scored, whether a
// change between two periods is significant, and how many answers a target
// margin needs (the stratified planner sizes each unit's invitations with it),
// and the drivers: which feedback themes cost or earn the most NPS, with the
// same margins and minimum samples.
//
// It is pure arithmetic on counts and sums, so the stores can pre-aggregate
// and roll up (a region's NPS is the sum of its stores' counts) and the faces
// only format. Nothing here returns NaN: an empty group has defined zero
// values and is Insufficient; faces show that flag instead of the numbers.
package metrics

// Z95 is the two-sided 95% quantile of the standard normal distribution used
// by every margin of error in Heed (the textbook 1.96).
const Z95 = 1.96

// MinSample is the default minimum number of answers below which a group is
// flagged insufficient: under about 30 the normal approximations behind the
// margins are too rough to print a score as if it were known.
const MinSample = 30

// Insufficient reports whether a group of n answers is under the minimum
// sample min (MinSample when min <= 0). Faces flag such groups instead of
// hiding them, so the reader sees that the unit exists but has too few answers.
func Insufficient(n, min int) bool {
	if min <= 0 {
		min = MinSample
	}
	return n < min
}
