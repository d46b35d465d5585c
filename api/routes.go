package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed/feedback"
)

// Body limits: one item is small; a batch of customers or a file to
// import may be large, but not unbounded.
const (
	maxItemBody   = 1 << 20
	maxBatchBody  = 32 << 20
	maxImportBody = 64 << 20
)

// registerRoutes is the whole route table of the API.
func (s *server) registerRoutes() {
	register(s, route(http.MethodGet, "/me", "get-me", "Who am I: the principal of the token"), s.getMe)

	register(s, route(http.MethodGet, "/units", "list-units", "List the units you may see, parents first"), s.listUnits)
	register(s, route(http.MethodGet, "/units/{key}", "get-unit", "Get a unit"), s.getUnit)
	register(s, put(route(http.MethodPut, "/units/{key}", "put-unit", "Create or replace a unit (admins)")), s.putUnit)

	register(s, route(http.MethodGet, "/employees", "list-employees", "List the employees you may see"), s.listEmployees)
	register(s, route(http.MethodGet, "/employees/{email}", "get-employee", "Get an employee"), s.getEmployee)
	register(s, put(route(http.MethodPut, "/employees/{email}", "put-employee", "Create or replace an employee (admins)")), s.putEmployee)

	register(s, route(http.MethodGet, "/customers", "list-customers", "Search and page through the customers you may see"), s.listCustomers)
	register(s, route(http.MethodGet, "/customers/{external_id}", "get-customer", "Get a customer"), s.getCustomer)
	register(s, put(route(http.MethodPut, "/customers/{external_id}", "put-customer", "Create or replace a customer (admins)")), s.putCustomer)
	register(s, rawJSON(limit(route(http.MethodPost, "/customers", "upsert-customers", "Create or update many customers at once, all or nothing (admins)"), maxBatchBody)), s.upsertCustomers)
	documentBody(s.api, Prefix+"/customers", http.MethodPost, customerBatchSchema(s.api.OpenAPI().Components.Schemas))

	register(s, importRoute(), s.importFile)

	register(s, created(route(http.MethodPost, "/users", "create-user", "Add a user (an employee with a password) (admins)")), s.createUser)

	register(s, route(http.MethodGet, "/tokens", "list-tokens", "List API tokens (admins)"), s.listTokens)
	register(s, created(route(http.MethodPost, "/tokens", "create-token", "Create an API token; its secret is shown only in this answer (admins)")), s.createToken)
	register(s, route(http.MethodDelete, "/tokens/{id}", "revoke-token", "Revoke an API token (admins)"), s.revokeToken)

	register(s, route(http.MethodGet, "/jobs", "list-jobs", "List background jobs, newest first"), s.listJobs)
	register(s, route(http.MethodGet, "/jobs/{id}", "get-job", "Get a background job"), s.getJob)
	register(s, route(http.MethodPost, "/jobs/{id}/retry", "retry-job", "Run a dead or queued job now, with its attempts reset (admins)"), s.retryJob)
	register(s, created(route(http.MethodPost, "/jobs/test", "enqueue-test-job", "Enqueue the built-in test job (admins)")), s.enqueueTestJob)

	register(s, route(http.MethodGet, "/surveys", "list-surveys", "List surveys"), s.listSurveys)
	register(s, created(route(http.MethodPost, "/surveys", "create-survey",
		"Create a survey; a kind and a name are enough for the kind's default questions and texts (admins)")), s.createSurvey)
	register(s, route(http.MethodGet, "/surveys/{key}", "get-survey", "Get a survey"), s.getSurvey)
	register(s, route(http.MethodPut, "/surveys/{key}", "update-survey", "Rewrite a survey; its kind never changes (admins)"), s.updateSurvey)
	register(s, route(http.MethodGet, "/surveys/{key}/reward-codes", "count-reward-codes", "How many reward codes a survey's pool holds and has left"), s.countRewardCodes)
	register(s, limit(route(http.MethodPost, "/surveys/{key}/reward-codes", "add-reward-codes", "Add reward codes to a survey's pool (admins)"), maxBatchBody), s.addRewardCodes)
	register(s, route(http.MethodPost, "/surveys/{key}/invitations", "invite", "Invite customers to a survey: one personal link each"), s.invite)
	register(s, route(http.MethodGet, "/invitations", "list-invitations", "List the invitations you may see, newest first"), s.listInvitations)

	register(s, route(http.MethodGet, "/programs", "list-programs", "List sampling programs"), s.listPrograms)
	register(s, created(route(http.MethodPost, "/programs", "create-program", "Create a sampling program (admins)")), s.createProgram)
	register(s, route(http.MethodGet, "/programs/{key}", "get-program", "Get a sampling program"), s.getProgram)
	register(s, route(http.MethodPut, "/programs/{key}", "update-program", "Rewrite a sampling program (admins)"), s.updateProgram)
	register(s, route(http.MethodPost, "/programs/{key}/run", "run-program", "Run a program for today, or see what a run would do (admins)"), s.runProgram)

	register(s, route(http.MethodGet, "/responses", "list-responses", "List the responses you may see, newest first"), s.listResponses)
	register(s, route(http.MethodGet, "/responses/{id}", "get-response", "Get a response"), s.getResponse)
	register(s, rawJSON(limit(route(http.MethodPost, "/responses", "record-responses",
		"Record answers collected elsewhere, all or nothing; re-sending an external_id updates its response (admins)"), maxBatchBody)), s.recordResponses)
	documentBody(s.api, Prefix+"/responses", http.MethodPost, responseBatchSchema(s.api.OpenAPI().Components.Schemas))

	if s.cfg.Feedback != nil {
		register(s, route(http.MethodGet, "/feedback", "list-feedback",
			"List the feedback you may see from every source, newest first: search, filter by kind, source, unit, theme, sentiment, rating, day"), s.listFeedback)
		register(s, route(http.MethodGet, "/feedback/{id}", "get-feedback", "Get a feedback item with what reading it found"), s.getFeedback)
		register(s, route(http.MethodGet, "/themes", "get-themes",
			"Needs and drivers: per theme its volume, sentiment and trend, and its effect on an NPS survey's score, the costliest first"), s.getThemes)
		register(s, route(http.MethodGet, "/taxonomy", "get-taxonomy",
			"The themes feedback is read with, their version, and how far the re-reading of past feedback has come"), s.getTaxonomy)
		register(s, limit(route(http.MethodPut, "/taxonomy", "put-taxonomy",
			"Replace the themes (admins): past feedback is re-read with them in the background"), maxItemBody), s.putTaxonomy)
		emergingRoutes(s)
		register(s, rawJSON(limit(route(http.MethodPost, "/feedback", "record-feedback",
			"Record feedback from any source, up to 1,000 items, all or nothing; re-sending a source's external_id updates its item (admins)"), maxBatchBody)), s.recordFeedback)
		documentBody(s.api, Prefix+"/feedback", http.MethodPost, feedbackBatchSchema(s.api.OpenAPI().Components.Schemas))

		register(s, rawJSON(receiveRoute()), s.receiveInbound)
		documentBody(s.api, Prefix+"/inbound/{key}", http.MethodPost, otherSystemsJSON())
		register(s, route(http.MethodGet, "/inbound-sources", "list-inbound-sources",
			"List the inbound sources (other systems' webhooks mapped to feedback), without their secrets (admins)"), s.listInboundSources)
		register(s, created(route(http.MethodPost, "/inbound-sources", "create-inbound-source",
			"Add an inbound source: a URL another system posts its own JSON to, with a mapping to our fields; its secret is shown only in this answer (admins)")), s.createInboundSource)
		register(s, route(http.MethodGet, "/inbound-sources/{key}", "get-inbound-source", "Get an inbound source, without its secret (admins)"), s.getInboundSource)
		register(s, route(http.MethodPut, "/inbound-sources/{key}", "update-inbound-source",
			"Rewrite an inbound source; its secret stays unless rotate_secret is set, and then the new one is shown only in this answer (admins)"), s.updateInboundSource)
		register(s, route(http.MethodDelete, "/inbound-sources/{key}", "delete-inbound-source",
			"Delete an inbound source: its URL refuses calls from now on; its items stay (admins)"), s.deleteInboundSource)
		register(s, rawJSON(limit(route(http.MethodPost, "/inbound-sources/{key}/test", "test-inbound-source",
			"Dry run: map a sample document with a source's mapping and show the items it would make, matched and read; writes nothing (admins)"),
			feedback.MaxInboundBody)), s.tryInboundSource)
		documentBody(s.api, Prefix+"/inbound-sources/{key}/test", http.MethodPost, otherSystemsJSON())
	}

	if s.cfg.Events != nil {
		register(s, rawJSON(limit(route(http.MethodPost, "/events", "record-events",
			"Record what customers did (purchases, visits, logins, support contacts, referrals, cancellations), up to 1,000 events, all or nothing; re-sending a source's external_id updates its event (admins)"), maxBatchBody)), s.recordEvents)
		documentBody(s.api, Prefix+"/events", http.MethodPost, eventBatchSchema(s.api.OpenAPI().Components.Schemas))
		register(s, route(http.MethodGet, "/customers/{external_id}/profile", "get-customer-profile",
			"A customer's profile as of now: recency, frequency and value, churn risk with the factors behind it, loyalty-ladder rung with its reason, recent events"), s.getProfile)
		register(s, route(http.MethodGet, "/ladder", "get-ladder",
			"The loyalty ladder over time: how many of the customers you may see stood on each rung at the end of every day, week or month"), s.getLadder)
	}

	register(s, route(http.MethodGet, "/metrics", "get-metrics", "A survey's score, sample and margin of error, overall and by week, month or unit"), s.getMetrics)

	if s.cfg.Cases != nil {
		register(s, route(http.MethodGet, "/cases", "list-cases", "List the cases you may see, newest first"), s.listCases)
		register(s, route(http.MethodGet, "/cases/{id}", "get-case", "Get a case"), s.getCase)
		register(s, route(http.MethodPatch, "/cases/{id}", "update-case", "Set what you decided about a case: title, customer kind, response type, root cause, preventive action"), s.updateCase)
		register(s, route(http.MethodGet, "/cases/{id}/history", "get-case-history",
			"What the employee working a case knows: the customer, their answers and other cases, suggestions, the timeline"), s.getCaseHistory)
		register(s, route(http.MethodGet, "/cases/{id}/events", "list-case-events", "A case's timeline, oldest first"), s.listCaseEvents)
		register(s, route(http.MethodPost, "/cases/{id}/transitions", "transition-case", "Move a case to another stage"), s.transitionCase)
		register(s, route(http.MethodGet, "/cases/{id}/calls", "list-case-calls", "A case's call log, oldest first"), s.listCalls)
		register(s, route(http.MethodPost, "/cases/{id}/calls", "log-case-call", "Log a call to the case's customer"), s.logCall)
		register(s, route(http.MethodPost, "/cases/{id}/redirect", "redirect-case", "Hand a case to another employee or unit, with a note"), s.redirectCase)

		register(s, route(http.MethodGet, "/digest", "get-digest",
			"The daily digest an employee's morning email holds: a day's answers, unhappy customers, cases opened and closed, late and escalated ones now"), s.getDigest)
		register(s, route(http.MethodGet, "/root-causes", "list-root-causes", "List the root causes a case may name"), s.listRootCauses)
		register(s, put(route(http.MethodPut, "/root-causes/{key}", "put-root-cause", "Add, rename, or switch a root cause on or off (admins)")), s.putRootCause)
		register(s, route(http.MethodGet, "/preventive-actions", "list-preventive-actions",
			"List preventive actions with the cases they cover and how many customers recovered"), s.listPreventiveActions)
		register(s, created(route(http.MethodPost, "/preventive-actions", "create-preventive-action", "Plan a preventive action (managers and admins)")), s.createPreventiveAction)
		register(s, route(http.MethodGet, "/preventive-actions/{id}", "get-preventive-action", "Get a preventive action"), s.getPreventiveAction)
		register(s, route(http.MethodPut, "/preventive-actions/{id}", "update-preventive-action", "Rewrite a preventive action (managers and admins)"), s.updatePreventiveAction)

		register(s, route(http.MethodGet, "/rules", "list-rules", "List the rules in the order they apply (admins and analysts)"), s.listRules)
		register(s, created(route(http.MethodPost, "/rules", "create-rule", "Add a rule (admins)")), s.createRule)
		register(s, route(http.MethodPost, "/rules/try", "try-rule",
			"How often a rule, saved or not, would have fired on past responses; does nothing (admins and analysts)"), s.tryRule)
		register(s, route(http.MethodGet, "/rules/{key}", "get-rule", "Get a rule (admins and analysts)"), s.getRule)
		register(s, route(http.MethodPut, "/rules/{key}", "update-rule", "Rewrite a rule (admins)"), s.updateRule)
		register(s, route(http.MethodDelete, "/rules/{key}", "delete-rule", "Delete a rule; the cases it opened stay (admins)"), s.deleteRule)
	}

	if s.cfg.Webhooks != nil {
		register(s, route(http.MethodGet, "/webhooks", "list-webhooks", "List webhooks, without their secrets (admins)"), s.listWebhooks)
		register(s, created(route(http.MethodPost, "/webhooks", "create-webhook",
			"Add a webhook; its signing secret is shown only in this answer (admins)")), s.createWebhook)
		register(s, route(http.MethodGet, "/webhooks/{id}", "get-webhook", "Get a webhook, without its secret (admins)"), s.getWebhook)
		register(s, route(http.MethodPut, "/webhooks/{id}", "update-webhook", "Rewrite a webhook; its secret stays (admins)"), s.updateWebhook)
		register(s, route(http.MethodDelete, "/webhooks/{id}", "delete-webhook", "Delete a webhook and its deliveries; not one a rule sends to (409) (admins)"), s.deleteWebhook)
		register(s, route(http.MethodGet, "/webhooks/{id}/deliveries", "list-webhook-deliveries", "List a webhook's deliveries, newest first (admins)"), s.listDeliveries)
		register(s, route(http.MethodPost, "/webhook-deliveries/{id}/redeliver", "redeliver",
			"Send a delivery again, whatever became of it, with the same webhook-id (admins)"), s.redeliver)
	}
}

// register adds one operation whose handler returns Heed's errors: they
// are turned into the API's error answers here, in one place.
func register[I, O any](s *server, op huma.Operation, h func(context.Context, *I) (*O, error)) {
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, s.errorFor(ctx, err)
		}
		return out, nil
	})
	if op.Metadata[upsertKey] == true {
		documentCreated(s.api, op.Path)
	}
}

// route describes an operation on Prefix+path, tagged by its first
// path segment.
func route(method, path, id, summary string) huma.Operation {
	tag, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return huma.Operation{
		Method:       method,
		Path:         Prefix + path,
		OperationID:  id,
		Summary:      summary,
		Tags:         []string{tag},
		MaxBodyBytes: maxItemBody,
	}
}

// limit sets the body limit; a bigger body is answered 413.
func limit(op huma.Operation, n int64) huma.Operation {
	op.MaxBodyBytes = n
	return op
}

// rawJSON is an operation that decodes its JSON body itself (see
// customerBatch); huma only reads it, within the limit.
func rawJSON(op huma.Operation) huma.Operation {
	op.SkipValidateBody = true
	return op
}

// documentBody sets the documented schema of a raw JSON body.
func documentBody(api huma.API, path, method string, schema *huma.Schema) {
	item := api.OpenAPI().Paths[path]
	if item == nil {
		return
	}
	var op *huma.Operation
	switch method {
	case http.MethodPost:
		op = item.Post
	case http.MethodPut:
		op = item.Put
	}
	if op == nil || op.RequestBody == nil {
		return
	}
	op.RequestBody.Content["application/json"] = &huma.MediaType{Schema: schema}
}

// upsertKey marks, in an operation's Metadata, a PUT that may create.
const upsertKey = "upsert"

// put is a PUT that answers 200 when it replaced and 201 when it created.
func put(op huma.Operation) huma.Operation {
	op.Description = "The body's key field may be left out (it is taken from the path); if given it must match the path. " +
		"Answers 201 when the item was created, 200 when it existed."
	op.Metadata = map[string]any{upsertKey: true}
	return op
}

// created is an operation that answers 201.
func created(op huma.Operation) huma.Operation {
	op.DefaultStatus = http.StatusCreated
	return op
}

// documentCreated adds the 201 answer of a PUT to the document: huma
// describes only the default status, and the handler sets 201 itself.
func documentCreated(api huma.API, path string) {
	item := api.OpenAPI().Paths[path]
	if item == nil || item.Put == nil || item.Put.Responses["200"] == nil {
		return
	}
	ok := *item.Put.Responses["200"]
	ok.Description = "Created"
	item.Put.Responses["201"] = &ok
	item.Put.Responses["200"].Description = "Replaced (or unchanged)"
}

// importRoute is POST /imports/{kind}: a raw CSV or JSONL body, which may
// be large.
func importRoute() huma.Operation {
	op := limit(route(http.MethodPost, "/imports/{kind}", "import-file",
		"Import a CSV (text/csv, header row first) or JSONL (application/x-ndjson) file of units, employees or customers (admins)"), maxImportBody)
	op.Description = "The whole file is checked before anything is written; a file with any problem is rejected (422) " +
		"with every problem in error.details, unless skip_invalid is set."
	op.RequestBody = &huma.RequestBody{Content: map[string]*huma.MediaType{
		"application/x-ndjson": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
	}}
	return op
}
