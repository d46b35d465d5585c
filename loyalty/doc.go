// Package loyalty infers, for one customer as of a given time, what their
// events and survey answers say: recency, frequency and monetary value
// (RFM), a churn risk with the factors behind it, and the rung of the
// loyalty ladder they stand on, with the reason; Funnel counts the rungs
// of many customers over time. It is pure: callers load the histories.
//
// Everything is computed as of now. Events and answers after now are
// ignored, so replaying a history at an earlier time gives what was known
// then, and the order of the input does not matter. Days are calendar days
// in now's location; "in the last N days" means today and the N−1 days
// before it.
//
// # Churn risk
//
// The risk is a sum of points, clamped to 0–100, so a manager can check it
// by hand: below 34 it is low, below 67 medium, else high. Each rule that
// gives points is listed as a Factor, largest first:
//
//	cancelled         +70  cancelled, and no purchase since
//	came back         +15  cancelled in the last 365 days, bought since
//	overdue      +10…+50   days since the last purchase are at least 1.5×
//	                       (+10), 2× (+20), 3× (+30) or 5× (+50) the
//	                       customer's usual interval: the median of the last
//	                       12 gaps between purchase days, at least 7 days;
//	                       60 days for a customer with a single purchase day
//	fewer purchases   +15  2 or more purchases in the 90 days before the
//	                       last 90, and at most half as many in the last 90
//	detractor         +15  the latest answer, in the last 180 days, is a
//	                       detractor (metrics.Category, any survey kind)
//	promoter          −15  the latest answer, in the last 180 days, is a
//	                       promoter
//	support       +10/+20  3–5 / 6 or more support contacts in the last 30 days
//	inactive          +20  no event or answer for 180 days or more (counted
//	                       from when the customer became known if none)
//
// Recency is judged against the customer's own rhythm because silence
// means different things: 100 days without buying is alarming for a monthly
// buyer and normal for a yearly one. A cancellation alone is high risk; a
// lapse becomes high as it grows (a monthly buyer silent for five months
// is +50, and +70 once six months pass without any contact).
//
// # The ladder
//
// See Rung for the rules. In short: the highest rung whose condition holds,
// counted only from the latest cancellation on (a cancellation starts the
// climb again from awareness), and held at purchase while the latest answer
// is a detractor given in the last 180 days.
package loyalty
