package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// responseInput is one item of POST /responses: survey.ResponseInput as
// the API reads and documents it.
type responseInput struct {
	Survey     string            `json:"survey" doc:"The survey's key"`
	Customer   string            `json:"customer,omitempty" doc:"The customer's external id; the response is filed under their unit"`
	Unit       string            `json:"unit,omitempty" doc:"The unit's key, when there is no customer"`
	Score      *int              `json:"score" doc:"The answer to the main question, in the survey kind's scale"`
	Comment    string            `json:"comment,omitempty" doc:"The reason, at most 5,000 characters"`
	Answers    map[string]any    `json:"answers,omitempty" doc:"Extra questions by id: an option key or text, or a list of option keys"`
	Hidden     map[string]string `json:"hidden,omitempty" doc:"Values of the survey's hidden fields"`
	Language   string            `json:"language,omitempty" doc:"Default: the survey's language"`
	ExternalID string            `json:"external_id,omitempty" doc:"Your id of the answer: sending it again updates that response instead of adding one"`
	AnsweredAt *timestamp        `json:"answered_at,omitempty" doc:"When it was answered (default: now)"`
}

func (r responseInput) input(line int) survey.ResponseInput {
	in := survey.ResponseInput{
		Survey: r.Survey, Customer: r.Customer, Unit: r.Unit, Score: r.Score, Comment: r.Comment,
		Answers: r.Answers, Hidden: r.Hidden, Language: r.Language, ExternalID: r.ExternalID, Line: line,
	}
	if r.AnsweredAt != nil {
		t := time.Time(*r.AnsweredAt)
		in.AnsweredAt = &t
	}
	return in
}

// responseBatchSchema documents the body of POST /responses.
func responseBatchSchema(r huma.Registry) *huma.Schema {
	return &huma.Schema{
		Type:        huma.TypeArray,
		MaxItems:    ptr(survey.MaxBatch),
		Items:       r.Schema(reflect.TypeFor[responseInput](), true, "ResponseInput"),
		Description: "Answers to record. Nothing is written unless every item is valid; problems are listed by item (index+1).",
	}
}

type recordResponsesInput struct {
	RawBody []byte `contentType:"application/json"`
}

type recordResponsesOutput struct {
	Body struct {
		Results []survey.Recorded `json:"results" doc:"One per item, in order"`
	}
}

func (s *server) recordResponses(ctx context.Context, in *recordResponsesInput) (*recordResponsesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	items, err := decodeArray[responseInput](in.RawBody, "responses", "a response", survey.MaxBatch)
	if err != nil {
		return nil, err
	}
	inputs := make([]survey.ResponseInput, len(items))
	for i, r := range items {
		inputs[i] = r.input(i + 1)
	}
	recs, err := s.cfg.Surveys.RecordResponses(ctx, p, "request", heed.ChannelAPI, inputs)
	if err != nil {
		return nil, err
	}
	out := &recordResponsesOutput{}
	out.Body.Results = nonNil(recs)
	return out, nil
}

// decodeArray reads a JSON array item by item, for the reasons given at
// customerBatch: the memory huma's validation would take, and problems
// that name their item. Every item that does not decode is listed (see
// itemProblem: one names one of them, as "a response"); an array of more
// than max items (what) is refused without reading the rest.
func decodeArray[T any](data []byte, what, one string, max int) ([]T, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, heed.Errorf(heed.EBadRequest, "request body is not valid JSON: want an array of %s", what)
	}
	var items []T
	var problems heed.RowErrors
	for dec.More() {
		if len(items) == max {
			return nil, heed.Errorf(heed.ETooLarge, "at most %d %s per request", max, what)
		}
		var item T
		err := dec.Decode(&item)
		if isSyntaxError(err) {
			return nil, heed.Errorf(heed.EBadRequest, "request body is not valid JSON: %v", err)
		}
		if err != nil {
			problems = append(problems, itemProblem(one, len(items)+1, err))
		}
		items = append(items, item)
	}
	if _, err := dec.Token(); err != nil {
		return nil, heed.Errorf(heed.EBadRequest, "request body is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, heed.Errorf(heed.EBadRequest, "request body is not valid JSON: unexpected data after the array")
	}
	if len(problems) > 0 {
		return nil, &heed.Error{Code: heed.EInvalid, Err: problems,
			Message: fmt.Sprintf("%d of %d %s could not be read; nothing was written", len(problems), len(items), what)}
	}
	return items, nil
}

// timestamp is a time.Time that reports a bad value as a type error, so
// encoding/json names the field.
type timestamp time.Time

func (t *timestamp) UnmarshalJSON(b []byte) error {
	var v time.Time
	if err := v.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[time.Time]()}
	}
	*t = timestamp(v)
	return nil
}

// Schema documents a timestamp as the date-time it is.
func (timestamp) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date-time"}
}

type listResponsesInput struct {
	Survey     string      `query:"survey" doc:"Only responses to this survey (key)"`
	Unit       string      `query:"unit" doc:"Only this unit and the units below it"`
	From       time.Time   `query:"from" timeFormat:"2006-01-02" doc:"Answered on or after this day (UTC)"`
	To         time.Time   `query:"to" timeFormat:"2006-01-02" doc:"Answered on or before this day (UTC)"`
	MinScore   optionalInt `query:"min_score" doc:"Only scores of at least this"`
	MaxScore   optionalInt `query:"max_score" doc:"Only scores of at most this"`
	HasComment bool        `query:"has_comment" doc:"Only responses with a comment"`
	Limit      int         `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Cursor     string      `query:"cursor" doc:"next_cursor of the previous page"`
}

type responsesOutput struct {
	Body struct {
		Responses  []heed.Response `json:"responses"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

const responseCursor = "response:"

func (s *server) listResponses(ctx context.Context, in *listResponsesInput) (*responsesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(responseCursor, in.Cursor)
	if err != nil {
		return nil, err
	}
	f := heed.ResponseFilter{
		Unit: in.Unit, From: in.From, MinScore: in.MinScore.ptr(), MaxScore: in.MaxScore.ptr(),
		HasComment: in.HasComment, Limit: in.Limit, BeforeID: before,
	}
	if !in.To.IsZero() {
		f.To = in.To.AddDate(0, 0, 1) // the store's end is exclusive; the API's day is inclusive
	}
	list, err := s.cfg.Surveys.ListResponses(ctx, p, in.Survey, f)
	if err != nil {
		return nil, err
	}
	out := &responsesOutput{}
	out.Body.Responses = nonNil(list)
	if len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(responseCursor, list[len(list)-1].ID)
	}
	return out, nil
}

type responseID struct {
	ID int64 `path:"id" doc:"The response's id"`
}

type responseOutput struct {
	Body heed.Response
}

func (s *server) getResponse(ctx context.Context, in *responseID) (*responseOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.cfg.Surveys.GetResponse(ctx, p, in.ID)
	if err != nil {
		return nil, err
	}
	return &responseOutput{Body: r}, nil
}

// optionalInt is an integer query parameter that may be absent, which
// huma cannot express with a pointer.
type optionalInt struct {
	Value int
	Set   bool
}

func (o *optionalInt) Receiver() reflect.Value           { return reflect.ValueOf(o).Elem().Field(0) }
func (o *optionalInt) OnParamSet(isSet bool, parsed any) { o.Set = isSet }

// Schema documents the parameter as the integer it holds.
func (optionalInt) Schema(huma.Registry) *huma.Schema { return &huma.Schema{Type: huma.TypeInteger} }

func (o optionalInt) ptr() *int {
	if !o.Set {
		return nil
	}
	return &o.Value
}

func ptr[T any](v T) *T { return &v }
