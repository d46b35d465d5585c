// Package sampling decides, without a database, who a continuous survey
// program asks today and why the others were not asked: eligibility rules,
// a target spread evenly over a week, month or quarter, a reproducible
// longest-not-asked-first choice, and per-unit quotas sized for a precision goal.
package sampling
