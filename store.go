package heed

import (
	"context"
	"time"
)

// Store is one database holding all of Heed's state. Two implementations
// exist — package sqlite (embedded, the default) and package postgres —
// and one contract test suite (package storetest) holds them to the same
// behaviour.
//
// Every method takes the current time from its caller rather than the
// clock, so tests control time. Not-found is always an *Error with
// ENotFound, never a zero value and nil.
type Store interface {
	Queries
	// InTx runs fn in one read-write transaction: all of fn's writes land,
	// including jobs it enqueues, or none do. fn must use the Queries it is
	// given, not the Store, and from one goroutine at a time.
	InTx(ctx context.Context, fn func(q Queries) error) error
	// Migrate applies every embedded migration not yet applied, each in its
	// own transaction, and returns the schema version reached.
	Migrate(ctx context.Context) (int, error)
	// SchemaVersion is the number of the last applied migration.
	SchemaVersion(ctx context.Context) (int, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Engine names the engine: "sqlite" or "postgres".
	Engine() string
	Close() error
}

// Queries are the reads and writes, available on the Store (each call its
// own transaction) and inside InTx.
type Queries interface {
	UnitQueries
	EmployeeQueries
	FeedbackQueries
	EventQueries
	CustomerQueries
	AccountQueries
	JobQueries
	SurveyQueries
	InvitationQueries
	ResponseQueries
	CaseQueries
	RuleQueries
	WebhookQueries
	InboundQueries
	TaxonomyQueries
	PhraseQueries
}

// UnitQueries reads and writes the organisation tree.
type UnitQueries interface {
	GetUnit(ctx context.Context, key string) (Unit, error)
	GetUnitByID(ctx context.Context, id int64) (Unit, error)
	// ListUnits returns the units inside scope, ordered by Path (so a
	// parent always comes before its children).
	ListUnits(ctx context.Context, scope Scope) ([]Unit, error)
	// UpsertUnits inserts or updates units by Key, in order: a unit's
	// parent must exist already or come earlier in the slice. Moving a unit
	// moves its subtree (paths and depths are recomputed); a move that would
	// make a unit its own ancestor fails with EConflict. Rows equal to what
	// is stored are left untouched and counted as Unchanged.
	UpsertUnits(ctx context.Context, units []Unit, now time.Time) (UpsertResult, error)
}

// EmployeeQueries reads and writes employees (and their passwords).
type EmployeeQueries interface {
	GetEmployee(ctx context.Context, email string) (Employee, error)
	GetEmployeeByID(ctx context.Context, id int64) (Employee, error)
	// ListEmployees returns the employees whose unit is inside scope
	// (employees without a unit only for Scope.All), ordered by email.
	ListEmployees(ctx context.Context, scope Scope, f EmployeeFilter) ([]Employee, error)
	// UpsertEmployees inserts or updates by Email; Unit must name an
	// existing unit (ENotFound, field "unit", otherwise).
	UpsertEmployees(ctx context.Context, emps []Employee, now time.Time) (UpsertResult, error)
	// SetPassword stores a password hash (PHC string) for the employee.
	SetPassword(ctx context.Context, email, hash string, now time.Time) error
	// GetCredentials returns the employee with password hash and unit path.
	GetCredentials(ctx context.Context, email string) (Credentials, error)
	GetCredentialsByID(ctx context.Context, id int64) (Credentials, error)
}

// EmployeeFilter narrows ListEmployees.
type EmployeeFilter struct {
	Unit  string // only this unit and its subtree; "" for all in scope
	Limit int    // 0: no limit
}

// CustomerQueries reads and writes the customer directory.
type CustomerQueries interface {
	// GetCustomer returns the customer if it exists inside scope, and
	// ENotFound otherwise (outsiders cannot tell hidden from missing).
	GetCustomer(ctx context.Context, scope Scope, externalID string) (Customer, error)
	// ListCustomers pages through the customers inside scope, ordered by
	// name (case and accents folded, byte order, the same on both engines)
	// then external id.
	ListCustomers(ctx context.Context, scope Scope, f CustomerFilter) (CustomerPage, error)
	// CountCustomers counts the customers inside scope.
	CountCustomers(ctx context.Context, scope Scope) (int, error)
	// UpsertCustomers inserts or updates by ExternalID. Unit must name an
	// existing unit and Owner, when set, an existing employee (ENotFound
	// with the field otherwise).
	UpsertCustomers(ctx context.Context, custs []Customer, now time.Time) (UpsertResult, error)
}

// CustomerFilter narrows ListCustomers.
type CustomerFilter struct {
	Unit   string // only this unit and its subtree; "" for all in scope
	Query  string // substring of name, email, phone or external id, ignoring case and accents
	Limit  int    // 1..1000; 0 means 50
	Cursor string // opaque; from CustomerPage.NextCursor
}

// CustomerPage is one page of customers.
type CustomerPage struct {
	Customers  []Customer `json:"customers"`
	NextCursor string     `json:"next_cursor,omitempty"` // "" on the last page
}

// AccountQueries keeps sessions, API tokens and login throttling.
type AccountQueries interface {
	CreateSession(ctx context.Context, s Session) error
	// GetSession returns the session if it exists and has not expired.
	GetSession(ctx context.Context, tokenHash string, now time.Time) (Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteEmployeeSessions signs an employee out everywhere (after a
	// password change) and returns how many sessions ended.
	DeleteEmployeeSessions(ctx context.Context, employeeID int64) (int, error)
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)

	CreateAPIToken(ctx context.Context, t APIToken) (APIToken, error)
	// GetAPIToken returns a token that is not revoked, by its hash.
	GetAPIToken(ctx context.Context, tokenHash string) (APIToken, error)
	ListAPITokens(ctx context.Context) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, id int64, now time.Time) error
	TouchAPIToken(ctx context.Context, id int64, now time.Time) error

	// RecordLoginFailure notes a failed login under key (e.g. "ip:1.2.3.4"
	// or "email:a@b"); CountLoginFailures counts them since a time. Kept in
	// the database so several processes share one limit.
	RecordLoginFailure(ctx context.Context, key string, at time.Time) error
	CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error)
	ClearLoginFailures(ctx context.Context, key string) error
	// PurgeLoginFailures deletes failures older than before, which no
	// longer count, and says how many.
	PurgeLoginFailures(ctx context.Context, before time.Time) (int, error)
}

// JobQueries is the durable job queue.
type JobQueries interface {
	// EnqueueJob queues j, or merges it into a queued job (see
	// NewJob.Key), and returns the id of the job that will run it.
	EnqueueJob(ctx context.Context, j NewJob, now time.Time) (int64, error)
	// LeaseJobs claims up to n queued jobs whose RunAt has come, and running
	// jobs whose lease has expired (their worker died), for worker until
	// now+lease; each claim adds one attempt. Two callers never get the
	// same job while its lease holds (FOR UPDATE SKIP LOCKED on PostgreSQL,
	// a single writer on SQLite).
	LeaseJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]Job, error)
	// CompleteJob marks a job done; EConflict if worker no longer holds it.
	CompleteJob(ctx context.Context, id int64, worker string, now time.Time) error
	// FailJob records a failed attempt: the job is queued again at retryAt,
	// or parked dead when dead is true. EConflict if worker no longer
	// holds it.
	FailJob(ctx context.Context, id int64, worker, msg string, retryAt time.Time, dead bool, now time.Time) error
	GetJob(ctx context.Context, id int64) (Job, error)
	ListJobs(ctx context.Context, f JobFilter) ([]Job, error)
	CountJobs(ctx context.Context) (JobCounts, error)
	// RetryJob puts a dead (or queued) job back in the queue to run now,
	// with its attempts reset. EConflict for running or done jobs.
	RetryJob(ctx context.Context, id int64, now time.Time) error
	// ReleaseJob hands a job back unfinished and through no fault of its
	// own (its worker is shutting down): it is queued to run at now and
	// the attempt its lease took is given back. EConflict if worker no
	// longer holds it.
	ReleaseJob(ctx context.Context, id int64, worker string, now time.Time) error
	// DeleteFinishedJobs deletes up to limit done jobs that finished
	// before before, and returns how many it deleted; callers repeat it
	// until it deletes fewer than limit. Dead jobs are kept for operators.
	DeleteFinishedJobs(ctx context.Context, before time.Time, limit int) (int, error)
	// ClaimOnce reports whether this is the first claim of key ever: of
	// any number of callers, in any number of processes, exactly one
	// gets true (a day's digest is sent by whoever claims it). Inside a
	// transaction the claim is undone with it. EInvalid for an empty key,
	// one over 200 bytes or one holding a NUL.
	ClaimOnce(ctx context.Context, key string, now time.Time) (bool, error)
}

// SurveyQueries reads and writes surveys, programs and reward codes.
type SurveyQueries interface {
	// CreateSurvey stores a new survey; EConflict (field "key") when the
	// key is taken.
	CreateSurvey(ctx context.Context, s Survey, now time.Time) (Survey, error)
	// UpdateSurvey rewrites the survey with s.Key (its kind never changes).
	UpdateSurvey(ctx context.Context, s Survey, now time.Time) (Survey, error)
	GetSurvey(ctx context.Context, key string) (Survey, error)
	GetSurveyByID(ctx context.Context, id int64) (Survey, error)
	ListSurveys(ctx context.Context) ([]Survey, error)

	// AddRewardCodes adds codes to a survey's pool, skipping codes already
	// in it, and returns how many it added.
	AddRewardCodes(ctx context.Context, surveyID int64, codes []string, now time.Time) (int, error)
	// TakeRewardCode gives the response a code: the one it already has, or
	// an unused one (each code is given once). ENotFound when none is left.
	TakeRewardCode(ctx context.Context, surveyID, responseID int64, now time.Time) (string, error)
	// CountRewardCodes returns the size of the pool and how many are left.
	CountRewardCodes(ctx context.Context, surveyID int64) (total, left int, err error)

	CreateProgram(ctx context.Context, p Program, now time.Time) (Program, error)
	UpdateProgram(ctx context.Context, p Program, now time.Time) (Program, error)
	GetProgram(ctx context.Context, key string) (Program, error)
	GetProgramByID(ctx context.Context, id int64) (Program, error)
	ListPrograms(ctx context.Context) ([]Program, error)
	// MarkProgramRun records that the program ran at now. Inside a
	// transaction it also makes every other program run (of any program,
	// in any process) wait until commit: the runs read each other's
	// invitations for the fatigue rules.
	MarkProgramRun(ctx context.Context, id int64, now time.Time) error
	// SampleCandidates returns the customers of p's population (units and
	// segments; attributes are the caller's to check) with the time each
	// was last asked by p and by any program.
	SampleCandidates(ctx context.Context, p Program) ([]SampleCandidate, error)
}

// InvitationQueries reads and writes invitations.
type InvitationQueries interface {
	// CreateInvitation stores inv (with its TokenHash) and returns its ID.
	CreateInvitation(ctx context.Context, inv Invitation) (int64, error)
	GetInvitation(ctx context.Context, id int64) (Invitation, error)
	// GetInvitationByToken finds the invitation whose token hashes to
	// tokenHash; ENotFound otherwise.
	GetInvitationByToken(ctx context.Context, tokenHash string) (Invitation, error)
	// ListInvitations returns the invitations inside scope, newest first.
	ListInvitations(ctx context.Context, scope Scope, f InvitationFilter) ([]Invitation, error)
	// SetDelivery records where the invitation's email is, with the error
	// of the last attempt ("" when none); sentAt is set with DeliverySent.
	SetDelivery(ctx context.Context, id int64, d Delivery, errMsg string, now time.Time) error
	// MarkReminded records that the reminder went out.
	MarkReminded(ctx context.Context, id int64, now time.Time) error
	// MarkOpened records the first time the link was opened.
	MarkOpened(ctx context.Context, id int64, now time.Time) error
	// CountInvitations counts a program's invitations created in [from,
	// to), and how many were answered, per unit.
	CountInvitations(ctx context.Context, programID int64, from, to time.Time) ([]InvitationCounts, error)
}

// ResponseQueries reads and writes responses and their pre-aggregated
// counts, which every write keeps in the same transaction.
type ResponseQueries interface {
	// CreateResponse stores r and marks its invitation answered. EConflict
	// when the invitation, or the survey's ExternalID, already has one.
	CreateResponse(ctx context.Context, r Response, now time.Time) (Response, error)
	// UpdateResponse rewrites the score, comment, answers and language of
	// the response with r.ID (a respondent changing their answer).
	UpdateResponse(ctx context.Context, r Response, now time.Time) (Response, error)
	GetResponse(ctx context.Context, scope Scope, id int64) (Response, error)
	GetResponseByInvitation(ctx context.Context, invitationID int64) (Response, error)
	GetResponseByExternalID(ctx context.Context, surveyID int64, externalID string) (Response, error)
	// ListResponses returns the responses inside scope, newest first.
	ListResponses(ctx context.Context, scope Scope, f ResponseFilter) ([]Response, error)
	// ScoreCounts reads the pre-aggregated counts (see CountFilter).
	ScoreCounts(ctx context.Context, f CountFilter) ([]ScoreCount, error)
	// CountResponses counts the responses inside scope that f selects
	// (its Limit and BeforeID play no part) per survey and score, by
	// survey id then score: the exact counts of any window, where
	// ScoreCounts has whole UTC days.
	CountResponses(ctx context.Context, scope Scope, f ResponseFilter) ([]ResponseCount, error)
}

// CaseQueries reads and writes cases, their timelines, root causes and
// preventive actions.
type CaseQueries interface {
	// CreateCase stores c with its first event ev (kind opened) and
	// returns it with its ID, Version 1 and the read-only fields filled.
	// CustomerID, UnitID and Stage are required; OwnerID may be 0.
	CreateCase(ctx context.Context, c Case, ev CaseEvent, now time.Time) (Case, error)
	// GetCase returns the case if scope sees it (its unit, or its owner
	// for Scope.OwnerID); ENotFound otherwise.
	GetCase(ctx context.Context, scope Scope, id int64) (Case, error)
	// FindOpenCase returns the customer's open case (the newest, should
	// there be several); ENotFound when there is none. Inside a
	// transaction it holds the customer until commit, so two transactions
	// that each look for the customer's open case and create one when
	// there is none cannot both create one: the second waits and finds
	// the first's.
	FindOpenCase(ctx context.Context, customerID int64) (Case, error)
	// GetCaseByResurvey returns the case whose verification re-survey is
	// the invitation; ENotFound when none.
	GetCaseByResurvey(ctx context.Context, invitationID int64) (Case, error)
	// ListCases returns the cases inside scope that f selects, newest first.
	ListCases(ctx context.Context, scope Scope, f CaseFilter) ([]Case, error)
	// UpdateCase writes every changeable field of c (all but the customer,
	// the response, the rule, the program and the times of creation; the
	// score before follows a corrected answer) if c.Version is
	// the stored version, appends ev unless ev.Kind is "", and returns the
	// case as stored, its Version one higher. EConflict when the version
	// has moved on (someone else changed it first).
	UpdateCase(ctx context.Context, c Case, ev CaseEvent, now time.Time) (Case, error)
	// AddCaseEvent appends ev to its case's timeline without changing the
	// case (a note, a call that changes nothing else).
	AddCaseEvent(ctx context.Context, ev CaseEvent) (CaseEvent, error)
	// ListCaseEvents returns a case's timeline, oldest first.
	ListCaseEvents(ctx context.Context, caseID int64) ([]CaseEvent, error)
	// ListCaseFacts returns the few fields the closed-loop metrics need of
	// every case inside scope that f selects.
	ListCaseFacts(ctx context.Context, scope Scope, f CaseFactFilter) ([]CaseFact, error)

	// ListRootCauses returns the root-cause list, by name.
	ListRootCauses(ctx context.Context) ([]RootCause, error)
	// UpsertRootCause adds or renames (and (de)activates) a root cause.
	UpsertRootCause(ctx context.Context, rc RootCause, now time.Time) error

	CreatePreventiveAction(ctx context.Context, a PreventiveAction, now time.Time) (PreventiveAction, error)
	// UpdatePreventiveAction rewrites title, description, owner, due and
	// status of the action with a.ID.
	UpdatePreventiveAction(ctx context.Context, a PreventiveAction, now time.Time) (PreventiveAction, error)
	// GetPreventiveAction and ListPreventiveActions fill the read-only
	// counts (cases, customers, verified, recovered).
	GetPreventiveAction(ctx context.Context, id int64) (PreventiveAction, error)
	ListPreventiveActions(ctx context.Context) ([]PreventiveAction, error)
}

// CaseFactFilter selects cases for the closed-loop metrics.
type CaseFactFilter struct {
	UnitPath string    // only this subtree; "" for all in scope
	From, To time.Time // created in [From, To); zero: unbounded
	Open     bool      // only cases not closed
	// ClosedFrom and ClosedTo, when set, keep the cases closed in
	// [ClosedFrom, ClosedTo).
	ClosedFrom, ClosedTo time.Time
}

// CaseFact is what the closed-loop metrics read of one case.
type CaseFact struct {
	ID              int64
	UnitID          int64
	CustomerID      int64
	Stage           Stage
	CategoryBefore  string
	CategoryAfter   string
	CreatedAt       time.Time
	FirstContactDue time.Time
	FirstContactAt  *time.Time
	ClosedAt        *time.Time
	ResolveDue      time.Time
	EscalationLevel int
}

// FeedbackQueries reads and writes feedback items and their themes.
type FeedbackQueries interface {
	// UpsertFeedback inserts each item, or updates the one with its
	// (Source, ExternalID), in order, and says what it did: an item the
	// same as stored (see FeedbackUpsert.Changed) is left alone.
	UpsertFeedback(ctx context.Context, items []FeedbackItem, now time.Time) ([]FeedbackUpsert, error)
	// GetFeedback returns the item if it is inside scope, else ENotFound.
	GetFeedback(ctx context.Context, scope Scope, id int64) (FeedbackItem, error)
	// GetCustomerByEmail returns the customer with this email (any case),
	// the first created when several share it; ENotFound when none does.
	GetCustomerByEmail(ctx context.Context, email string) (Customer, error)
	// GetFeedbackBySource returns the item with (source, externalID).
	GetFeedbackBySource(ctx context.Context, source, externalID string) (FeedbackItem, error)
	// ListFeedback returns the items inside scope that f selects, newest
	// (highest id) first.
	ListFeedback(ctx context.Context, scope Scope, f FeedbackFilter) ([]FeedbackItem, error)
	// CountThemeScores counts, per theme and score, the responses inside
	// scope that f selects whose comment mentions the theme: with
	// CountResponses, what the drivers of a score are computed from.
	CountThemeScores(ctx context.Context, scope Scope, f ResponseFilter) ([]ThemeScoreCount, error)
	// ThemeStats sums, per theme, the items inside scope that f selects
	// (its Theme, Query, Limit and BeforeID play no part): how many speak
	// of it and how they feel about it.
	ThemeStats(ctx context.Context, scope Scope, f FeedbackFilter) ([]ThemeStat, error)
}

// EventQueries reads and writes customer events (purchases, visits,
// cancellations…) and reads the histories the loyalty ladder and the
// churn risk are inferred from.
type EventQueries interface {
	// UpsertEvents writes the events in one transaction, in order, and
	// says what it did with each. An event with an ExternalID is the one
	// stored with its (Source, ExternalID): sending it again updates it.
	// One without is the same as a stored one without, of the same
	// customer, kind, time, amount and source: sending it again adds
	// nothing. CustomerID must name a customer (ENotFound on field
	// "customer" otherwise).
	UpsertEvents(ctx context.Context, events []CustomerEvent, now time.Time) ([]EventUpsert, error)
	// ListCustomerEvents returns the customer's events at or before until
	// (zero: all), oldest first; [] for a customer without any.
	ListCustomerEvents(ctx context.Context, customerID int64, until time.Time) ([]CustomerEvent, error)
	// ListCustomerAnswers returns the customer's survey answers given at
	// or before until (zero: all), oldest first.
	ListCustomerAnswers(ctx context.Context, customerID int64, until time.Time) ([]ScoredAnswer, error)
	// EachCustomerHistory calls fn with the history of every customer
	// inside scope (and, unless unit is "", inside the unit's subtree:
	// ENotFound on field "unit" for an unknown key), in id order, with
	// the events and answers at or before until (zero: all). It reads a
	// page of customers at a time, so an organisation of any size never
	// sits in memory whole, and holds no query open while fn runs (fn
	// may use the store). Customers written meanwhile may or may not be
	// seen. An error of fn stops the walk and is returned.
	EachCustomerHistory(ctx context.Context, scope Scope, unit string, until time.Time, fn func(CustomerHistory) error) error
}

// RuleQueries reads and writes rules and response tags.
type RuleQueries interface {
	// CreateRule stores r; EConflict (field "key") when the key is taken.
	CreateRule(ctx context.Context, r Rule, now time.Time) (Rule, error)
	// UpdateRule rewrites the rule with r.Key.
	UpdateRule(ctx context.Context, r Rule, now time.Time) (Rule, error)
	DeleteRule(ctx context.Context, key string) error
	GetRule(ctx context.Context, key string) (Rule, error)
	// ListRules returns every rule by Position, then Key.
	ListRules(ctx context.Context) ([]Rule, error)
	// TagResponse tags a response; tagging twice is a no-op.
	TagResponse(ctx context.Context, responseID int64, tag string, now time.Time) error
	// ListResponseTags returns a response's tags, sorted.
	ListResponseTags(ctx context.Context, responseID int64) ([]string, error)
}

// WebhookQueries reads and writes webhooks and their deliveries.
type WebhookQueries interface {
	// CreateWebhook stores w with its Secret.
	CreateWebhook(ctx context.Context, w Webhook, now time.Time) (Webhook, error)
	// UpdateWebhook rewrites URL, events, format, active and description
	// of the webhook with w.ID; the secret never changes.
	UpdateWebhook(ctx context.Context, w Webhook, now time.Time) (Webhook, error)
	// DeleteWebhook deletes the webhook and its deliveries.
	DeleteWebhook(ctx context.Context, id int64) error
	// GetWebhook and ListWebhooks return webhooks with their secrets; the
	// services decide who sees one.
	GetWebhook(ctx context.Context, id int64) (Webhook, error)
	ListWebhooks(ctx context.Context) ([]Webhook, error)

	// CreateDelivery queues d (state pending) and returns it with its ID.
	CreateDelivery(ctx context.Context, d WebhookDelivery, now time.Time) (WebhookDelivery, error)
	GetDelivery(ctx context.Context, id int64) (WebhookDelivery, error)
	// ListDeliveries returns deliveries newest first.
	ListDeliveries(ctx context.Context, f DeliveryFilter) ([]WebhookDelivery, error)
	// PendingDeliveries returns up to n of the webhook's pending
	// deliveries, lowest ID first, whether or not their NextAt has come;
	// [] when none. EInvalid when n is not positive.
	PendingDeliveries(ctx context.Context, webhookID int64, n int) ([]WebhookDelivery, error)
	// RecordDelivery records one attempt: one more attempt, the state,
	// status and error, NextAt when still pending, DeliveredAt when
	// delivered.
	RecordDelivery(ctx context.Context, id int64, r DeliveryResult, now time.Time) error
	// RedeliverDelivery queues a delivery again (pending, no attempts,
	// due now), whatever its state.
	RedeliverDelivery(ctx context.Context, id int64, now time.Time) error
	// LockWebhook takes the webhook's sending lock for owner until until,
	// if it is free, expired or owner's already, and reports whether it
	// did. One sender per webhook keeps deliveries in order.
	LockWebhook(ctx context.Context, id int64, owner string, until, now time.Time) (bool, error)
	// UnlockWebhook frees the lock if owner holds it.
	UnlockWebhook(ctx context.Context, id int64, owner string) error
}

// InboundQueries reads and writes inbound sources (see InboundSource).
type InboundQueries interface {
	// CreateInboundSource stores src with its Secret; EConflict (field
	// "key") when the key is taken.
	CreateInboundSource(ctx context.Context, src InboundSource, now time.Time) (InboundSource, error)
	// UpdateInboundSource rewrites the name, kind, system, switch,
	// mapping, fixed values and items path of the source with src.Key;
	// the secret stays.
	UpdateInboundSource(ctx context.Context, src InboundSource, now time.Time) (InboundSource, error)
	// SetInboundSecret replaces the secret of the source with key.
	SetInboundSecret(ctx context.Context, key, secret string, now time.Time) (InboundSource, error)
	DeleteInboundSource(ctx context.Context, key string) error
	// GetInboundSource and ListInboundSources (by key, in byte order)
	// return sources with their secrets; the service decides who sees
	// one.
	GetInboundSource(ctx context.Context, key string) (InboundSource, error)
	ListInboundSources(ctx context.Context) ([]InboundSource, error)
}
