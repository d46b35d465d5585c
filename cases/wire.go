package cases

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// Loop is the services that close the loop over one store, wired.
type Loop struct {
	Surveys  *survey.Service
	Cases    *Service
	Webhooks *webhooks.Service
	Feedback *feedback.Service
	Events   *events.Service
}

// Wire builds the services that close the loop over one store: the
// survey service with the response hook that sends every response
// written through it — answered, sent to the API, imported — through the
// rules in its own transaction and makes its comment a feedback item,
// the webhooks service the cases emit to, the feedback service, and the
// customer events service (on the cases' clock). heed serve and every
// test that needs the loop wire it here, so none wires it differently.
// surveyCfg.OnResponse is replaced.
func Wire(store heed.Store, surveyCfg survey.Config, hooksCfg webhooks.Config, casesCfg Config) Loop {
	hooks := webhooks.New(store, hooksCfg)
	var cs *Service // the hooks need the cases service, which needs the survey service
	fb := feedback.New(store, feedback.Config{Logger: casesCfg.Logger, Now: casesCfg.Now,
		OnItem: func(ctx context.Context, q heed.Queries, it heed.FeedbackItem, old *heed.FeedbackItem, now time.Time) error {
			return cs.OnItem(ctx, q, it, old, now)
		}})
	surveyCfg.OnResponse = func(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error {
		if err := cs.OnResponse(ctx, q, r, old, now); err != nil {
			return err
		}
		return fb.OnResponse(ctx, q, r, old, now)
	}
	sv := survey.New(store, surveyCfg)
	cs = New(store, sv, hooks, casesCfg)
	ev := events.New(store, events.Config{Now: casesCfg.Now})
	return Loop{Surveys: sv, Cases: cs, Webhooks: hooks, Feedback: fb, Events: ev}
}
