package web

import "net/http"

// handler builds the route table and wraps it in the protections every
// browser request gets.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/{file...}", s.assets)

	mux.Handle("GET /login", s.public(s.loginPage))
	mux.Handle("POST /login", s.public(s.loginSubmit))
	mux.Handle("POST /logout", s.public(s.logout))

	mux.Handle("GET /{$}", s.page(s.overview))
	mux.Handle("GET /units", s.page(s.unitList))
	mux.Handle("GET /units/{key}", s.page(s.unitDetail))
	mux.Handle("GET /employees", s.page(s.employeeList))
	mux.Handle("GET /customers", s.page(s.customerList))
	mux.Handle("GET /customers/{id}", s.page(s.customerDetail))
	mux.Handle("GET /account", s.page(s.accountPage))
	mux.Handle("POST /account/password", s.page(s.accountPassword))
	mux.Handle("GET /jobs", s.page(s.jobList))
	mux.Handle("POST /jobs/test", s.page(s.jobEnqueueTest))
	mux.Handle("POST /jobs/{id}/retry", s.page(s.jobRetry))

	mux.Handle("GET /scores", s.page(s.scores))
	mux.Handle("GET /responses", s.page(s.responseList))
	mux.Handle("GET /invitations", s.page(s.invitationList))
	mux.Handle("GET /surveys", s.page(s.surveyList))
	mux.Handle("GET /surveys/new", s.page(s.surveyNew))
	mux.Handle("POST /surveys/new", s.page(s.surveyCreate))
	mux.Handle("GET /surveys/{key}", s.page(s.surveyEdit))
	mux.Handle("POST /surveys/{key}", s.page(s.surveySave))
	mux.Handle("POST /surveys/{key}/codes", s.page(s.surveyAddCodes))
	mux.Handle("GET /surveys/{key}/preview", s.page(s.surveyPreview))
	// "-" can never start a survey key: the preview of the form as typed.
	mux.Handle("GET /surveys/-/preview", s.page(s.surveyDraftPreview))
	mux.Handle("POST /surveys/-/preview", s.page(s.surveyDraftPreview))
	mux.Handle("GET /programs", s.page(s.programList))
	mux.Handle("GET /programs/new", s.page(s.programNew))
	mux.Handle("POST /programs/new", s.page(s.programCreate))
	mux.Handle("GET /programs/{key}", s.page(s.programEdit))
	mux.Handle("POST /programs/{key}", s.page(s.programSave))
	mux.Handle("GET /programs/{key}/dry-run", s.page(s.programDryRun))
	mux.Handle("POST /programs/{key}/run", s.page(s.programRun))

	if s.fb != nil {
		// The feedback explorer: every source, searched and filtered.
		mux.Handle("GET /feedback", s.page(s.feedbackList))
		mux.Handle("GET /feedback.csv", s.page(s.feedbackCSV))
		// The themes and drivers: what customers speak of, and what it
		// does to NPS.
		mux.Handle("GET /themes", s.page(s.themesPage))
		// The themes themselves: admins edit them, past feedback is
		// re-read in the background.
		mux.Handle("GET /settings/themes", s.page(s.themeSettings))
		mux.Handle("POST /settings/themes", s.page(s.themeSettingsSave))
		mux.Handle("POST /settings/themes/reset", s.page(s.themeSettingsReset))
		mux.Handle("POST /settings/themes/emerging", s.page(s.emergingAction))
	}
	if s.ev != nil {
		// The loyalty ladder over time: counted from every customer's
		// history on each request (see ladderPage).
		mux.Handle("GET /ladder", s.page(s.ladderPage))
	}
	if s.cs != nil {
		// Closing the loop: the front line's inbox (live), the cases, and
		// the loop's settings.
		mux.Handle("GET /inbox", s.page(s.inbox))
		mux.Handle("GET /inbox/events", s.page(s.inboxEvents))
		mux.Handle("GET /cases", s.page(s.caseList))
		mux.Handle("GET /cases/{id}", s.page(s.caseDetail))
		mux.Handle("POST /cases/{id}/stage", s.page(s.caseMove))
		mux.Handle("POST /cases/{id}/calls", s.page(s.caseCall))
		mux.Handle("POST /cases/{id}/decisions", s.page(s.caseDecide))
		mux.Handle("POST /cases/{id}/action", s.page(s.caseLinkAction))
		mux.Handle("POST /cases/{id}/redirect", s.page(s.caseRedirect))
		mux.Handle("GET /digest", s.page(s.digestPage))
		mux.Handle("GET /actions", s.page(s.actionList))
		mux.Handle("POST /actions", s.page(s.actionCreate))
		mux.Handle("GET /actions/{id}", s.page(s.actionEdit))
		mux.Handle("POST /actions/{id}", s.page(s.actionSave))
		mux.Handle("GET /settings/{$}", http.RedirectHandler("/settings/rules", http.StatusSeeOther))
		mux.Handle("GET /settings/rules", s.page(s.ruleList))
		mux.Handle("GET /settings/rules/new", s.page(s.ruleNew))
		mux.Handle("POST /settings/rules/new", s.page(s.ruleCreate))
		// "-" can never start a rule key: a trial of the form as typed.
		mux.Handle("POST /settings/rules/-/try", s.page(s.ruleTry))
		mux.Handle("GET /settings/rules/{key}", s.page(s.ruleEdit))
		mux.Handle("POST /settings/rules/{key}", s.page(s.ruleSave))
		mux.Handle("POST /settings/rules/{key}/delete", s.page(s.ruleDelete))
		mux.Handle("GET /settings/root-causes", s.page(s.rootCauseList))
		mux.Handle("POST /settings/root-causes", s.page(s.rootCauseSave))
	}
	if s.cs != nil && s.hooks != nil {
		mux.Handle("GET /settings/webhooks", s.page(s.webhookList))
		mux.Handle("POST /settings/webhooks", s.page(s.webhookCreate))
		mux.Handle("GET /settings/webhooks/{id}", s.page(s.webhookEdit))
		mux.Handle("POST /settings/webhooks/{id}", s.page(s.webhookSave))
		mux.Handle("POST /settings/webhooks/{id}/delete", s.page(s.webhookDelete))
		mux.Handle("POST /settings/webhooks/{id}/redeliver/{delivery}", s.page(s.webhookRedeliver))
	}

	// Everything else, any method: a friendly 404 (with the navigation
	// when the visitor is signed in).
	mux.Handle("/", s.optional(s.notFound))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	return s.recoverPanics(securityHeaders(cop.Handler(mux)))
}
