package api

import (
	"context"
	"time"

	"github.com/heedhq/heed/survey"
)

type metricsInput struct {
	Survey string    `query:"survey" required:"true" doc:"The survey's key"`
	Unit   string    `query:"unit" doc:"Only this unit and the units below it; by=unit then groups by its children"`
	From   time.Time `query:"from" timeFormat:"2006-01-02" doc:"First day (UTC); default: 90 days before to"`
	To     time.Time `query:"to" timeFormat:"2006-01-02" doc:"Last day (UTC), included; default: today"`
	By     string    `query:"by" enum:"week,month,unit" doc:"Groups: weeks (Monday first) or months of the span, every one listed even when empty, or the units below unit"`
	Min    int       `query:"min" minimum:"1" maximum:"100000" doc:"Minimum sample: a group with fewer responses has no score (default 30)"`
}

type metricsOutput struct {
	Body survey.Metrics
}

func (s *server) getMetrics(ctx context.Context, in *metricsInput) (*metricsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.cfg.Surveys.Metrics(ctx, p, survey.MetricsQuery{
		Survey: in.Survey, Unit: in.Unit, From: in.From, To: in.To, By: in.By, Min: in.Min,
	})
	if err != nil {
		return nil, err
	}
	m.Groups, m.ResponseRates = nonNil(m.Groups), nonNil(m.ResponseRates)
	return &metricsOutput{Body: m}, nil
}
