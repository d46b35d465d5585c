package api

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
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

// metrics is a survey's figures and, when the API closes the loop, the
// closed-loop figures of the same unit and days. Its name keeps the
// document's schema called Metrics, as it was before the loop.
type metrics struct {
	survey.Metrics
	Loop *cases.LoopMetrics `json:"loop,omitempty" doc:"Closed-loop figures of the cases opened in the same days under the same unit, of every survey, by unit; open cases as they are now"`
}

// loopFigures is cases.Figures under a name of its own: the document
// cannot hold two schemas called Figures, and survey.Figures came first.
type loopFigures cases.Figures

func registerLoopFigures(r huma.Registry) {
	r.RegisterTypeAlias(reflect.TypeFor[cases.Figures](), reflect.TypeFor[loopFigures]())
}

type metricsOutput struct {
	Body metrics
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
	out := &metricsOutput{Body: metrics{Metrics: m}}
	if s.cfg.Cases == nil {
		return out, nil
	}
	// The survey's answer names the days it settled on (defaults filled
	// in); the loop counts the cases opened on them, the last one whole.
	from, err1 := time.Parse(time.DateOnly, m.From)
	to, err2 := time.Parse(time.DateOnly, m.To)
	if err := errors.Join(err1, err2); err != nil {
		return nil, heed.Internal(err, "api: the span of the survey's metrics")
	}
	loop, err := s.cfg.Cases.Metrics(ctx, p, in.Unit, from, to.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	loop.Units = nonNil(loop.Units)
	out.Body.Loop = &loop
	return out, nil
}
