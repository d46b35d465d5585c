package survey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// ResponseInput is an answer collected elsewhere (an app, a kiosk, another
// tool) and sent through the API or an import file.
type ResponseInput struct {
	Survey     string            `json:"survey"`
	Customer   string            `json:"customer,omitempty"` // external id
	Unit       string            `json:"unit,omitempty"`     // when there is no customer
	Score      *int              `json:"score"`
	Comment    string            `json:"comment,omitempty"`
	Answers    map[string]any    `json:"answers,omitempty"`
	Hidden     map[string]string `json:"hidden,omitempty"`
	Language   string            `json:"language,omitempty"`
	ExternalID string            `json:"external_id,omitempty"` // re-sending the same id updates, never duplicates
	AnsweredAt *time.Time        `json:"answered_at,omitempty"` // default: now
	Line       int               `json:"-"`                     // the line of an import file, for errors
}

// Recorded is the outcome of one ResponseInput.
type Recorded struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"` // false: the external id existed and was updated
}

// MaxBatch is the most responses one request may carry.
const MaxBatch = 1000

// RecordResponses stores answers collected elsewhere (admins and admin
// tokens). Every item is checked first and every problem is listed with
// its item (file line for imports); nothing is written unless all pass,
// and then all are written in one transaction. An item whose survey
// already has its external id updates that response.
func (s *Service) RecordResponses(ctx context.Context, p heed.Principal, file, channel string, in []ResponseInput) ([]Recorded, error) {
	if err := requireAdmin(p, "record responses"); err != nil {
		return nil, err
	}
	if channel == "" {
		channel = heed.ChannelAPI
	}
	if file == "" {
		file = "request"
	}
	now := s.now()
	// The checks only read (surveys, customers, units), so they run before
	// the transaction: on SQLite the single writer is held for the writes
	// alone, which is what lets parallel answers through.
	rs, err := s.checkInputs(ctx, s.store, file, channel, in, now)
	if err != nil {
		return nil, err
	}
	var out []Recorded
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		out = make([]Recorded, 0, len(rs))
		for _, r := range rs {
			rec, err := s.recordOne(ctx, q, r, now)
			if err != nil {
				return err
			}
			out = append(out, rec)
		}
		return nil
	})
	return out, err
}

func (s *Service) recordOne(ctx context.Context, q heed.Queries, r heed.Response, now time.Time) (Recorded, error) {
	if r.ExternalID != "" {
		old, err := q.GetResponseByExternalID(ctx, r.SurveyID, r.ExternalID)
		if err == nil {
			if err := sameOrigin(old, r); err != nil {
				return Recorded{}, err
			}
			r.ID = old.ID
			if r, err = q.UpdateResponse(ctx, r, now); err != nil {
				return Recorded{}, err
			}
			return Recorded{ID: r.ID}, s.written(ctx, q, r, &old, now)
		}
		if !heed.IsNotFound(err) {
			return Recorded{}, err
		}
	}
	r, err := q.CreateResponse(ctx, r, now)
	if err != nil {
		return Recorded{}, err
	}
	return Recorded{ID: r.ID, Created: true}, s.written(ctx, q, r, nil, now)
}

// sameOrigin refuses a re-sent response that moves to another customer,
// unit or day: its counts are filed under those, and a re-send is for
// correcting what was answered, not who answered or when. Delete-and-add
// is not offered yet; such a change needs a new external id.
func sameOrigin(old, r heed.Response) error {
	switch {
	case old.CustomerID != r.CustomerID:
		return heed.FieldErrorf(heed.EInvalid, "customer", "external id %q was recorded for customer %q; a re-send cannot change the customer", r.ExternalID, old.Customer)
	case old.UnitID != r.UnitID:
		return heed.FieldErrorf(heed.EInvalid, "unit", "external id %q was recorded for unit %q; a re-send cannot change the unit", r.ExternalID, old.Unit)
	case !r.CreatedAt.IsZero() && heed.Day(r.CreatedAt) != heed.Day(old.CreatedAt):
		return heed.FieldErrorf(heed.EInvalid, "answered_at", "external id %q was answered on %s; a re-send cannot change the day", r.ExternalID, old.CreatedAt.Format(time.DateOnly))
	}
	return nil
}

// checkInputs turns inputs into responses, listing every problem.
func (s *Service) checkInputs(ctx context.Context, q heed.Queries, file, channel string, in []ResponseInput, now time.Time) ([]heed.Response, error) {
	if len(in) == 0 {
		return nil, heed.Errorf(heed.EInvalid, "no responses given")
	}
	if len(in) > MaxImportRows {
		return nil, heed.Errorf(heed.ETooLarge, "%d responses at once; at most %d", len(in), MaxImportRows)
	}
	surveys := map[string]heed.Survey{}
	var errs heed.RowErrors
	out := make([]heed.Response, 0, len(in))
	seen := map[string]int{}
	for i, x := range in {
		line := x.Line
		if line == 0 {
			line = i + 1
		}
		r, err := s.checkInput(ctx, q, surveys, channel, x, now)
		if err == nil && r.ExternalID != "" {
			k := r.Survey + "\x00" + r.ExternalID
			if first, dup := seen[k]; dup {
				err = heed.FieldErrorf(heed.EInvalid, "external_id", "external id %q is also on line %d", r.ExternalID, first)
			}
			seen[k] = line
		}
		if c := heed.ErrorCode(err); err != nil && c != heed.EInvalid && c != heed.ENotFound {
			return nil, err // not the item's fault: an outage, a bug
		}
		if err != nil {
			errs = append(errs, heed.RowError{File: file, Line: line, Field: heed.ErrorField(err), Problem: heed.ErrorMessage(err)})
			continue
		}
		out = append(out, r)
	}
	if len(errs) > 0 {
		return nil, &heed.Error{Code: heed.EInvalid, Message: fmt.Sprintf("%d of %d responses have problems; nothing was written", len(errs), len(in)), Err: errs}
	}
	return out, nil
}

func (s *Service) checkInput(ctx context.Context, q heed.Queries, surveys map[string]heed.Survey, channel string, x ResponseInput, now time.Time) (heed.Response, error) {
	sv, ok := surveys[x.Survey]
	if !ok {
		var err error
		if sv, err = q.GetSurvey(ctx, x.Survey); err != nil {
			if heed.IsNotFound(err) {
				return heed.Response{}, heed.FieldErrorf(heed.EInvalid, "survey", "no survey %q", x.Survey)
			}
			return heed.Response{}, err
		}
		surveys[x.Survey] = sv
	}
	if x.Score == nil {
		return heed.Response{}, heed.FieldErrorf(heed.EInvalid, "score", "score is required")
	}
	r := heed.Response{
		SurveyID: sv.ID, Survey: sv.Key, Channel: channel, Score: *x.Score, Comment: x.Comment,
		Answers: x.Answers, Hidden: x.Hidden, Language: x.Language, ExternalID: strings.TrimSpace(x.ExternalID),
	}
	if r.Language == "" {
		r.Language = sv.Language
	}
	if x.AnsweredAt != nil {
		if x.AnsweredAt.After(now.Add(5 * time.Minute)) {
			return r, heed.FieldErrorf(heed.EInvalid, "answered_at", "answered_at %s is in the future", x.AnsweredAt.Format(time.RFC3339))
		}
		r.CreatedAt = x.AnsweredAt.UTC()
	}
	if err := checkHiddenValues(sv, r.Hidden); err != nil {
		return r, err
	}
	if err := s.resolveWho(ctx, q, &r, x); err != nil {
		return r, err
	}
	return r, CheckResponse(sv, normalizeAnswers(r))
}

// normalizeAnswers makes JSON-decoded answers ([]any) the stored form.
func normalizeAnswers(r heed.Response) heed.Response {
	for k, v := range r.Answers {
		if l, ok := v.([]any); ok {
			if ss := asStrings(l); ss != nil {
				r.Answers[k] = ss
			}
		}
	}
	return r
}

// resolveWho files the response under its customer (and their unit) or,
// without one, under the unit named.
func (s *Service) resolveWho(ctx context.Context, q heed.Queries, r *heed.Response, x ResponseInput) error {
	if x.Customer != "" {
		c, err := q.GetCustomer(ctx, heed.Scope{All: true}, x.Customer)
		if heed.IsNotFound(err) {
			return heed.FieldErrorf(heed.EInvalid, "customer", "no customer %q", x.Customer)
		}
		if err != nil {
			return err
		}
		r.CustomerID, r.Customer, x.Unit = c.ID, c.ExternalID, c.Unit
	}
	if x.Unit == "" {
		return nil
	}
	u, err := q.GetUnit(ctx, x.Unit)
	if heed.IsNotFound(err) {
		return heed.FieldErrorf(heed.EInvalid, "unit", "no unit %q", x.Unit)
	}
	if err != nil {
		return err
	}
	r.UnitID, r.Unit = u.ID, u.Key
	return nil
}

// ListResponses returns the responses p may see, newest first.
func (s *Service) ListResponses(ctx context.Context, p heed.Principal, surveyKey string, f heed.ResponseFilter) ([]heed.Response, error) {
	if surveyKey != "" {
		sv, err := s.store.GetSurvey(ctx, surveyKey)
		if err != nil {
			return nil, err
		}
		f.SurveyID = sv.ID
	}
	if f.Unit != "" {
		// A unit p may not see answers 404, as everywhere else.
		u, err := s.store.GetUnit(ctx, f.Unit)
		if err != nil && !heed.IsNotFound(err) {
			return nil, err
		}
		if err != nil || !p.Scope().CoversUnit(u.ID, u.Path) {
			return nil, heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", f.Unit)
		}
	}
	return s.store.ListResponses(ctx, p.Scope(), f)
}

// GetResponse returns one response if p may see it.
func (s *Service) GetResponse(ctx context.Context, p heed.Principal, id int64) (heed.Response, error) {
	return s.store.GetResponse(ctx, p.Scope(), id)
}

// ListInvitations returns the invitations p may see, newest first.
func (s *Service) ListInvitations(ctx context.Context, p heed.Principal, surveyKey, programKey string, f heed.InvitationFilter) ([]heed.Invitation, error) {
	if !f.Delivery.Valid() {
		return nil, heed.FieldErrorf(heed.EInvalid, "delivery", "delivery %q must be one of %s", f.Delivery, heed.DeliveryStates())
	}
	if surveyKey != "" {
		sv, err := s.store.GetSurvey(ctx, surveyKey)
		if err != nil {
			return nil, err
		}
		f.SurveyID = sv.ID
	}
	if programKey != "" {
		pr, err := s.store.GetProgram(ctx, programKey)
		if err != nil {
			return nil, err
		}
		f.ProgramID = pr.ID
	}
	return s.store.ListInvitations(ctx, p.Scope(), f)
}
