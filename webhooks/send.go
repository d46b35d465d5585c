package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

// lockFor is how long one sender owns a webhook before it must renew.
// The sender renews it before an attempt when less than half is left,
// and no attempt may take longer than a quarter (see attempt), so a live
// sender never loses it however long a batch takes — a hundred slow
// receivers at ten seconds each would outlast any fixed lock — while a
// sender that died frees its webhook within lockFor. (Sizing lockFor to
// a whole batch instead would stall a dead sender's webhook for a
// quarter of an hour, and still break with a slower client.)
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
		held := now.Add(lockFor)
		got, err := s.store.LockWebhook(ctx, pl.Webhook, owner, held, now)
		if heed.IsNotFound(err) {
			return nil // deleted with its deliveries
		}
		if err != nil || !got {
			return err
		}
		active, err := s.drain(ctx, pl.Webhook, owner, held)
		if uerr := s.store.UnlockWebhook(context.WithoutCancel(ctx), pl.Webhook, owner); err == nil {
			err = uerr
		}
		if err != nil || !active {
			// An inactive webhook keeps its queue until it is switched on
			// again, which queues a send job; looking again would spin.
			return err
		}
		// A delivery queued while the lock was held, whose own job found
		// it taken, is due now and nobody else will look: go round again.
		head, err := s.store.PendingDeliveries(ctx, pl.Webhook, 1)
		if err != nil || len(head) == 0 || head[0].NextAt.After(s.cfg.Now()) {
			return err
		}
	}
}

// batch is how many deliveries one read fetches and one transaction
// records.
const batch = 100

// drain sends the webhook's due deliveries in order until none is due or
// one fails; active is false when the webhook is switched off (or gone)
// and nothing was sent. It reads the deliveries a batch at a time and
// records the batch's outcomes in one transaction, so a burst costs a
// few writes, not one per event. owner holds the lock until held, and
// renews it only when less than half is left: a lock taken a moment ago
// needs no second write.
func (s *Service) drain(ctx context.Context, webhookID int64, owner string, held time.Time) (active bool, err error) {
	w, err := s.store.GetWebhook(ctx, webhookID)
	if heed.IsNotFound(err) {
		return false, nil
	}
	if err != nil || !w.Active {
		return false, err
	}
	for ctx.Err() == nil {
		ds, err := s.store.PendingDeliveries(ctx, w.ID, batch)
		if err != nil || len(ds) == 0 {
			return true, err
		}
		var done []outcome
		var lockErr error
		stop := false
		for _, d := range ds {
			now := s.cfg.Now()
			if d.NextAt.After(now) || ctx.Err() != nil {
				stop = true
				break
			}
			if held.Sub(now) < lockFor/2 {
				got, err := s.store.LockWebhook(ctx, w.ID, owner, now.Add(lockFor), now)
				if err != nil || !got {
					// Lost (or unsure of) the lock: record what was sent
					// and leave the rest to whoever holds it.
					lockErr, stop = err, true
					break
				}
				held = now.Add(lockFor)
			}
			res := s.attempt(ctx, w, d, now)
			done = append(done, outcome{d, res})
			if res.State == heed.DeliveryPending {
				stop = true
				break
			}
		}
		if err := s.record(ctx, done); err != nil || lockErr != nil || stop || len(ds) < batch {
			return true, errors.Join(err, lockErr)
		}
	}
	return true, ctx.Err()
}

type outcome struct {
	d   heed.WebhookDelivery
	res heed.DeliveryResult
}

// record stores the attempts' outcomes and, when the last must wait, the
// job that will try it again, together. It runs to the end even when ctx
// is cancelled (shutdown): the deliveries were posted, and an outcome
// left unrecorded would be posted again.
func (s *Service) record(ctx context.Context, done []outcome) error {
	if len(done) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	now := s.cfg.Now()
	return s.store.InTx(ctx, func(q heed.Queries) error {
		for _, o := range done {
			if err := q.RecordDelivery(ctx, o.d.ID, o.res, now); err != nil {
				return err
			}
		}
		last := done[len(done)-1]
		if last.res.State != heed.DeliveryPending {
			return nil
		}
		// Not keyed: see kick.
		_, err := jobs.Enqueue(ctx, q, SendJob, sendPayload{Webhook: last.d.WebhookID}, now, jobs.RunAt(last.res.NextAt))
		return err
	})
}

// attempt posts d once and says what became of it. It gives up after a
// quarter of the lock, whatever the client's own timeout, so the lock,
// renewed before it whenever less than half was left, cannot run out
// during it.
func (s *Service) attempt(ctx context.Context, w heed.Webhook, d heed.WebhookDelivery, now time.Time) heed.DeliveryResult {
	ctx, cancel := context.WithTimeout(ctx, lockFor/4)
	defer cancel()
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
