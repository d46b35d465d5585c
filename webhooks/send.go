package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

type sendPayload struct {
	Webhook int64 `json:"webhook"`
}

// lockFor is how long one sender owns a webhook before it must renew;
// longer than one request's timeout, so a live sender never loses it.
const lockFor = 2 * time.Minute

// Send is the handler of SendJob. One sender at a time owns a webhook (a
// lock row, safe across processes) and sends its due deliveries oldest
// first; a failure stops the line until the retry, so a receiver gets
// every event in order. A job that finds the lock taken ends at once: the
// owner looks again after it lets go and sends what arrived meanwhile.
func (s *Service) Send(ctx context.Context, job heed.Job) error {
	var pl sendPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return jobs.Stop(fmt.Errorf("%s: bad payload: %w", SendJob, err))
	}
	owner := newMessageID()
	for {
		now := s.cfg.Now()
		got, err := s.store.LockWebhook(ctx, pl.Webhook, owner, now.Add(lockFor), now)
		if heed.IsNotFound(err) {
			return nil // deleted with its deliveries
		}
		if err != nil || !got {
			return err
		}
		err = s.drain(ctx, pl.Webhook, owner)
		if uerr := s.store.UnlockWebhook(context.WithoutCancel(ctx), pl.Webhook, owner); err == nil {
			err = uerr
		}
		if err != nil {
			return err
		}
		// A delivery queued while the lock was held, whose own job found
		// it taken, is due now and nobody else will look: go round again.
		d, err := s.store.NextDelivery(ctx, pl.Webhook)
		if heed.IsNotFound(err) {
			return nil
		}
		if err != nil || d.NextAt.After(s.cfg.Now()) {
			return err
		}
	}
}

// batch is how many deliveries one read fetches and one transaction
// records.
const batch = 100

// drain sends the webhook's due deliveries in order until none is due or
// one fails. It reads them a batch at a time and records the batch's
// outcomes in one transaction, so a burst costs a few writes, not one per
// event.
func (s *Service) drain(ctx context.Context, webhookID int64, owner string) error {
	w, err := s.store.GetWebhook(ctx, webhookID)
	if err != nil || !w.Active {
		return err // an inactive webhook keeps its queue until it is switched on again
	}
	for ctx.Err() == nil {
		now := s.cfg.Now()
		if got, err := s.store.LockWebhook(ctx, w.ID, owner, now.Add(lockFor), now); err != nil || !got {
			return err
		}
		ds, err := s.store.PendingDeliveries(ctx, w.ID, batch)
		if err != nil || len(ds) == 0 {
			return err
		}
		var done []outcome
		stop := false
		for _, d := range ds {
			now := s.cfg.Now()
			if d.NextAt.After(now) || ctx.Err() != nil {
				stop = true
				break
			}
			res := s.attempt(ctx, w, d, now)
			done = append(done, outcome{d, res})
			if res.State == heed.DeliveryPending {
				stop = true
				break
			}
		}
		if err := s.record(ctx, done); err != nil || stop || len(ds) < batch {
			return err
		}
	}
	return ctx.Err()
}

type outcome struct {
	d   heed.WebhookDelivery
	res heed.DeliveryResult
}

// record stores the attempts' outcomes and, when the last must wait, the
// job that will try it again, together.
func (s *Service) record(ctx context.Context, done []outcome) error {
	if len(done) == 0 {
		return nil
	}
	now := s.cfg.Now()
	return s.store.InTx(context.WithoutCancel(ctx), func(q heed.Queries) error {
		for _, o := range done {
			if err := q.RecordDelivery(ctx, o.d.ID, o.res, now); err != nil {
				return err
			}
		}
		last := done[len(done)-1]
		if last.res.State != heed.DeliveryPending {
			return nil
		}
		_, err := jobs.Enqueue(ctx, q, SendJob, sendPayload{Webhook: last.d.WebhookID}, now, jobs.RunAt(last.res.NextAt))
		return err
	})
}

// attempt posts d once and says what became of it.
func (s *Service) attempt(ctx context.Context, w heed.Webhook, d heed.WebhookDelivery, now time.Time) heed.DeliveryResult {
	status, err := s.post(ctx, w, d, now)
	if err == nil {
		return heed.DeliveryResult{State: heed.DeliveryDelivered, Status: status}
	}
	res := heed.DeliveryResult{State: heed.DeliveryPending, Status: status, Error: err.Error()}
	if d.Attempts+1 >= s.cfg.MaxAttempts {
		res.State = heed.DeliveryGivenUp
		s.log.Warn("webhooks: delivery dead after every attempt", "webhook", w.ID, "delivery", d.ID,
			"event", d.Event, "error", err)
		return res
	}
	i := min(d.Attempts, len(s.cfg.Backoff)-1)
	res.NextAt = now.Add(s.cfg.Backoff[i])
	s.log.Info("webhooks: delivery failed; will retry", "webhook", w.ID, "delivery", d.ID,
		"event", d.Event, "attempt", d.Attempts+1, "retry_at", res.NextAt, "error", err)
	return res
}

// post sends one delivery and returns the receiver's status; any answer
// but 2xx is an error.
func (s *Service) post(ctx context.Context, w heed.Webhook, d heed.WebhookDelivery, now time.Time) (int, error) {
	body := []byte(d.Payload)
	if w.Format == heed.FormatSlack {
		var err error
		if body, err = s.slackBody(d); err != nil {
			return 0, err
		}
	}
	sig, err := Sign(w.Secret, d.MessageID, now, body)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Heed-Webhooks/1")
	req.Header.Set("webhook-id", d.MessageID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return resp.StatusCode, nil
}
