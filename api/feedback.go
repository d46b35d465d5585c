package api

import (
	"context"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// This file brings feedback from any source in and lists it: reviews,
// tickets, transcripts, posts, complaints, interviews, notes, and the
// comments of survey answers. The feedback service checks, reads and
// matches every item, and decides who may see it.

// feedbackInput is one item of POST /feedback, as the API documents it.
type feedbackInput struct {
	Kind       heed.FeedbackKind `json:"kind" enum:"review,ticket,transcript,social,complaint,interview,note" doc:"What it is"`
	Source     string            `json:"source" doc:"The system it comes from: google, trustpilot, zendesk, aircall…"`
	ExternalID string            `json:"external_id" doc:"Its id in that system: sending it again updates the item, never duplicates it"`
	Title      string            `json:"title,omitempty"`
	Text       string            `json:"text,omitempty" doc:"What the customer said; for a transcript, default: the customer's turns"`
	Turns      []heed.Turn       `json:"turns,omitempty" doc:"A transcript's turns; speaker customer (or client, caller) is read"`
	Rating     *int              `json:"rating,omitempty" minimum:"1" maximum:"5" doc:"A review's stars"`
	Platform   string            `json:"platform,omitempty" doc:"Where a review was left"`
	At         *timestamp        `json:"at,omitempty" doc:"When it was said (default: now)"`
	Language   string            `json:"language,omitempty" doc:"ISO 639-1; default: detected"`
	Customer   string            `json:"customer,omitempty" doc:"The customer's external id"`
	Email      string            `json:"email,omitempty" doc:"Matches a customer by email when customer does not"`
	Author     string            `json:"author,omitempty" doc:"The name or handle given, kept when no customer matches"`
	Unit       string            `json:"unit,omitempty" doc:"The unit (store, location) it is about; default: the customer's"`
}

func (x feedbackInput) input(line int) feedback.Input {
	in := feedback.Input{Kind: x.Kind, Source: x.Source, ExternalID: x.ExternalID, Title: x.Title, Text: x.Text,
		Turns: x.Turns, Rating: x.Rating, Platform: x.Platform, Language: x.Language, Customer: x.Customer,
		Email: x.Email, Author: x.Author, Unit: x.Unit, Line: line}
	if x.At != nil {
		t := time.Time(*x.At)
		in.At = &t
	}
	return in
}

// feedbackBatchSchema documents the body of POST /feedback.
func feedbackBatchSchema(r huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeArray,
		MaxItems:    ptr(feedback.MaxBatch),
		Items:       r.Schema(reflect.TypeFor[feedbackInput](), true, "FeedbackInput"),
		Description: "Items to record. Nothing is written unless every item is valid; problems are listed by item (index+1).",
	}
}

type recordFeedbackInput struct {
	RawBody []byte `contentType:"application/json"`
}

// feedbackResult is feedback.Recorded under its own name: the OpenAPI
// document already has a Recorded, the survey's.
type feedbackResult feedback.Recorded

// registerFeedbackNames documents feedback.Recorded as feedbackResult and
// feedback.Prioritized as feedbackItem, so handlers answer the service's
// own values (as registerLoopFigures).
func registerFeedbackNames(r huma.Registry) {
	r.RegisterTypeAlias(reflect.TypeFor[feedback.Recorded](), reflect.TypeFor[feedbackResult]())
	r.RegisterTypeAlias(reflect.TypeFor[feedback.Prioritized](), reflect.TypeFor[feedbackItem]())
}

type recordFeedbackOutput struct {
	Body struct {
		Results []feedback.Recorded `json:"results" doc:"One per item, in order: its id, whether it was new or changed, and what reading it found"`
	}
}

func (s *server) recordFeedback(ctx context.Context, in *recordFeedbackInput) (*recordFeedbackOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	items, err := decodeArray[feedbackInput](in.RawBody, "feedback items", "a feedback item", feedback.MaxBatch)
	if err != nil {
		return nil, err
	}
	inputs := make([]feedback.Input, len(items))
	for i, x := range items {
		inputs[i] = x.input(i + 1)
	}
	recs, err := s.cfg.Feedback.Record(ctx, p, "request", inputs)
	if err != nil {
		return nil, err
	}
	out := &recordFeedbackOutput{}
	out.Body.Results = nonNil(recs)
	return out, nil
}

type listFeedbackInput struct {
	Kind      string      `query:"kind" enum:"survey,review,ticket,transcript,social,complaint,interview,note" doc:"Only this kind"`
	Source    string      `query:"source" doc:"Only from this system"`
	Unit      string      `query:"unit" doc:"Only this unit and the units below it"`
	Customer  string      `query:"customer" doc:"Only this customer's (external id)"`
	Theme     string      `query:"theme" doc:"Only items that speak of this theme (key)"`
	Sentiment string      `query:"sentiment" enum:"negative,neutral,positive" doc:"Only items read so"`
	MinRating optionalInt `query:"min_rating" doc:"Only ratings of at least this"`
	MaxRating optionalInt `query:"max_rating" doc:"Only ratings of at most this"`
	From      time.Time   `query:"from" timeFormat:"2006-01-02" doc:"Said on or after this day (UTC)"`
	To        time.Time   `query:"to" timeFormat:"2006-01-02" doc:"Said on or before this day (UTC)"`
	Q         string      `query:"q" doc:"Words the text must contain, all of them, in any case"`
	Limit     int         `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Cursor    string      `query:"cursor" doc:"next_cursor of the previous page"`
}

type feedbackListOutput struct {
	Body struct {
		Items      []feedback.Prioritized `json:"items" doc:"Each with its priority: how soon it deserves attention, and why"`
		NextCursor string                 `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

const feedbackCursor = "feedback:"

func (s *server) listFeedback(ctx context.Context, in *listFeedbackInput) (*feedbackListOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(feedbackCursor, in.Cursor)
	if err != nil {
		return nil, err
	}
	f := heed.FeedbackFilter{Kind: heed.FeedbackKind(in.Kind), Source: in.Source, Unit: in.Unit, Theme: in.Theme,
		Label: in.Sentiment, MinRating: in.MinRating.ptr(), MaxRating: in.MaxRating.ptr(), From: in.From, Query: in.Q,
		Limit: in.Limit, BeforeID: before}
	if !in.To.IsZero() {
		f.To = in.To.AddDate(0, 0, 1) // the store's end is exclusive; the API's day is inclusive
	}
	if in.Customer != "" {
		c, err := s.cfg.Directory.GetCustomer(ctx, p, in.Customer)
		if err != nil {
			return nil, err
		}
		f.CustomerID = c.ID
	}
	list, err := s.cfg.Feedback.List(ctx, p, f)
	if err != nil {
		return nil, err
	}
	items, err := s.cfg.Feedback.Prioritize(ctx, p, list, s.churn(p))
	if err != nil {
		return nil, err
	}
	out := &feedbackListOutput{}
	out.Body.Items = nonNil(items)
	if len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(feedbackCursor, list[len(list)-1].ID)
	}
	return out, nil
}

type feedbackID struct {
	ID int64 `path:"id" doc:"The item's id"`
}

type feedbackOutput struct {
	Body feedback.Prioritized
}

// feedbackItem is an item with its priority (feedback.PriorityOf): its
// score 0–100, level and the parts that make it.
type feedbackItem feedback.Prioritized

// churn tells the churn risk of a customer p may see, from their
// profile; nil (no churn points) without the events service.
func (s *server) churn(p heed.Principal) feedback.ChurnFunc {
	if s.cfg.Events == nil {
		return nil
	}
	return func(ctx context.Context, ext string) (string, error) {
		prof, err := s.cfg.Events.Profile(ctx, p, ext)
		return string(prof.Churn.Level), err
	}
}

func (s *server) getFeedback(ctx context.Context, in *feedbackID) (*feedbackOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	it, err := s.cfg.Feedback.Get(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	items, err := s.cfg.Feedback.Prioritize(ctx, p, []heed.FeedbackItem{it}, s.churn(p))
	if err != nil {
		return nil, err
	}
	return &feedbackOutput{Body: items[0]}, nil
}
