package api

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// The needs and drivers of a period: per theme its volume, sentiment and
// trend, and its effect on an NPS survey's score.

type themesInput struct {
	Survey string    `query:"survey" doc:"An NPS survey's key: adds each theme's effect on its NPS (the drivers)"`
	Unit   string    `query:"unit" doc:"Only this unit and the units below it"`
	Kind   string    `query:"kind" enum:"survey,review,ticket,transcript,social,complaint,interview,note" doc:"Only feedback of this kind"`
	From   time.Time `query:"from" timeFormat:"2006-01-02" doc:"First day (UTC); default: 90 days before to"`
	To     time.Time `query:"to" timeFormat:"2006-01-02" doc:"Last day (UTC); default: today"`
	Min    int       `query:"min" minimum:"0" doc:"Minimum answers on each side of a driver before it is judged; default 30"`
}

type themesOutput struct {
	Body feedback.ThemeReport
}

func (s *server) getThemes(ctx context.Context, in *themesInput) (*themesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	q := feedback.ThemeQuery{Survey: in.Survey, Unit: in.Unit, Kind: heed.FeedbackKind(in.Kind), From: in.From, Min: in.Min}
	if !in.To.IsZero() {
		q.To = in.To.AddDate(0, 0, 1) // the API's day is inclusive
	}
	rep, err := s.cfg.Feedback.Themes(ctx, p, q)
	if err != nil {
		return nil, err
	}
	return &themesOutput{Body: rep}, nil
}
