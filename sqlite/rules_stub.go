package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// Placeholder methods, replaced by the real implementation.

func (q queries) CreateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	return heed.Rule{}, errNotYet
}

func (q queries) UpdateRule(ctx context.Context, r heed.Rule, now time.Time) (heed.Rule, error) {
	return heed.Rule{}, errNotYet
}

func (q queries) DeleteRule(ctx context.Context, key string) error { return errNotYet }

func (q queries) GetRule(ctx context.Context, key string) (heed.Rule, error) {
	return heed.Rule{}, errNotYet
}

func (q queries) ListRules(ctx context.Context) ([]heed.Rule, error) { return nil, errNotYet }

func (q queries) TagResponse(ctx context.Context, responseID int64, tag string, now time.Time) error {
	return errNotYet
}

func (q queries) ListResponseTags(ctx context.Context, responseID int64) ([]string, error) {
	return nil, errNotYet
}

func (q queries) CreateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	return heed.Webhook{}, errNotYet
}

func (q queries) UpdateWebhook(ctx context.Context, w heed.Webhook, now time.Time) (heed.Webhook, error) {
	return heed.Webhook{}, errNotYet
}

func (q queries) DeleteWebhook(ctx context.Context, id int64) error { return errNotYet }

func (q queries) GetWebhook(ctx context.Context, id int64) (heed.Webhook, error) {
	return heed.Webhook{}, errNotYet
}

func (q queries) ListWebhooks(ctx context.Context) ([]heed.Webhook, error) { return nil, errNotYet }

func (q queries) CreateDelivery(ctx context.Context, d heed.WebhookDelivery, now time.Time) (heed.WebhookDelivery, error) {
	return heed.WebhookDelivery{}, errNotYet
}

func (q queries) GetDelivery(ctx context.Context, id int64) (heed.WebhookDelivery, error) {
	return heed.WebhookDelivery{}, errNotYet
}

func (q queries) ListDeliveries(ctx context.Context, f heed.DeliveryFilter) ([]heed.WebhookDelivery, error) {
	return nil, errNotYet
}

func (q queries) NextDelivery(ctx context.Context, webhookID int64) (heed.WebhookDelivery, error) {
	return heed.WebhookDelivery{}, errNotYet
}

func (q queries) RecordDelivery(ctx context.Context, id int64, r heed.DeliveryResult, now time.Time) error {
	return errNotYet
}

func (q queries) RedeliverDelivery(ctx context.Context, id int64, now time.Time) error {
	return errNotYet
}

func (q queries) LockWebhook(ctx context.Context, id int64, owner string, until, now time.Time) (bool, error) {
	return false, errNotYet
}

func (q queries) UnlockWebhook(ctx context.Context, id int64, owner string) error { return errNotYet }
