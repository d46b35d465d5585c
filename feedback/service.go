// Package feedback brings in what customers say everywhere — reviews,
// tickets, call transcripts, social posts, complaints, interview notes,
// and every survey answer's comment — as feedback items, each read when
// it is stored (language, sentiment, themes: package textan). The REST
// API, the CLI's imports and the pages call it; who may see which item
// is decided here.
package feedback

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/textan"
)

// Hook runs in the transaction that stored an item which changed (old is
// nil when it is new): where the rules act on it.
type Hook func(ctx context.Context, q heed.Queries, it heed.FeedbackItem, old *heed.FeedbackItem, now time.Time) error

// Config is what the service needs.
type Config struct {
	// OnItem, if set, runs for every new or changed item that is not a
	// survey comment (a survey's answer went through the rules already).
	OnItem Hook
	Logger *slog.Logger
	Now    func() time.Time // nil: time.Now
}

// Service stores and reads feedback items.
type Service struct {
	store heed.Store
	cfg   Config
	log   *slog.Logger
	tax   *taxCache
}

// New returns a Service over store.
func New(store heed.Store, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cmp.Or(cfg.Logger, slog.Default())
	return &Service{store: store, cfg: cfg, log: log, tax: newTaxCache()}
}

// taxonomy is the themes items are read with: the organisation's, read
// through q at most every TaxonomyRefresh (see taxCache).
func (s *Service) taxonomy(ctx context.Context, q heed.TaxonomyQueries) *textan.Taxonomy {
	return s.tax.current(ctx, q, s.log)
}

// SurveySource is the source of the items made from survey comments;
// their external id is the response's id.
const SurveySource = "survey"

// MaxBatch is the most items one request or import batch may carry.
const MaxBatch = 1000

// Input is one item as the API and imports take it.
type Input struct {
	Kind       heed.FeedbackKind `json:"kind"`
	Source     string            `json:"source"`      // the system it comes from: google, zendesk, aircall…
	ExternalID string            `json:"external_id"` // its id there: sending it again updates it
	Title      string            `json:"title,omitempty"`
	Text       string            `json:"text,omitempty"`
	Turns      []heed.Turn       `json:"turns,omitempty"` // transcripts: the customer's turns are read
	Rating     *int              `json:"rating,omitempty"`
	Platform   string            `json:"platform,omitempty"`
	At         *time.Time        `json:"at,omitempty"` // when it was said; default now
	Language   string            `json:"language,omitempty"`
	Customer   string            `json:"customer,omitempty"` // external id
	Email      string            `json:"email,omitempty"`    // matches a customer when Customer does not
	Author     string            `json:"author,omitempty"`   // the name or handle given
	Unit       string            `json:"unit,omitempty"`     // a unit key: the store or location it is about
	Line       int               `json:"-"`                  // the line of an import file, for errors
}

// Recorded is what became of one input.
type Recorded struct {
	ID        int64                 `json:"id"`
	Created   bool                  `json:"created"`
	Changed   bool                  `json:"changed"` // false: sent before exactly so, nothing done
	Customer  string                `json:"customer,omitempty"`
	Unit      string                `json:"unit,omitempty"`
	Language  string                `json:"language"`
	Sentiment *textan.Sentiment     `json:"sentiment"`
	Themes    []textan.ThemeMention `json:"themes"`
}

// Record stores items from any source (admins and admin tokens). Every
// input is checked first and every problem is listed with its line;
// nothing is written unless all pass, and then all in one transaction.
// Sending an item again (same source and external id) updates it; sent
// exactly as before, it changes nothing and fires nothing.
func (s *Service) Record(ctx context.Context, p heed.Principal, file string, in []Input) ([]Recorded, error) {
	if !p.IsAdmin() {
		return nil, heed.Errorf(heed.EForbidden, "only admins may record feedback")
	}
	file = cmp.Or(file, "request")
	if len(in) > MaxBatch {
		return nil, heed.Errorf(heed.EInvalid, "%d items in one batch: at most %d", len(in), MaxBatch)
	}
	now := s.cfg.Now()
	items, recs, err := s.check(ctx, file, in, now)
	// An item named twice in one batch would be written twice and fire
	// the rules twice as new: refused, as imports refuse it.
	if dups := twice(file, in); len(dups) > 0 {
		var errs heed.RowErrors
		if err != nil && !errors.As(err, &errs) {
			return nil, err
		}
		errs = append(errs, dups...)
		slices.SortStableFunc(errs, func(a, b heed.RowError) int { return cmp.Compare(a.Line, b.Line) })
		return nil, errs
	}
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		return s.write(ctx, q, items, recs, now)
	})
	if err != nil {
		return nil, err
	}
	return recs, nil
}

// write upserts the checked items and runs the hook for the changed ones.
func (s *Service) write(ctx context.Context, q heed.Queries, items []heed.FeedbackItem, recs []Recorded, now time.Time) error {
	olds := make([]*heed.FeedbackItem, len(items))
	if s.cfg.OnItem != nil {
		for i, it := range items {
			old, err := q.GetFeedbackBySource(ctx, it.Source, it.ExternalID)
			if err == nil {
				olds[i] = &old
			} else if !heed.IsNotFound(err) {
				return err
			}
		}
	}
	res, err := q.UpsertFeedback(ctx, items, now)
	if err != nil {
		return err
	}
	for i, r := range res {
		recs[i].ID, recs[i].Created, recs[i].Changed = r.ID, r.Created, r.Changed
		if !r.Changed || s.cfg.OnItem == nil {
			continue
		}
		it := items[i]
		it.ID = r.ID
		if err := s.cfg.OnItem(ctx, q, it, olds[i], now); err != nil {
			return fmt.Errorf("feedback item %s/%s: %w", it.Source, it.ExternalID, err)
		}
	}
	return nil
}

// check turns inputs into items, read and matched, or lists every
// problem. The batch is read with one taxonomy, taken once.
func (s *Service) check(ctx context.Context, file string, in []Input, now time.Time) ([]heed.FeedbackItem, []Recorded, error) {
	var rowErrs heed.RowErrors
	items := make([]heed.FeedbackItem, 0, len(in))
	recs := make([]Recorded, 0, len(in))
	units := map[string]heed.Unit{}
	tax := s.taxonomy(ctx, s.store)
	for i, x := range in {
		line := cmp.Or(x.Line, i+1)
		it, rec, err := s.checkOne(ctx, x, units, tax, now)
		if err != nil {
			rowErrs = append(rowErrs, heed.RowError{File: file, Line: line, Field: heed.ErrorField(err), Problem: heed.ErrorMessage(err)})
			continue
		}
		items, recs = append(items, it), append(recs, rec)
	}
	if len(rowErrs) > 0 {
		return nil, nil, rowErrs
	}
	return items, recs, nil
}

func (s *Service) checkOne(ctx context.Context, x Input, units map[string]heed.Unit, tax *textan.Taxonomy, now time.Time) (heed.FeedbackItem, Recorded, error) {
	it := heed.FeedbackItem{Kind: x.Kind, Source: strings.TrimSpace(x.Source), ExternalID: strings.TrimSpace(x.ExternalID),
		Title: strings.TrimSpace(x.Title), Text: strings.TrimSpace(x.Text), Turns: x.Turns, Rating: x.Rating,
		Platform: strings.TrimSpace(x.Platform), Author: strings.TrimSpace(x.Author), At: now}
	switch {
	case !x.Kind.Valid() || x.Kind == heed.FeedbackSurvey:
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "kind", "kind %q must be one of review, ticket, transcript, social, complaint, interview or note", x.Kind)
	case it.Source == SurveySource:
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "source", "source %q is Heed's own survey comments", SurveySource)
	case it.Source == "":
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "source", "an item needs its source (google, zendesk, …)")
	case it.ExternalID == "":
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "external_id", "an item needs its id in its source")
	case it.Text == "" && len(it.Turns) == 0:
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "text", "an item needs its text (or, for a transcript, its turns)")
	case x.Rating != nil && (*x.Rating < 1 || *x.Rating > 5):
		return it, Recorded{}, heed.FieldErrorf(heed.EInvalid, "rating", "a rating is 1 to 5 stars, not %d", *x.Rating)
	}
	if x.At != nil {
		it.At = *x.At
	}
	if it.Text == "" {
		it.Text = customerWords(it.Turns)
	}
	if err := s.match(ctx, &it, x, units); err != nil {
		return it, Recorded{}, err
	}
	rec := readWith(&it, x.Language, tax)
	rec.Customer, rec.Unit = it.Customer, it.Unit
	return it, rec, nil
}

// customerWords are what the customer said in a transcript: their turns,
// or every turn when no speaker is marked as the customer.
func customerWords(turns []heed.Turn) string {
	var b strings.Builder
	for _, t := range turns {
		if t.Customer() {
			b.WriteString(strings.TrimSpace(t.Text))
			b.WriteString("\n")
		}
	}
	if b.Len() == 0 {
		for _, t := range turns {
			b.WriteString(strings.TrimSpace(t.Text))
			b.WriteString("\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// match finds who said it and where: the customer by external id, else
// by email, else nobody (the name or handle stays as Author); the unit
// the item names, else the customer's.
func (s *Service) match(ctx context.Context, it *heed.FeedbackItem, x Input, units map[string]heed.Unit) error {
	var c heed.Customer
	var err error
	found := false
	if ext := strings.TrimSpace(x.Customer); ext != "" {
		if c, err = s.store.GetCustomer(ctx, heed.Scope{All: true}, ext); err == nil {
			found = true
		} else if !heed.IsNotFound(err) {
			return err
		}
	}
	if email := strings.TrimSpace(x.Email); !found && email != "" {
		if c, err = s.store.GetCustomerByEmail(ctx, email); err == nil {
			found = true
		} else if !heed.IsNotFound(err) {
			return err
		}
	}
	if found {
		it.CustomerID, it.Customer, it.CustomerName, it.Unit = c.ID, c.ExternalID, c.Name, c.Unit
	} else {
		it.Author = cmp.Or(it.Author, strings.TrimSpace(x.Customer), strings.TrimSpace(x.Email))
	}
	if key := strings.TrimSpace(x.Unit); key != "" {
		it.Unit = key
	}
	if it.Unit == "" {
		return nil
	}
	u, ok := units[it.Unit]
	if !ok {
		if u, err = s.store.GetUnit(ctx, it.Unit); heed.IsNotFound(err) {
			return heed.FieldErrorf(heed.ENotFound, "unit", "no unit %q", it.Unit)
		} else if err != nil {
			return err
		}
		units[it.Unit] = u
	}
	it.UnitID = u.ID
	return nil
}

// readWith analyses the item's text with tax: its language (as given,
// else detected), sentiment and themes.
func readWith(it *heed.FeedbackItem, lang string, tax *textan.Taxonomy) Recorded {
	res := textan.AnalyzeAs(it.Text, strings.ToLower(strings.TrimSpace(lang)), tax)
	it.Language = res.Language
	it.Sentiment, it.Label = nil, ""
	if res.Sentiment != nil {
		v := res.Sentiment.Score
		it.Sentiment, it.Label = &v, string(res.Sentiment.Label)
	}
	it.Themes = make([]heed.FeedbackTheme, 0, len(res.Themes))
	for _, m := range res.Themes {
		it.Themes = append(it.Themes, heed.FeedbackTheme{Theme: m.Theme, Sentiment: m.Sentiment, Mentions: m.Mentions})
	}
	return Recorded{Language: res.Language, Sentiment: res.Sentiment, Themes: res.Themes}
}

// OnResponse makes a survey answer's comment a feedback item (source
// "survey", external id the response's id), in the transaction that
// stores the answer, so comments are searched and analysed as every
// other item. An answer without a comment makes none.
func (s *Service) OnResponse(ctx context.Context, q heed.Queries, r heed.Response, old *heed.Response, now time.Time) error {
	if strings.TrimSpace(r.Comment) == "" {
		return nil
	}
	it := heed.FeedbackItem{Kind: heed.FeedbackSurvey, Source: SurveySource, ExternalID: strconv.FormatInt(r.ID, 10),
		Title: r.Survey, Text: strings.TrimSpace(r.Comment), At: r.CreatedAt, CustomerID: r.CustomerID, Customer: r.Customer,
		UnitID: r.UnitID, Unit: r.Unit, ResponseID: r.ID}
	if it.At.IsZero() {
		it.At = now
	}
	readWith(&it, r.Language, s.taxonomy(ctx, q))
	_, err := q.UpsertFeedback(ctx, []heed.FeedbackItem{it}, now)
	return err
}

// List returns the items p may see that f selects, newest first.
func (s *Service) List(ctx context.Context, p heed.Principal, f heed.FeedbackFilter) ([]heed.FeedbackItem, error) {
	if !p.Role.Valid() {
		return nil, heed.Errorf(heed.EForbidden, "sign in to read feedback")
	}
	if f.Kind != "" && !f.Kind.Valid() {
		return nil, heed.FieldErrorf(heed.EInvalid, "kind", "unknown kind %q", f.Kind)
	}
	switch f.Label {
	case "", string(textan.Negative), string(textan.Neutral), string(textan.Positive):
	default:
		return nil, heed.FieldErrorf(heed.EInvalid, "sentiment", "sentiment %q must be negative, neutral or positive", f.Label)
	}
	items, err := s.store.ListFeedback(ctx, p.Scope(), f)
	for i := range items {
		hideCustomer(p.Scope(), &items[i])
	}
	return items, err
}

// hideCustomer leaves out who the customer is when the reader may see
// the item — it is about their unit — but not the customer, who belongs
// to another part of the organisation: the author (a name or handle as
// given) stays.
func hideCustomer(scope heed.Scope, it *heed.FeedbackItem) {
	if it.CustomerID == 0 || scope.CoversUnit(it.CustomerUnitID, it.CustomerUnitPath) ||
		(scope.OwnerID != 0 && scope.OwnerID == it.CustomerOwnerID) {
		return
	}
	it.CustomerID, it.Customer, it.CustomerName = 0, "", ""
}

// Get returns one item p may see.
func (s *Service) Get(ctx context.Context, p heed.Principal, id int64) (heed.FeedbackItem, error) {
	if !p.Role.Valid() {
		return heed.FeedbackItem{}, heed.Errorf(heed.EForbidden, "sign in to read feedback")
	}
	it, err := s.store.GetFeedback(ctx, p.Scope(), id)
	hideCustomer(p.Scope(), &it)
	return it, err
}
