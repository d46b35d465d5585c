package metrics

import "github.com/heedhq/heed"

// Score categories: where one answer stands, whatever the survey's scale.
// NPS names them; CSAT and CES map onto them so one rule ("detractors
// open a case") serves every kind of survey.
const (
	Detractor = "detractor" // NPS 0–6, CSAT 1–2, CES 1–3
	Passive   = "passive"   // NPS 7–8, CSAT 3, CES 4
	Promoter  = "promoter"  // NPS 9–10, CSAT 4–5 (satisfied), CES 5–7 (easy)
)

// Categories lists the categories, worst first.
func Categories() []string { return []string{Detractor, Passive, Promoter} }

// Category is the category of score on kind's scale; "" when the score
// is off the scale. Its cut-offs are the only ones: NPS, CSAT and CES
// count by it, so a rule's "detractor" and the reports' never differ.
func Category(kind heed.SurveyKind, score int) string {
	lo, hi := kind.Scale()
	if score < lo || score > hi {
		return ""
	}
	var passive, promoter int // the lowest score of each
	switch kind {
	case heed.SurveyCSAT:
		passive, promoter = 3, 4
	case heed.SurveyCES:
		passive, promoter = 4, 5
	default:
		passive, promoter = 7, 9
	}
	switch {
	case score >= promoter:
		return Promoter
	case score >= passive:
		return Passive
	}
	return Detractor
}
