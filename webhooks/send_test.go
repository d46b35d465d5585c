package webhooks_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testclock"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/webhooks"
)

// sendEnv is a store with one webhook to a loopback receiver whose
// handler the test supplies, and n deliveries queued for it.
type sendEnv struct {
	store heed.Store
	clock *testclock.Clock
	hooks *webhooks.Service
	wh    heed.Webhook
	mu    sync.Mutex
	posts int
}

func newSendEnv(t *testing.T, engine string, n int, handle func(e *sendEnv, w http.ResponseWriter, r *http.Request), cfg webhooks.Config) *sendEnv {
	t.Helper()
	e := &sendEnv{store: testdb.Open(t, engine), clock: testclock.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		e.mu.Lock()
		e.posts++
		e.mu.Unlock()
		handle(e, w, r)
	}))
	t.Cleanup(srv.Close)
	cfg.Now, cfg.Logger = e.clock.Now, slog.New(slog.DiscardHandler)
	e.hooks = webhooks.New(e.store, cfg)
	ctx := t.Context()
	var err error
	if e.wh, err = e.hooks.Create(ctx, heed.System(), heed.Webhook{URL: srv.URL, Active: true,
		Events: []string{heed.EventResponseCreated}}); err != nil {
		t.Fatal(err)
	}
	err = e.store.InTx(ctx, func(q heed.Queries) error {
		for i := range n {
			if err := e.hooks.Emit(ctx, q, heed.EventResponseCreated, 0, map[string]int{"n": i}, e.clock.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *sendEnv) send(ctx context.Context) error {
	return e.hooks.Send(ctx, heed.Job{Kind: webhooks.SendJob, Payload: []byte(fmt.Sprintf(`{"webhook":%d}`, e.wh.ID))})
}

func (e *sendEnv) postCount() int { e.mu.Lock(); defer e.mu.Unlock(); return e.posts }

func (e *sendEnv) states(t *testing.T) map[heed.DeliveryState]int {
	t.Helper()
	ds, err := e.store.ListDeliveries(t.Context(), heed.DeliveryFilter{WebhookID: e.wh.ID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	out := map[heed.DeliveryState]int{}
	for _, d := range ds {
		out[d.State]++
	}
	return out
}

func ok(*sendEnv, http.ResponseWriter, *http.Request) {}

// TestSendInactiveReturns: a switched-off webhook keeps its due
// deliveries, and its send job ends at once without posting (it used to
// go round looking at the due head for ever).
func TestSendInactiveReturns(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newSendEnv(t, engine, 2, ok, webhooks.Config{})
			wh := e.wh
			wh.Active = false
			if _, err := e.hooks.Update(t.Context(), heed.System(), wh); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			done := make(chan error, 1)
			go func() { done <- e.send(ctx) }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("send: %v", err)
				}
			case <-time.After(2 * time.Second):
				cancel()
				<-done
				t.Fatal("send to an inactive webhook did not return")
			}
			if n := e.postCount(); n != 0 {
				t.Fatalf("posted %d times to an inactive webhook", n)
			}
			if st := e.states(t); st[heed.DeliveryPending] != 2 {
				t.Fatalf("deliveries %v; want both still pending", st)
			}
		})
	}
}

// TestSendRecordsOnShutdown: deliveries posted before the job's context
// is cancelled (the server shutting down) are recorded as delivered, not
// left pending to be posted again.
func TestSendRecordsOnShutdown(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			// The client cancels the job's context once the receiver has
			// answered: the post succeeded, the recording comes after.
			client := &http.Client{Transport: roundTripper(func(r *http.Request) (*http.Response, error) {
				resp, err := http.DefaultTransport.RoundTrip(r)
				cancel()
				return resp, err
			})}
			e := newSendEnv(t, engine, 3, ok, webhooks.Config{Client: client})
			e.send(ctx) // ends with the cancelled context's error, after recording
			if n := e.postCount(); n != 1 {
				t.Fatalf("posted %d; want 1 before the shutdown", n)
			}
			if st := e.states(t); st[heed.DeliveryDelivered] != 1 || st[heed.DeliveryPending] != 2 {
				t.Fatalf("deliveries %v; want the posted one delivered, two pending", st)
			}
		})
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestSendKeepsLockThroughSlowBatch: a batch that takes longer than the
// lock (each receiver answer takes a minute here) keeps the lock: no
// other sender can take the webhook mid-batch and send out of order.
func TestSendKeepsLockThroughSlowBatch(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			var stolen []bool
			slow := func(e *sendEnv, w http.ResponseWriter, r *http.Request) {
				e.clock.Add(61 * time.Second)
				now := e.clock.Now()
				got, err := e.store.LockWebhook(r.Context(), e.wh.ID, "another-sender", now.Add(time.Minute), now)
				if err != nil {
					http.Error(w, err.Error(), http.StatusInternalServerError)
					return
				}
				e.mu.Lock()
				stolen = append(stolen, got)
				e.mu.Unlock()
			}
			e := newSendEnv(t, engine, 4, slow, webhooks.Config{})
			if err := e.send(t.Context()); err != nil {
				t.Fatal(err)
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			if fmt.Sprint(stolen) != "[false false false false]" {
				t.Fatalf("another sender took the lock during attempts: %v", stolen)
			}
		})
	}
}
