package feedback

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/textan"
)

// The customer values that earn priority points (the product keeps no
// currency, so these are plain amounts of Customer.Value).
const (
	PriorityValueHigh heed.Decimal = 10_000 * 10_000 // 10,000 (a Decimal counts ten-thousandths)
	PriorityValueMid  heed.Decimal = 1_000 * 10_000  // 1,000
)

// PriorityInput is what a priority is made of.
type PriorityInput struct {
	Category    string       // detractor, passive, promoter; "" when unknown
	Sentiment   *float64     // −1…1; nil when not read
	Value       heed.Decimal // the customer's value; 0 when unknown
	HasCustomer bool         // said by a known customer
	Churn       string       // the customer's churn risk: low, medium, high; "" when unknown
	Age         time.Duration
	// Late: a case that missed its service level (no first contact, or
	// not resolved, in time) — the call is overdue.
	Late bool
}

// Priority is how soon an item deserves attention, with the reasons.
type Priority struct {
	Score int      `json:"score"` // 0–100
	Level string   `json:"level"` // high (≥ 60), medium (≥ 30), low
	Parts []string `json:"parts"` // what gave points, the largest first: "detractor", "value 48,000", "churn risk high"
}

// PriorityOf adds up points, so anyone can see why an item ranks where it
// does:
//
//   - severity: detractor +35, passive +10; a negative sentiment up to
//     +15 more, by how negative (−1 gives 15);
//   - the customer's value: at least PriorityValueHigh +20, at least
//     PriorityValueMid +10;
//   - churn risk: high +20, medium +10;
//   - recency: said in the last 24 hours +10, the last 7 days +5;
//   - a case past its service level (late): +25;
//   - said by nobody Heed knows: −5.
//
// The sum is clamped to 0–100: 60 or more is high, 30 or more medium.
func PriorityOf(in PriorityInput) Priority {
	type part struct {
		points int
		text   string
	}
	var parts []part
	add := func(points int, text string) {
		if points != 0 {
			parts = append(parts, part{points, text})
		}
	}
	switch in.Category {
	case metrics.Detractor:
		add(35, "detractor")
	case metrics.Passive:
		add(10, "passive")
	}
	if in.Sentiment != nil && *in.Sentiment <= -textan.NeutralBand {
		text := "negative"
		if *in.Sentiment <= -0.5 {
			text = "very negative"
		}
		add(int(math.Round(15*min(1, -*in.Sentiment))), text)
	}
	switch {
	case in.Value >= PriorityValueHigh:
		add(20, "value "+amount(in.Value))
	case in.Value >= PriorityValueMid:
		add(10, "value "+amount(in.Value))
	}
	switch in.Churn {
	case "high":
		add(20, "churn risk high")
	case "medium":
		add(10, "churn risk medium")
	}
	switch {
	case in.Age < 24*time.Hour:
		add(10, "today")
	case in.Age < 7*24*time.Hour:
		add(5, "this week")
	}
	if in.Late {
		add(25, "late")
	}
	if !in.HasCustomer {
		add(-5, "unknown customer")
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(b.points, a.points) })
	p := Priority{Level: "low", Parts: make([]string, len(parts))}
	for i, x := range parts {
		p.Score += x.points
		p.Parts[i] = x.text
	}
	p.Score = max(0, min(100, p.Score))
	switch {
	case p.Score >= 60:
		p.Level = "high"
	case p.Score >= 30:
		p.Level = "medium"
	}
	return p
}

// amount writes a value rounded to a whole number with thousands
// separators: "48,000".
func amount(d heed.Decimal) string {
	s := strconv.FormatInt(int64(math.Round(d.Float())), 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ChurnFunc tells a customer's churn risk (low, medium, high) by their
// external id; "" when it is not known. The caller passes it (an events
// service's profile), so this package need not know how it is reckoned.
type ChurnFunc func(ctx context.Context, customer string) (string, error)

// Standing is what a priority reads of a customer.
type Standing struct {
	Value heed.Decimal
	Churn string
}

// Standings reads each distinct customer of customers once, as p sees
// them: their value, and their churn risk when churn is not nil. A
// customer p may not see, or who is gone, stands at nothing.
func (s *Service) Standings(ctx context.Context, p heed.Principal, customers []string, churn ChurnFunc) (map[string]Standing, error) {
	out := make(map[string]Standing, len(customers))
	for _, ext := range customers {
		if _, seen := out[ext]; seen || ext == "" {
			continue
		}
		c, err := s.store.GetCustomer(ctx, p.Scope(), ext)
		if heed.IsNotFound(err) {
			out[ext] = Standing{}
			continue
		} else if err != nil {
			return nil, err
		}
		st := Standing{Value: c.Value}
		if churn != nil {
			if st.Churn, err = churn(ctx, ext); err != nil && !heed.IsNotFound(err) {
				return nil, err
			}
		}
		out[ext] = st
	}
	return out, nil
}

// Prioritized is an item with its priority.
type Prioritized struct {
	heed.FeedbackItem
	Priority Priority `json:"priority"`
}

// Prioritize gives each item its priority as of now, in the order given:
// one customer read and one churn look-up per distinct customer.
func (s *Service) Prioritize(ctx context.Context, p heed.Principal, items []heed.FeedbackItem, churn ChurnFunc) ([]Prioritized, error) {
	exts := make([]string, len(items))
	for i, it := range items {
		exts[i] = it.Customer
	}
	standings, err := s.Standings(ctx, p, exts, churn)
	if err != nil {
		return nil, err
	}
	now := s.cfg.Now()
	out := make([]Prioritized, len(items))
	for i, it := range items {
		st := standings[it.Customer]
		out[i] = Prioritized{FeedbackItem: it, Priority: PriorityOf(PriorityInput{Category: Category(it),
			Sentiment: it.Sentiment, Value: st.Value, HasCustomer: it.Customer != "", Churn: st.Churn, Age: now.Sub(it.At)})}
	}
	return out, nil
}

// Category is the category an item counts as: from its stars (as CSAT),
// else from how it reads; "" when it was not read. The rules count it
// so too (cases.OnItem).
func Category(it heed.FeedbackItem) string {
	if it.Rating != nil {
		return metrics.Category(heed.SurveyCSAT, *it.Rating)
	}
	switch textan.Label(it.Label) {
	case textan.Negative:
		return metrics.Detractor
	case textan.Neutral:
		return metrics.Passive
	case textan.Positive:
		return metrics.Promoter
	}
	return ""
}
