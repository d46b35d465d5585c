package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/loyalty"
)

// customerFeedback is how many of a customer's latest feedback items
// their page shows: enough to see what they keep saying, short enough
// to read on a phone.
const customerFeedback = 20

// timelineShown is how many of the latest events show unfolded: the
// timeline stays about as tall as the churn factors beside it.
const timelineShown = 8

// profileView is what Heed makes of a customer (events.Profile), ready
// for the customer page: the ladder, the churn risk and the purchases.
type profileView struct {
	events.Profile
	Ladder    []rungStep
	RungLabel string    // "Repeat purchase"; "" when the customer is not on the ladder
	Step      int       // the rung's height, 1–7; 0 when not on the ladder
	LadderURL string    // the ladder of the customer's unit; "" when the viewer may not see the unit
	Risk      churnView // the churn risk as shown (Profile.Churn as computed)
	AsOf      string    // the day the profile is as of
	LastBuy   string    // "12 days ago"; "" when they never bought
	// Days of the purchases and of the latest contact; "" for none.
	LastBuyDay, FirstBuyDay, LastContact string
	Timeline                             []customerEvent // the latest few
	Older                                []customerEvent // the rest of events.Profile.Recent, folded away
}

// rungStep is one rung of the ladder strip.
type rungStep struct {
	Label string
	N     int    // height, 1–7
	State string // below, current or above the customer's rung
}

// churnView is a churn score as the page shows it.
type churnView struct {
	Score   int
	Level   string  // "High"
	Tone    string  // good, mid, bad: low, medium, high risk
	Marker  float64 // the score's mark on a 0–100 bar: its left edge
	Factors []factorView
}

// factorView is one churn factor: "+70 cancelled · cancelled on 3 Mar 2026".
type factorView struct {
	Points       string // "+70", "−15"
	Up           bool   // raises the risk
	Name, Detail string
}

// customerEvent is one of the latest events in the profile's timeline.
type customerEvent struct {
	Kind   string // the kind's key, for its icon
	Label  string
	Day    string
	When   string // the full time, for the tooltip
	Amount string // a purchase's; "" for the other kinds
}

// customerProfile profiles the customer for the viewer; nil without the
// events service. unitLink says whether the viewer may open the
// customer's unit (and so its ladder).
func (s *server) customerProfile(ctx context.Context, p heed.Principal, c heed.Customer, unitLink bool) (*profileView, error) {
	if s.ev == nil {
		return nil, nil
	}
	prof, err := s.ev.Profile(ctx, p, c.ExternalID)
	if err != nil {
		return nil, fmt.Errorf("profile of %s: %w", c.ExternalID, err)
	}
	v := newProfileView(prof)
	if unitLink {
		v.LadderURL = "/ladder?" + url.Values{"unit": {c.Unit}}.Encode()
	}
	return &v, nil
}

func newProfileView(p events.Profile) profileView {
	v := profileView{Profile: p, Risk: newChurnView(p.Churn), AsOf: dayText(p.At)}
	for i, r := range loyalty.Rungs() {
		step := rungStep{Label: rungLabel(r), N: i + 1, State: "above"}
		switch {
		case r == p.Rung:
			step.State, v.RungLabel, v.Step = "current", step.Label, i+1
		case v.Step == 0 && p.Rung != "":
			step.State = "below"
		}
		v.Ladder = append(v.Ladder, step)
	}
	if r := p.RFM.Recency; r != nil {
		v.LastBuy = daysAgo(*r)
	}
	v.LastBuyDay, v.FirstBuyDay, v.LastContact = dayText(p.RFM.LastPurchase), dayText(p.RFM.FirstPurchase), dayText(p.RFM.LastContact)
	for _, e := range p.Recent {
		row := customerEvent{Kind: string(e.Kind), Label: eventLabel(e.Kind), Day: dayText(e.At), When: formatTime(e.At)}
		if e.Kind == heed.EventPurchase {
			row.Amount = groupDigits(e.Amount)
		}
		if len(v.Timeline) < timelineShown {
			v.Timeline = append(v.Timeline, row)
		} else {
			v.Older = append(v.Older, row)
		}
	}
	return v
}

func newChurnView(c loyalty.Churn) churnView {
	v := churnView{Score: c.Score, Level: capitalize(string(c.Level)), Tone: levelTone(c.Level),
		Marker: min(max(float64(c.Score)-0.75, 0), 98.5)}
	for _, f := range c.Factors {
		v.Factors = append(v.Factors, factorView{Points: signedPoints(f.Points), Up: f.Points > 0, Name: f.Factor, Detail: f.Detail})
	}
	return v
}

// levelTone colours a churn level as scores are coloured: low risk is
// good news.
func levelTone(l loyalty.Level) string {
	switch l {
	case loyalty.LevelLow:
		return "good"
	case loyalty.LevelMedium:
		return "mid"
	}
	return "bad"
}

// signedPoints writes a factor's points with their sign and a true minus.
func signedPoints(n int) string {
	if n < 0 {
		return "−" + strconv.Itoa(-n)
	}
	return "+" + strconv.Itoa(n)
}

// dayText writes a day as a profile counts it (UTC); "" for none.
func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}

func daysAgo(n int) string {
	switch n {
	case 0:
		return "today"
	case 1:
		return "yesterday"
	}
	return groupInt(n) + " days ago"
}

// rungLabel names a rung as people say it: "Repeat purchase".
func rungLabel(r loyalty.Rung) string {
	if r == loyalty.RungRepeat {
		return "Repeat purchase"
	}
	return capitalize(string(r))
}

// eventLabel names a kind of customer event.
func eventLabel(k heed.CustomerEventKind) string {
	switch k {
	case heed.EventLogin:
		return "Signed in"
	case heed.EventSupport:
		return "Support contact"
	}
	return capitalize(string(k))
}

// customerFeedbackRows are the customer's latest feedback items from
// every source, as the explorer shows them, and whether there is older
// feedback; nil without the feedback service.
func (s *server) customerFeedbackRows(ctx context.Context, p heed.Principal, c heed.Customer) ([]feedbackRow, bool, error) {
	if s.fb == nil {
		return nil, false, nil
	}
	list, err := s.fb.List(ctx, p, heed.FeedbackFilter{CustomerID: c.ID, Limit: customerFeedback + 1})
	if err != nil {
		return nil, false, fmt.Errorf("feedback of %s: %w", c.ExternalID, err)
	}
	more := len(list) > customerFeedback
	list = list[:min(len(list), customerFeedback)]
	surveys := map[string]heed.Survey{}
	// Survey comments are titled by their survey's name; the surveys are
	// read only when there is one.
	if slices.ContainsFunc(list, func(it heed.FeedbackItem) bool { return it.Kind == heed.FeedbackSurvey }) {
		all, err := s.sv.ListSurveys(ctx, p)
		if err != nil {
			return nil, false, err
		}
		surveys = surveysByKey(all)
	}
	tax, err := s.fb.Taxonomy(ctx, p)
	if err != nil {
		return nil, false, err
	}
	rows := make([]feedbackRow, 0, len(list))
	for _, it := range list {
		rows = append(rows, newFeedbackRow(it, nil, surveys, themeNames(tax.Themes)))
	}
	return rows, more, nil
}
