package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// This file is the inbound webhooks: the URL another system posts its
// own JSON to (authenticated by the source's secret, not by an API
// token: see ServeHTTP), and the admins' CRUD of the sources with a dry
// run of a mapping. The feedback service maps, checks and records.

// inboundPattern is the one operation that authenticates its callers
// itself.
const inboundPattern = http.MethodPost + " " + Prefix + "/inbound/{key}"

// receiveInput is a call of another system. The headers are read by the
// feedback service; they are declared here to be documented.
type receiveInput struct {
	Key              string `path:"key" doc:"The inbound source's key"`
	Authorization    string `header:"Authorization" doc:"Bearer and the source's secret (whsec_…), unless the call is signed"`
	WebhookID        string `header:"webhook-id" doc:"Standard Webhooks: the message's id"`
	WebhookTimestamp string `header:"webhook-timestamp" doc:"Standard Webhooks: when it was signed, in Unix seconds; at most 5 minutes from Heed's clock"`
	WebhookSignature string `header:"webhook-signature" doc:"Standard Webhooks: v1, and the base64 HMAC-SHA256 of id.timestamp.body under the secret"`
	RawBody          []byte `contentType:"application/json"`

	ip string // the caller's address, for the limit on rejected secrets
}

// Resolve notes the caller's address (huma calls it after parsing).
func (in *receiveInput) Resolve(ctx huma.Context) []error {
	in.ip = addrIP(ctx.RemoteAddr())
	return nil
}

func (in *receiveInput) header() http.Header {
	h := http.Header{}
	for k, v := range map[string]string{"Authorization": in.Authorization, "Webhook-Id": in.WebhookID,
		"Webhook-Timestamp": in.WebhookTimestamp, "Webhook-Signature": in.WebhookSignature} {
		if v != "" {
			h.Set(k, v)
		}
	}
	return h
}

type receiveOutput struct {
	Body struct {
		Results []inboundResult `json:"results" doc:"One per item, in order: its id and whether it was new or changed"`
	}
}

// inboundResult is what the other system is told of an item: not whom it
// was matched to, so a source's secret (held by a third party) is no way
// to learn which customer an email belongs to.
type inboundResult struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"`
	Changed bool  `json:"changed"`
}

// receiveInbound takes another system's document. A rejected secret
// counts against the caller's address as a rejected API token does.
func (s *server) receiveInbound(ctx context.Context, in *receiveInput) (*receiveOutput, error) {
	recs, err := s.cfg.Feedback.Receive(ctx, in.Key, in.header(), in.RawBody)
	if heed.ErrorCode(err) == heed.EUnauthorized {
		return nil, s.reject(in.ip, "secrets", unauthorized(heed.ErrorMessage(err)))
	}
	if err != nil {
		return nil, err
	}
	out := &receiveOutput{}
	out.Body.Results = make([]inboundResult, len(recs))
	for i, r := range recs {
		out.Body.Results[i] = inboundResult{ID: r.ID, Created: r.Created, Changed: r.Changed}
	}
	return out, nil
}

// receiveRoute is POST /inbound/{key}: no API token, its own answers
// documented.
func receiveRoute() huma.Operation {
	op := limit(route(http.MethodPost, "/inbound/{key}", "receive-inbound",
		"Receive another system's JSON at an inbound source: mapped to feedback items, read, matched and run through the rules"),
		feedback.MaxInboundBody)
	op.Description = "For the other system, not for API tokens: authenticate with the source's secret, as " +
		"`Authorization: Bearer whsec_…` or a Standard Webhooks signature (webhook-id, webhook-timestamp, webhook-signature). " +
		"401 for a missing or wrong secret, and alike for an unknown or switched-off source, so keys cannot be probed; " +
		"413 over 1 MiB; 422 naming the field and path the mapping cannot read. Sent again, an item is updated, never duplicated."
	op.Security = []map[string][]string{} // none: the source's secret instead
	op.Tags = []string{"inbound-sources"}
	return op
}

// otherSystemsJSON documents the body of an inbound call: any JSON.
func otherSystemsJSON() *huma.Schema {
	return &huma.Schema{Description: "The other system's own JSON, as it sends it: an object, or an array of items. " +
		"The source's mapping says where its fields are."}
}

// inboundSourceInput is a source as a client writes it; the read-only
// fields of a GET are accepted and ignored, so a fetched source can be
// sent back.
type inboundSourceInput struct {
	Key     string            `json:"key,omitempty" doc:"a-z, 0-9, _ and - (required in a POST); its URL is /api/v1/inbound/KEY. In a PUT it must equal the path's if given"`
	Name    string            `json:"name,omitempty" doc:"For people; default the key"`
	Kind    string            `json:"kind" enum:"review,ticket,transcript,social,complaint,interview,note" doc:"The kind of its items (a mapped kind overrides it)"`
	System  string            `json:"system,omitempty" doc:"The source stored on its items (zendesk, trustpilot…); default the key. Items are updated by system and external_id"`
	Active  *bool             `json:"active,omitempty" doc:"Take calls (default true); a switched-off source answers 401 as an unknown one"`
	Mapping map[string]string `json:"mapping" doc:"Our field → the path of its value in the document: keys and array indexes joined by dots (ticket.requester.email, data.0.text); a trailing ? makes it optional. Fields: external_id (required), text or turns (required), title, rating, at, customer, email, author, unit, language, platform, kind"`
	Fixed   map[string]string `json:"fixed,omitempty" doc:"Our field → the same value for every item (platform: trustpilot); a field is mapped or fixed, not both"`
	Items   string            `json:"items,omitempty" doc:"The path of an array each element of which is one item (reviews); default: the document is one item, or, an array, its elements are"`
	// RotateSecret is for PUT only: creating always makes a secret.
	RotateSecret bool       `json:"rotate_secret,omitempty" doc:"PUT: give the source a new secret, answered this once; the old one stops working at once"`
	Path         string     `json:"path,omitempty" readOnly:"true" doc:"Ignored"`
	CreatedAt    *time.Time `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt    *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in inboundSourceInput) source(key string) heed.InboundSource {
	return heed.InboundSource{Key: key, Name: in.Name, Kind: heed.FeedbackKind(in.Kind), System: in.System,
		Active: in.Active == nil || *in.Active, Mapping: in.Mapping, Fixed: in.Fixed, Items: in.Items}
}

// inboundSource is a source as the API answers it: where to post, and
// its secret only when it was just made.
type inboundSource struct {
	heed.InboundSource
	Path string `json:"path" doc:"Where the other system posts: this path on Heed's address"`
}

func inboundOut(src heed.InboundSource) inboundSource {
	return inboundSource{InboundSource: src, Path: Prefix + "/inbound/" + src.Key}
}

type inboundSourcesOutput struct {
	Body struct {
		Sources []inboundSource `json:"sources" doc:"By key, without their secrets"`
	}
}

func (s *server) listInboundSources(ctx context.Context, _ *struct{}) (*inboundSourcesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Feedback.ListSources(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &inboundSourcesOutput{}
	out.Body.Sources = make([]inboundSource, len(list))
	for i, src := range list {
		out.Body.Sources[i] = inboundOut(src)
	}
	return out, nil
}

type inboundKey struct {
	Key string `path:"key" doc:"The inbound source's key"`
}

type inboundSourceOutput struct {
	Status int
	Body   inboundSource
}

func (s *server) getInboundSource(ctx context.Context, in *inboundKey) (*inboundSourceOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	src, err := s.cfg.Feedback.GetSource(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	return &inboundSourceOutput{Status: http.StatusOK, Body: inboundOut(src)}, nil
}

type createInboundSourceInput struct {
	Body inboundSourceInput
}

func (s *server) createInboundSource(ctx context.Context, in *createInboundSourceInput) (*inboundSourceOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if in.Body.RotateSecret {
		return nil, heed.FieldErrorf(heed.EInvalid, "rotate_secret", "a new source always gets a new secret; leave rotate_secret out")
	}
	src, err := s.cfg.Feedback.CreateSource(ctx, p, in.Body.source(in.Body.Key))
	if err != nil {
		return nil, err
	}
	// One of the two answers that carry the secret: the other system
	// needs it, and Heed never shows it again.
	return &inboundSourceOutput{Status: http.StatusCreated, Body: inboundOut(src)}, nil
}

type updateInboundSourceInput struct {
	Key  string `path:"key" doc:"The inbound source's key"`
	Body inboundSourceInput
}

func (s *server) updateInboundSource(ctx context.Context, in *updateInboundSourceInput) (*inboundSourceOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	src, err := s.cfg.Feedback.UpdateSource(ctx, p, in.Body.source(key), in.Body.RotateSecret)
	if err != nil {
		return nil, err
	}
	return &inboundSourceOutput{Status: http.StatusOK, Body: inboundOut(src)}, nil
}

func (s *server) deleteInboundSource(ctx context.Context, in *inboundKey) (*struct{}, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Feedback.DeleteSource(ctx, p, in.Key); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

type tryInboundInput struct {
	Key     string `path:"key" doc:"The inbound source's key"`
	RawBody []byte `contentType:"application/json"`
}

// mappedInput is feedback.Input under its own name in the document
// (events has an Input too).
type mappedInput feedback.Input

// inboundPreview is feedback.Preview as the document shows it.
type inboundPreview struct {
	Input     mappedInput           `json:"input" doc:"What the mapping made of the item: the fields POST /feedback takes"`
	Customer  string                `json:"customer,omitempty" doc:"The customer it would be matched to (external id)"`
	Unit      string                `json:"unit,omitempty"`
	Language  string                `json:"language"`
	Sentiment *textan.Sentiment     `json:"sentiment"`
	Themes    []textan.ThemeMention `json:"themes"`
}

type tryInboundOutput struct {
	Body struct {
		Items []inboundPreview `json:"items" doc:"One per item of the document, as it would be recorded; nothing was written"`
	}
}

func (s *server) tryInboundSource(ctx context.Context, in *tryInboundInput) (*tryInboundOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Feedback.TrySource(ctx, p, in.Key, in.RawBody)
	if err != nil {
		return nil, err
	}
	out := &tryInboundOutput{}
	out.Body.Items = make([]inboundPreview, len(list))
	for i, pv := range list {
		out.Body.Items[i] = inboundPreview{Input: mappedInput(pv.Input), Customer: pv.Customer, Unit: pv.Unit,
			Language: pv.Language, Sentiment: pv.Sentiment, Themes: nonNil(pv.Themes)}
	}
	return out, nil
}
