package webhooks

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// SendJob is the job that sends a webhook's pending deliveries, in order.
const SendJob = "webhook.send"

// Config tunes a Service; zero fields take the defaults noted.
type Config struct {
	// Client sends the requests; default: 10-second timeout, no redirects.
	Client *http.Client
	// Backoff is the wait before each retry of a failed delivery, the
	// last repeated; default 5s, 1m, 5m, 30m, 2h, 6h, 12h.
	Backoff []time.Duration
	// MaxAttempts is how often a delivery is tried before it is parked
	// dead; default 10 (about two days of retries).
	MaxAttempts int
	// PublicURL starts the links in Slack messages.
	PublicURL string
	// Now is the clock; default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service registers webhooks, queues events for them and sends them.
type Service struct {
	store heed.Store
	cfg   Config
	log   *slog.Logger
}

// New returns a Service over store.
func New(store heed.Store, cfg Config) *Service {
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if len(cfg.Backoff) == 0 {
		cfg.Backoff = []time.Duration{5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute,
			2 * time.Hour, 6 * time.Hour, 12 * time.Hour}
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 10
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	return &Service{store: store, cfg: cfg, log: log}
}

// RegisterJobs makes pool send deliveries.
func (s *Service) RegisterJobs(pool *jobs.Pool) { pool.Handle(SendJob, s.Send) }

func requireAdmin(p heed.Principal, what string) error {
	if !p.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may %s", what)
	}
	return nil
}

// Create registers a webhook and returns it with its signing secret, the
// only time the secret is shown.
func (s *Service) Create(ctx context.Context, p heed.Principal, w heed.Webhook) (heed.Webhook, error) {
	if err := requireAdmin(p, "add webhooks"); err != nil {
		return heed.Webhook{}, err
	}
	if err := normalize(&w); err != nil {
		return heed.Webhook{}, err
	}
	w.Secret = NewSecret()
	return s.store.CreateWebhook(ctx, w, s.cfg.Now())
}

// Update changes a webhook's URL, events, format, description and
// whether it is active; the secret stays.
func (s *Service) Update(ctx context.Context, p heed.Principal, w heed.Webhook) (heed.Webhook, error) {
	if err := requireAdmin(p, "change webhooks"); err != nil {
		return heed.Webhook{}, err
	}
	if err := normalize(&w); err != nil {
		return heed.Webhook{}, err
	}
	now := s.cfg.Now()
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		if w, err = q.UpdateWebhook(ctx, w, now); err != nil || !w.Active {
			return err
		}
		// Switched on again: what queued up while it was off goes out now.
		return kick(ctx, q, w.ID, now)
	})
	w.Secret = ""
	return w, err
}

// Delete removes a webhook and its deliveries. A webhook a rule sends to
// stays (EConflict naming the rule): deleted, the rule's action would
// silently send nothing.
func (s *Service) Delete(ctx context.Context, p heed.Principal, id int64) error {
	if err := requireAdmin(p, "delete webhooks"); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q heed.Queries) error {
		rules, err := q.ListRules(ctx)
		if err != nil {
			return err
		}
		for _, r := range rules {
			for _, a := range r.Then {
				if a.Kind == heed.ActionWebhook && a.Webhook == id {
					return heed.Errorf(heed.EConflict,
						"rule %q (%s) sends to this webhook: change or delete the rule first", r.Key, r.Name)
				}
			}
		}
		return q.DeleteWebhook(ctx, id)
	})
}

// Get returns a webhook without its secret.
func (s *Service) Get(ctx context.Context, p heed.Principal, id int64) (heed.Webhook, error) {
	if err := requireAdmin(p, "read webhooks"); err != nil {
		return heed.Webhook{}, err
	}
	w, err := s.store.GetWebhook(ctx, id)
	w.Secret = ""
	return w, err
}

// List returns every webhook without secrets.
func (s *Service) List(ctx context.Context, p heed.Principal) ([]heed.Webhook, error) {
	if err := requireAdmin(p, "read webhooks"); err != nil {
		return nil, err
	}
	ws, err := s.store.ListWebhooks(ctx)
	for i := range ws {
		ws[i].Secret = ""
	}
	return ws, err
}

// Deliveries lists deliveries, newest first.
func (s *Service) Deliveries(ctx context.Context, p heed.Principal, f heed.DeliveryFilter) ([]heed.WebhookDelivery, error) {
	if err := requireAdmin(p, "read webhook deliveries"); err != nil {
		return nil, err
	}
	return s.store.ListDeliveries(ctx, f)
}

// Redeliver sends a delivery again, whatever became of it, with the same
// message id so a receiver that has it already can drop it.
func (s *Service) Redeliver(ctx context.Context, p heed.Principal, id int64) (heed.WebhookDelivery, error) {
	if err := requireAdmin(p, "redeliver webhooks"); err != nil {
		return heed.WebhookDelivery{}, err
	}
	now := s.cfg.Now()
	var d heed.WebhookDelivery
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		if d, err = q.GetDelivery(ctx, id); err != nil {
			return err
		}
		if err := q.RedeliverDelivery(ctx, id, now); err != nil {
			return err
		}
		return kick(ctx, q, d.WebhookID, now)
	})
	if err != nil {
		return heed.WebhookDelivery{}, err
	}
	return s.store.GetDelivery(ctx, id)
}

// normalize fills defaults and refuses what could never be delivered.
func normalize(w *heed.Webhook) error {
	w.URL = strings.TrimSpace(w.URL)
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return heed.FieldErrorf(heed.EInvalid, "url", "url %q must be an absolute http or https URL", w.URL)
	}
	if w.Format == "" {
		w.Format = heed.FormatStandard
	}
	if w.Format != heed.FormatStandard && w.Format != heed.FormatSlack {
		return heed.FieldErrorf(heed.EInvalid, "format", "format %q must be standard or slack", w.Format)
	}
	if w.Events == nil {
		w.Events = []string{}
	}
	for i, e := range w.Events {
		if !slices.Contains(heed.WebhookEvents(), e) {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("events[%d]", i), "unknown event %q; one of %s",
				e, strings.Join(heed.WebhookEvents(), ", "))
		}
	}
	return nil
}

// Event is what a Standard Webhooks receiver gets in the body.
type Event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// Emit queues event for every active webhook that subscribes to it, in
// the caller's transaction: the deliveries exist if, and only if, the
// change they report commits. caseID orders deliveries per case (0: none).
func (s *Service) Emit(ctx context.Context, q heed.Queries, event string, caseID int64, data any, now time.Time) error {
	ws, err := q.ListWebhooks(ctx)
	if err != nil {
		return err
	}
	return s.EmitAmong(ctx, q, ws, event, caseID, data, now)
}

// EmitAmong is Emit over ws, the webhooks as the caller read them with
// q: a transaction that emits several events (a response that opens a
// case) reads the list once.
func (s *Service) EmitAmong(ctx context.Context, q heed.Queries, ws []heed.Webhook, event string, caseID int64, data any, now time.Time) error {
	for _, w := range ws {
		if w.Active && slices.Contains(w.Events, event) {
			if err := s.queue(ctx, q, w.ID, event, caseID, data, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// EmitTo queues event for one webhook, subscribed or not (a rule's
// webhook action names it). An inactive webhook gets nothing.
func (s *Service) EmitTo(ctx context.Context, q heed.Queries, webhookID int64, event string, caseID int64, data any, now time.Time) error {
	w, err := q.GetWebhook(ctx, webhookID)
	if heed.IsNotFound(err) {
		s.log.Warn("webhooks: a rule names a webhook that no longer exists", "webhook", webhookID, "event", event)
		return nil
	}
	if err != nil || !w.Active {
		return err
	}
	return s.queue(ctx, q, w.ID, event, caseID, data, now)
}

func (s *Service) queue(ctx context.Context, q heed.Queries, webhookID int64, event string, caseID int64, data any, now time.Time) error {
	body, err := json.Marshal(Event{Type: event, Timestamp: now.UTC(), Data: data})
	if err != nil {
		return fmt.Errorf("webhooks: encode %s: %w", event, err)
	}
	d := heed.WebhookDelivery{WebhookID: webhookID, MessageID: newMessageID(), Event: event, CaseID: caseID,
		Payload: body, NextAt: now}
	if _, err := q.CreateDelivery(ctx, d, now); err != nil {
		return err
	}
	return kick(ctx, q, webhookID, now)
}

// kick queues a send job for the webhook to run now. It is keyed: one
// queued job stands for a burst of deliveries. The retry of a failed
// delivery (see record) is not keyed and must not be: a kick merging
// into it would pull it forward to now, and the job would run, find the
// head not yet due and end, leaving nobody to retry at the retry time.
func kick(ctx context.Context, q heed.Queries, webhookID int64, now time.Time) error {
	_, err := jobs.Enqueue(ctx, q, SendJob, sendPayload{Webhook: webhookID}, now, jobs.Key(fmt.Sprint("webhook:", webhookID)))
	return err
}

// newMessageID is a delivery's webhook-id: "msg_" and 26 random base32
// characters, unique without coordination between processes.
func newMessageID() string {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	b := make([]byte, 26)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return "msg_" + string(b)
}
