package api

import (
	"context"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/events"
)

// This file brings in what customers do — purchases, visits, logins,
// support contacts, referrals, cancellations — and reads what Heed makes
// of it: a customer's profile (recency, frequency, value, churn risk,
// ladder rung) and the loyalty ladder over time. The events service
// checks every event and decides who may see which customer.

// eventInput is one event of POST /events, as the API documents it.
type eventInput struct {
	Customer   string     `json:"customer" doc:"The customer's external id; the customer must exist"`
	Kind       string     `json:"kind" enum:"purchase,visit,login,support,referral,cancellation" doc:"What the customer did"`
	At         *timestamp `json:"at" doc:"When it happened"`
	Amount     *decimal   `json:"amount,omitempty" doc:"A purchase's amount (what was paid), not negative; other kinds have none"`
	Source     string     `json:"source,omitempty" doc:"The system it comes from: shop, pos, app, crm…"`
	ExternalID string     `json:"external_id,omitempty" doc:"Its id in that system: sending it again updates the event, never duplicates it. Without one, the same event sent again adds nothing"`
}

func (x eventInput) input(line int) events.Input {
	in := events.Input{Customer: x.Customer, Kind: heed.CustomerEventKind(x.Kind), Source: x.Source,
		ExternalID: x.ExternalID, Line: line}
	if x.At != nil {
		in.At = time.Time(*x.At)
	}
	if x.Amount != nil {
		in.Amount = heed.Decimal(*x.Amount)
	}
	return in
}

// eventBatchSchema documents the body of POST /events.
func eventBatchSchema(r huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeArray,
		MaxItems:    ptr(events.MaxBatch),
		Items:       r.Schema(reflect.TypeFor[eventInput](), true, "EventInput"),
		Description: "Events to record. Nothing is written unless every event is valid; problems are listed by event (index+1).",
	}
}

type recordEventsInput struct {
	RawBody []byte `contentType:"application/json"`
}

type recordEventsOutput struct {
	Body struct {
		Results []heed.EventUpsert `json:"results" doc:"One per event, in order: its id, whether it was new, whether it changed"`
	}
}

func (s *server) recordEvents(ctx context.Context, in *recordEventsInput) (*recordEventsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	items, err := decodeArray[eventInput](in.RawBody, "events", "an event", events.MaxBatch)
	if err != nil {
		return nil, err
	}
	inputs := make([]events.Input, len(items))
	for i, x := range items {
		inputs[i] = x.input(i + 1)
	}
	res, err := s.cfg.Events.Record(ctx, p, "request", inputs)
	if err != nil {
		return nil, err
	}
	out := &recordEventsOutput{}
	out.Body.Results = nonNil(res)
	return out, nil
}

type profileOutput struct {
	Body events.Profile
}

func (s *server) getProfile(ctx context.Context, in *customerID) (*profileOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	prof, err := s.cfg.Events.Profile(ctx, p, in.ExternalID)
	if err != nil {
		return nil, err
	}
	return &profileOutput{Body: prof}, nil
}

type ladderInput struct {
	Unit  string    `query:"unit" doc:"Only the customers of this unit and the units below it"`
	From  time.Time `query:"from" timeFormat:"2006-01-02" doc:"First day (UTC); default: 11 periods before to's (30 days for every=day)"`
	To    time.Time `query:"to" timeFormat:"2006-01-02" doc:"Last day (UTC), included; default: today"`
	Every string    `query:"every" enum:"day,week,month" default:"month" doc:"The ladder is counted at the end of every day, week (Monday to Sunday) or month of the span; the last point at the end of to, or now"`
}

type ladderOutput struct {
	Body events.Ladder
}

func (s *server) getLadder(ctx context.Context, in *ladderInput) (*ladderOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	l, err := s.cfg.Events.Ladder(ctx, p, in.Unit, in.From, in.To, in.Every)
	if err != nil {
		return nil, err
	}
	return &ladderOutput{Body: l}, nil
}
