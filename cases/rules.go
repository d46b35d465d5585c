package cases

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/metrics"
	"github.com/heedhq/heed/survey"
)

// Rules lists every rule in the order they are applied. Admins and
// analysts read them.
func (s *Service) Rules(ctx context.Context, p heed.Principal) ([]heed.Rule, error) {
	if !p.SeesAll() {
		return nil, heed.Errorf(heed.EForbidden, "only admins and analysts may read rules")
	}
	return s.store.ListRules(ctx)
}

// Rule returns one rule.
func (s *Service) Rule(ctx context.Context, p heed.Principal, key string) (heed.Rule, error) {
	if !p.SeesAll() {
		return heed.Rule{}, heed.Errorf(heed.EForbidden, "only admins and analysts may read rules")
	}
	return s.store.GetRule(ctx, key)
}

// CreateRule adds a rule after checking it.
func (s *Service) CreateRule(ctx context.Context, p heed.Principal, r heed.Rule) (heed.Rule, error) {
	if err := requireAdmin(p, "add rules"); err != nil {
		return heed.Rule{}, err
	}
	if err := s.checkRule(ctx, &r); err != nil {
		return heed.Rule{}, err
	}
	return s.store.CreateRule(ctx, r, s.now())
}

// UpdateRule rewrites the rule with r.Key.
func (s *Service) UpdateRule(ctx context.Context, p heed.Principal, r heed.Rule) (heed.Rule, error) {
	if err := requireAdmin(p, "change rules"); err != nil {
		return heed.Rule{}, err
	}
	if err := s.checkRule(ctx, &r); err != nil {
		return heed.Rule{}, err
	}
	return s.store.UpdateRule(ctx, r, s.now())
}

// DeleteRule removes a rule; cases it opened stay.
func (s *Service) DeleteRule(ctx context.Context, p heed.Principal, key string) error {
	if err := requireAdmin(p, "delete rules"); err != nil {
		return err
	}
	return s.store.DeleteRule(ctx, key)
}

// checkRule fills defaults and refuses a rule that could never work as
// written, naming the field.
func (s *Service) checkRule(ctx context.Context, r *heed.Rule) error {
	r.Name = strings.TrimSpace(r.Name)
	if err := survey.CheckName(r.Name); err != nil {
		return err
	}
	if r.Key == "" {
		r.Key = survey.Slug(r.Name)
	}
	if err := survey.CheckObjectKey(r.Key); err != nil {
		return err
	}
	if err := s.checkConditions(ctx, &r.When); err != nil {
		return err
	}
	if len(r.Then) == 0 {
		return heed.FieldErrorf(heed.EInvalid, "then", "a rule needs at least one action")
	}
	for i := range r.Then {
		if err := s.checkAction(ctx, i, &r.Then[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkConditions(ctx context.Context, w *heed.RuleConditions) error {
	for i, k := range w.Surveys {
		if _, err := s.store.GetSurvey(ctx, k); err != nil {
			return fieldOf(err, fmt.Sprintf("when.surveys[%d]", i))
		}
	}
	if w.Category != "" && !slices.Contains(metrics.Categories(), w.Category) {
		return heed.FieldErrorf(heed.EInvalid, "when.category", "category %q must be detractor, passive or promoter", w.Category)
	}
	if w.MinScore != nil && w.MaxScore != nil && *w.MinScore > *w.MaxScore {
		return heed.FieldErrorf(heed.EInvalid, "when.min_score", "min_score %d is above max_score %d", *w.MinScore, *w.MaxScore)
	}
	for i, word := range w.Words {
		w.Words[i] = strings.TrimSpace(word)
		if w.Words[i] == "" || heed.TextProblem(word) != "" {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("when.words[%d]", i), "a word must be text, not empty")
		}
	}
	if w.Unit != "" {
		if _, err := s.store.GetUnit(ctx, w.Unit); err != nil {
			return fieldOf(err, "when.unit")
		}
	}
	for i, ch := range w.Channels {
		if kind := heed.FeedbackKind(ch); !slices.Contains(heed.Channels(), ch) && (!kind.Valid() || kind == heed.FeedbackSurvey) {
			return heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("when.channels[%d]", i), "unknown channel %q; one of %s, or a feedback kind (review, ticket, transcript, social, complaint, interview, note)",
				ch, strings.Join(heed.Channels(), ", "))
		}
	}
	return nil
}

func (s *Service) checkAction(ctx context.Context, i int, a *heed.RuleAction) error {
	field := func(name string) string { return fmt.Sprintf("then[%d].%s", i, name) }
	if !heed.ValidActionKind(a.Kind) {
		return heed.FieldErrorf(heed.EInvalid, field("kind"), "unknown action %q; one of %s", a.Kind,
			strings.Join(heed.RuleActionKinds(), ", "))
	}
	switch a.Kind {
	case heed.ActionNotifyManagers:
		if a.Levels == 0 {
			a.Levels = 1
		}
		if a.Levels < 1 || a.Levels > 5 {
			return heed.FieldErrorf(heed.EInvalid, field("levels"), "levels must be between 1 and 5")
		}
	case heed.ActionWebhook:
		if _, err := s.store.GetWebhook(ctx, a.Webhook); err != nil {
			return fieldOf(err, field("webhook"))
		}
	case heed.ActionTag:
		a.Tag = strings.TrimSpace(a.Tag)
		if a.Tag == "" || len(a.Tag) > 64 || heed.TextProblem(a.Tag) != "" {
			return heed.FieldErrorf(heed.EInvalid, field("tag"), "a tag is 1–64 characters of text")
		}
	case heed.ActionAdvocacy:
		if a.URL != "" {
			if u, err := url.Parse(a.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return heed.FieldErrorf(heed.EInvalid, field("url"), "url %q must be an absolute http or https URL", a.URL)
			}
		}
	}
	return nil
}

// fieldOf names field on a not-found error from a lookup.
func fieldOf(err error, field string) error {
	if heed.IsNotFound(err) {
		return heed.FieldErrorf(heed.ENotFound, field, "%s", heed.ErrorMessage(err))
	}
	return err
}

// facts are what rule conditions test of one response.
type facts struct {
	r        heed.Response
	item     *heed.FeedbackItem // set when the facts are an item's (r then holds its customer, unit, kind and text)
	kind     heed.SurveyKind
	category string
	customer *heed.Customer // nil when anonymous
	unitPath string
	comment  string // folded
}

// matches reports whether every condition of w holds for f. unitPath
// finds the path of the condition's unit.
func matches(w heed.RuleConditions, f facts, unitPath string) bool {
	switch {
	case f.item != nil && (len(w.Surveys) > 0 || w.MinScore != nil || w.MaxScore != nil):
		return false // surveys and score ranges are about survey answers
	case len(w.Surveys) > 0 && !slices.Contains(w.Surveys, f.r.Survey):
		return false
	case w.Category != "" && w.Category != f.category:
		return false
	case w.MinScore != nil && f.r.Score < *w.MinScore, w.MaxScore != nil && f.r.Score > *w.MaxScore:
		return false
	case len(w.Channels) > 0 && !slices.Contains(w.Channels, f.r.Channel):
		return false
	case w.Unit != "" && (unitPath == "" || !strings.HasPrefix(f.unitPath, unitPath)):
		return false
	case len(w.Segments) > 0 && (f.customer == nil || !slices.Contains(w.Segments, f.customer.Segment)):
		return false
	case w.MinValue != nil && (f.customer == nil || f.customer.Value < *w.MinValue):
		return false
	}
	if len(w.Words) == 0 {
		return true
	}
	for _, word := range w.Words {
		if hasWord(f.comment, heed.Fold(word)) {
			return true
		}
	}
	return false
}

// factsOf gathers what the conditions need of r; lookups are cached in
// c, for the many responses of a trial run. The customer is read only
// when withCustomer (a trial of a rule that tests no segment or value
// does without).
func factsOf(ctx context.Context, q heed.Queries, r heed.Response, c *lookups, withCustomer bool) (facts, error) {
	f := facts{r: r, comment: heed.Fold(r.Comment)}
	sv, err := c.survey(ctx, q, r.SurveyID)
	if err != nil {
		return f, err
	}
	f.kind = sv.Kind
	f.r.Survey = sv.Key
	f.category = metrics.Category(sv.Kind, r.Score)
	if r.UnitID != 0 {
		if f.unitPath, err = c.unitPath(ctx, q, r.UnitID); err != nil {
			return f, err
		}
	}
	if withCustomer && r.CustomerID != 0 && r.Customer != "" {
		if f.customer, err = c.customer(ctx, q, r); err != nil {
			return f, err
		}
	}
	return f, nil
}

// lookups caches surveys, unit paths and customers for one batch of
// responses.
type lookups struct {
	surveys   map[int64]heed.Survey
	paths     map[int64]string
	keys      map[string]string        // unit key → path ("" when unknown)
	customers map[int64]*heed.Customer // nil when gone
}

func newLookups() *lookups {
	return &lookups{surveys: map[int64]heed.Survey{}, paths: map[int64]string{}, keys: map[string]string{},
		customers: map[int64]*heed.Customer{}}
}

func (c *lookups) survey(ctx context.Context, q heed.Queries, id int64) (heed.Survey, error) {
	if sv, ok := c.surveys[id]; ok {
		return sv, nil
	}
	sv, err := q.GetSurveyByID(ctx, id)
	if err != nil {
		return sv, err
	}
	c.surveys[id] = sv
	return sv, nil
}

// customer is r's customer, nil when it no longer exists.
func (c *lookups) customer(ctx context.Context, q heed.Queries, r heed.Response) (*heed.Customer, error) {
	if cust, ok := c.customers[r.CustomerID]; ok {
		return cust, nil
	}
	cust, err := q.GetCustomer(ctx, heed.Scope{All: true}, r.Customer)
	if heed.IsNotFound(err) {
		c.customers[r.CustomerID] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.customers[r.CustomerID] = &cust
	return &cust, nil
}

func (c *lookups) unitPath(ctx context.Context, q heed.Queries, id int64) (string, error) {
	if p, ok := c.paths[id]; ok {
		return p, nil
	}
	u, err := q.GetUnitByID(ctx, id)
	if err != nil {
		return "", err
	}
	c.paths[id] = u.Path
	return u.Path, nil
}

func (c *lookups) keyPath(ctx context.Context, q heed.Queries, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	if p, ok := c.keys[key]; ok {
		return p, nil
	}
	u, err := q.GetUnit(ctx, key)
	if err != nil && !heed.IsNotFound(err) {
		return "", err
	}
	c.keys[key] = u.Path // a deleted unit's rule matches nothing
	return u.Path, nil
}

// Trial is what a rule would have done over past responses.
type Trial struct {
	From      time.Time       `json:"from"`
	To        time.Time       `json:"to"`
	Responses int             `json:"responses"` // examined
	Matched   int             `json:"matched"`   // "this rule would have fired 42 times"
	Customers int             `json:"customers"` // distinct customers among them
	Examples  []heed.Response `json:"examples"`  // the newest few
	// Truncated: the trial stopped after maxTrial responses, the newest;
	// the period may hold older ones it did not examine.
	Truncated bool `json:"truncated"`
}

// maxTrial bounds how many responses one trial reads.
const maxTrial = 200_000

// TryRule evaluates r, unsaved or saved, against the responses stored in
// [from, to) without doing anything: how often it would have fired.
func (s *Service) TryRule(ctx context.Context, p heed.Principal, r heed.Rule, from, to time.Time) (Trial, error) {
	if !p.SeesAll() {
		return Trial{}, heed.Errorf(heed.EForbidden, "only admins and analysts may try rules")
	}
	if err := s.checkConditions(ctx, &r.When); err != nil {
		return Trial{}, err
	}
	if !to.After(from) {
		return Trial{}, heed.FieldErrorf(heed.EInvalid, "to", "to must be after from")
	}
	t := Trial{From: from, To: to, Examples: []heed.Response{}}
	c := newLookups()
	unitPath, err := c.keyPath(ctx, s.store, r.When.Unit)
	if err != nil {
		return t, err
	}
	customers := map[int64]bool{}
	withCustomer := len(r.When.Segments) > 0 || r.When.MinValue != nil
	f := heed.ResponseFilter{From: from, To: to, Limit: 1000}
	for {
		if t.Responses >= maxTrial {
			t.Truncated = true
			break
		}
		page, err := s.store.ListResponses(ctx, heed.Scope{All: true}, f)
		if err != nil {
			return t, err
		}
		for _, resp := range page {
			t.Responses++
			fx, err := factsOf(ctx, s.store, resp, c, withCustomer)
			if err != nil {
				return t, err
			}
			if !matches(r.When, fx, unitPath) {
				continue
			}
			t.Matched++
			if resp.CustomerID != 0 {
				customers[resp.CustomerID] = true
			}
			if len(t.Examples) < 10 {
				t.Examples = append(t.Examples, resp)
			}
		}
		if len(page) < f.Limit {
			break
		}
		f.BeforeID = page[len(page)-1].ID
	}
	t.Customers = len(customers)
	return t, nil
}
