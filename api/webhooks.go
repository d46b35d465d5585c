package api

import (
	"context"
	"net/http"
	"time"

	"github.com/heedhq/heed"
)

// This file registers webhooks (admins only, as the webhooks service
// decides) and shows what was delivered to them.

type webhooksOutput struct {
	Body struct {
		Webhooks []heed.Webhook `json:"webhooks" doc:"Without their secrets"`
	}
}

func (s *server) listWebhooks(ctx context.Context, _ *struct{}) (*webhooksOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Webhooks.List(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &webhooksOutput{}
	out.Body.Webhooks = make([]heed.Webhook, len(list))
	for i, w := range list {
		out.Body.Webhooks[i] = webhookOut(w)
	}
	return out, nil
}

type webhookID struct {
	ID int64 `path:"id" doc:"The webhook's id"`
}

type webhookOutput struct {
	Status int
	Body   heed.Webhook
}

func (s *server) getWebhook(ctx context.Context, in *webhookID) (*webhookOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.cfg.Webhooks.Get(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Status: http.StatusOK, Body: webhookOut(w)}, nil
}

// webhookInput is a webhook as a client writes it; the read-only fields
// of a GET are accepted and ignored, so a fetched webhook can be sent
// back.
type webhookInput struct {
	ID          int64      `json:"id,omitempty" doc:"In a PUT, must equal the id in the path if given"`
	URL         string     `json:"url,omitempty" doc:"Where events are POSTed: an absolute http or https URL (required)"`
	Events      []string   `json:"events,omitempty" doc:"Event types to receive: response.created, response.matched, case.opened, case.updated, case.escalated, case.closed. None: only what rules send it (their webhook action)"`
	Format      string     `json:"format,omitempty" enum:"standard,slack" doc:"standard (the default): Standard Webhooks JSON, signed; slack: a Slack incoming-webhook message"`
	Active      *bool      `json:"active,omitempty" doc:"Send it events (default true); an inactive webhook keeps what queues up and gets it when switched on again"`
	Description string     `json:"description,omitempty"`
	CreatedAt   *time.Time `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in webhookInput) webhook(id int64) heed.Webhook {
	return heed.Webhook{ID: id, URL: in.URL, Events: in.Events, Format: in.Format,
		Active: in.Active == nil || *in.Active, Description: in.Description}
}

type createWebhookInput struct {
	Body webhookInput
}

func (s *server) createWebhook(ctx context.Context, in *createWebhookInput) (*webhookOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if in.Body.ID != 0 {
		return nil, heed.FieldErrorf(heed.EInvalid, "id", "a new webhook gets its id from Heed; leave id out")
	}
	w, err := s.cfg.Webhooks.Create(ctx, p, in.Body.webhook(0))
	if err != nil {
		return nil, err
	}
	// The one answer that carries the secret: receivers need it to check
	// signatures, and Heed never shows it again.
	return &webhookOutput{Status: http.StatusCreated, Body: webhookOut(w)}, nil
}

type updateWebhookInput struct {
	ID   int64 `path:"id" doc:"The webhook's id"`
	Body webhookInput
}

func (s *server) updateWebhook(ctx context.Context, in *updateWebhookInput) (*webhookOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := pathIDMatches("id", in.ID, in.Body.ID)
	if err != nil {
		return nil, err
	}
	w, err := s.cfg.Webhooks.Update(ctx, p, in.Body.webhook(id))
	if err != nil {
		return nil, err
	}
	return &webhookOutput{Status: http.StatusOK, Body: webhookOut(w)}, nil
}

func (s *server) deleteWebhook(ctx context.Context, in *webhookID) (*struct{}, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Webhooks.Delete(ctx, p, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// webhookOut makes a webhook's empty event list answer [] rather than null.
func webhookOut(w heed.Webhook) heed.Webhook {
	w.Events = nonNil(w.Events)
	return w
}

type listDeliveriesInput struct {
	ID     int64  `path:"id" doc:"The webhook's id"`
	State  string `query:"state" enum:"pending,delivered,dead" doc:"Only deliveries in this state (dead: failed every attempt; redeliver by hand)"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
}

type deliveriesOutput struct {
	Body struct {
		Deliveries []heed.WebhookDelivery `json:"deliveries" doc:"Newest first"`
		NextCursor string                 `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

const deliveryCursor = "delivery:"

func (s *server) listDeliveries(ctx context.Context, in *listDeliveriesInput) (*deliveriesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(deliveryCursor, in.Cursor)
	if err != nil {
		return nil, err
	}
	// An unknown webhook is a 404, not an empty list.
	if _, err := s.cfg.Webhooks.Get(ctx, p, in.ID); err != nil {
		return nil, err
	}
	list, err := s.cfg.Webhooks.Deliveries(ctx, p, heed.DeliveryFilter{
		WebhookID: in.ID, State: heed.DeliveryState(in.State), Limit: in.Limit, BeforeID: before,
	})
	if err != nil {
		return nil, err
	}
	out := &deliveriesOutput{}
	out.Body.Deliveries = nonNil(list)
	if len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(deliveryCursor, list[len(list)-1].ID)
	}
	return out, nil
}

type deliveryID struct {
	ID int64 `path:"id" doc:"The delivery's id"`
}

type deliveryOutput struct {
	Body heed.WebhookDelivery
}

func (s *server) redeliver(ctx context.Context, in *deliveryID) (*deliveryOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.cfg.Webhooks.Redeliver(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{Body: d}, nil
}
