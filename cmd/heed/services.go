package main

import (
	"log/slog"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/events"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// loop is the survey service with the closing-the-loop services hooked
// into it: every response written through it — answered, sent to the
// API, imported — goes through the rules in its own transaction. Every
// command that writes responses builds it here, so none can skip them.
type loop struct {
	surveys  *survey.Service
	cases    *cases.Service
	webhooks *webhooks.Service
	feedback *feedback.Service
	events   *events.Service
}

// newLoop wires the services over store (see cases.Wire); mailer may be
// nil (emails are logged). digestHour is when the managers' digests go
// out (-1: none; only heed serve runs them).
func newLoop(store heed.Store, log *slog.Logger, publicURL string, mailer mail.Sender, digestHour int) loop {
	lp := cases.Wire(store,
		survey.Config{PublicURL: publicURL, Mailer: mailer, Logger: log},
		webhooks.Config{PublicURL: publicURL, Logger: log},
		cases.Config{PublicURL: publicURL, Mailer: mailer, Logger: log, DigestHour: digestHour})
	return loop{surveys: lp.Surveys, cases: lp.Cases, webhooks: lp.Webhooks, feedback: lp.Feedback, events: lp.Events}
}

// register makes pool run every job of the services.
func (l loop) register(pool *jobs.Pool) {
	l.surveys.RegisterJobs(pool)
	l.cases.RegisterJobs(pool)
	l.webhooks.RegisterJobs(pool)
	l.feedback.RegisterJobs(pool)
}
