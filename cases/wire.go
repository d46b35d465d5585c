package cases

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
	"github.com/heedhq/heed/webhooks"
)

// Wire builds the services that close the loop over one store: the
// survey service with this package's OnResponse as its response hook, so
// every response written through it — answered, sent to the API,
// imported — goes through the rules in its own transaction, and the
// webhooks service the cases emit to. heed serve and every test that
// needs the loop wire it here, so none wires it differently.
// surveyCfg.OnResponse is replaced.
func Wire(store heed.Store, surveyCfg survey.Config, hooksCfg webhooks.Config, casesCfg Config) (*survey.Service, *Service, *webhooks.Service) {
	hooks := webhooks.New(store, hooksCfg)
	var cs *Service // the hook needs the cases service, which needs the survey service
	surveyCfg.OnResponse = func(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error {
		return cs.OnResponse(ctx, q, r, old, now)
	}
	sv := survey.New(store, surveyCfg)
	cs = New(store, sv, hooks, casesCfg)
	return sv, cs, hooks
}
