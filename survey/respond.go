package survey

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// ChangeWindow is how long a respondent may change their answer through
// the same link: it updates the response, never adds a second one.
const ChangeWindow = 24 * time.Hour

// LinkState is what a personal link leads to.
type LinkState string

const (
	LinkOpen    LinkState = "open"    // answer, or change the answer given
	LinkExpired LinkState = "expired" // never answered, and too old now
	LinkClosed  LinkState = "closed"  // answered more than ChangeWindow ago
	LinkUnknown LinkState = "unknown" // no such link
)

// Errors of answering through a link that can no longer take answers.
var (
	ErrExpired = heed.Errorf(heed.EConflict, "this survey link has expired")
	ErrClosed  = heed.Errorf(heed.EConflict, "this survey was answered more than 24 hours ago and can no longer be changed")
	ErrUnknown = heed.Errorf(heed.ENotFound, "no such survey link")
)

// Link is a personal link as its respondent finds it.
type Link struct {
	State      LinkState
	Invitation heed.Invitation
	Survey     heed.Survey
	Response   *heed.Response // the answer given so far, if any
	Lang       string         // the language to show
}

// OpenLink looks up the invitation of token and says what its page
// shows. Opening counts as "opened" (mail scanners open links too, so it
// never counts as an answer).
func (s *Service) OpenLink(ctx context.Context, token, acceptLanguage string) (Link, error) {
	l, err := s.link(ctx, s.store, token, acceptLanguage)
	if err != nil || l.State == LinkUnknown {
		return l, err
	}
	if l.Invitation.OpenedAt == nil {
		if err := s.store.MarkOpened(ctx, l.Invitation.ID, s.now()); err != nil {
			return l, err
		}
	}
	return l, nil
}

func (s *Service) link(ctx context.Context, q heed.Queries, token, acceptLanguage string) (Link, error) {
	if len(token) < 16 || len(token) > 128 {
		return Link{State: LinkUnknown}, nil
	}
	hash := HashToken(token)
	inv, err := q.GetInvitationByToken(ctx, hash)
	if heed.IsNotFound(err) {
		return Link{State: LinkUnknown}, nil
	}
	if err != nil {
		return Link{}, err
	}
	// The lookup went by hash; compare again in constant time so the rule
	// holds even if an index ever matched loosely.
	if subtle.ConstantTimeCompare([]byte(inv.TokenHash), []byte(hash)) != 1 {
		return Link{State: LinkUnknown}, nil
	}
	sv, err := q.GetSurveyByID(ctx, inv.SurveyID)
	if err != nil {
		return Link{}, err
	}
	l := Link{Invitation: inv, Survey: sv, State: LinkOpen, Lang: inv.Language}
	if l.Lang == "" {
		l.Lang = Language(sv, "", acceptLanguage)
	}
	r, err := q.GetResponseByInvitation(ctx, inv.ID)
	switch {
	case err == nil:
		l.Response = &r
		if s.now().Sub(r.CreatedAt) > ChangeWindow {
			l.State = LinkClosed
		}
	case heed.IsNotFound(err):
		if !s.now().Before(inv.ExpiresAt) {
			l.State = LinkExpired
		}
	default:
		return Link{}, err
	}
	return l, nil
}

// Answer is what a respondent sends: any part may be missing when they
// change only part of an earlier answer.
type Answer struct {
	Score    *int
	Comment  *string
	Answers  map[string][]string // question id → the values posted
	Language string
}

// Receipt is what answering did.
type Receipt struct {
	Response heed.Response
	Created  bool   // a new response; false when an earlier one was changed
	Reward   string // the reward code given, if the survey hands them out
}

// AnswerLink records or changes the answer of the invitation of token.
// The first answer marks the invitation answered, takes a reward code when
// the survey gives them and queues the thank-you email, all in one
// transaction.
func (s *Service) AnswerLink(ctx context.Context, token string, a Answer) (Receipt, error) {
	rc, err := s.answerLinkTx(ctx, token, a)
	if heed.ErrorCode(err) == heed.EConflict && !errors.Is(err, ErrClosed) && !errors.Is(err, ErrExpired) {
		// Two first answers at once (a double tap, the background confirm
		// and Send): the loser's insert met the winner's response. Again,
		// it finds that response and changes it.
		rc, err = s.answerLinkTx(ctx, token, a)
	}
	return rc, err
}

func (s *Service) answerLinkTx(ctx context.Context, token string, a Answer) (Receipt, error) {
	var rc Receipt
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		l, err := s.link(ctx, q, token, "")
		if err != nil {
			return err
		}
		switch l.State {
		case LinkUnknown:
			return ErrUnknown
		case LinkExpired:
			return ErrExpired
		case LinkClosed:
			return ErrClosed
		}
		if a.Language == "" {
			a.Language = l.Lang
		}
		rc, err = s.answerLink(ctx, q, l, a)
		return err
	})
	return rc, err
}

func (s *Service) answerLink(ctx context.Context, q heed.Queries, l Link, a Answer) (Receipt, error) {
	now := s.now()
	if l.Response != nil {
		r, err := mergeAnswer(l.Survey, *l.Response, a)
		if err != nil {
			return Receipt{}, err
		}
		r, err = q.UpdateResponse(ctx, r, now)
		if err != nil {
			return Receipt{}, err
		}
		if err := s.written(ctx, q, r, l.Response, now); err != nil {
			return Receipt{}, err
		}
		code, err := s.reward(ctx, q, l.Survey, r, now)
		return Receipt{Response: r, Reward: code}, err
	}
	r := heed.Response{
		SurveyID: l.Survey.ID, Survey: l.Survey.Key, InvitationID: l.Invitation.ID,
		CustomerID: l.Invitation.CustomerID, Customer: l.Invitation.Customer,
		UnitID: l.Invitation.UnitID, Channel: l.Invitation.Channel, Hidden: l.Invitation.Hidden,
	}
	r, err := mergeAnswer(l.Survey, r, a)
	if err != nil {
		return Receipt{}, err
	}
	if r, err = q.CreateResponse(ctx, r, now); err != nil {
		return Receipt{}, err
	}
	if err := s.written(ctx, q, r, nil, now); err != nil {
		return Receipt{}, err
	}
	code, err := s.reward(ctx, q, l.Survey, r, now)
	if err != nil {
		return Receipt{}, err
	}
	if l.Invitation.Channel == heed.ChannelEmail {
		pl := EmailPayload{Invitation: l.Invitation.ID, Kind: EmailThanks}
		if _, err := jobs.Enqueue(ctx, q, EmailJob, pl, now); err != nil {
			return Receipt{}, err
		}
	}
	return Receipt{Response: r, Created: true, Reward: code}, nil
}

// reward gives the response its code when the survey hands them out; an
// empty pool is logged, not an error: the answer counts all the same.
func (s *Service) reward(ctx context.Context, q heed.Queries, sv heed.Survey, r heed.Response, now time.Time) (string, error) {
	if !sv.Reward {
		return "", nil
	}
	code, err := q.TakeRewardCode(ctx, sv.ID, r.ID, now)
	if heed.IsNotFound(err) {
		s.log.Warn("survey: reward pool is empty; answer thanked without a code", "survey", sv.Key, "response", r.ID)
		return "", nil
	}
	return code, err
}

// mergeAnswer applies a to r after checking it against the survey: a new
// response needs a score; a change keeps what a leaves out.
func mergeAnswer(sv heed.Survey, r heed.Response, a Answer) (heed.Response, error) {
	if a.Score != nil {
		r.Score = *a.Score
	} else if r.ID == 0 {
		return r, heed.FieldErrorf(heed.EInvalid, "score", "score is required")
	}
	if a.Comment != nil {
		r.Comment = *a.Comment
	}
	if a.Language != "" {
		r.Language = a.Language
	}
	answers, err := parseAnswers(sv, a.Answers)
	if err != nil {
		return r, err
	}
	merged := map[string]any{}
	for k, v := range r.Answers {
		// An answer to a question or option the admin has since removed
		// is dropped, so it cannot lock the respondent out of changing
		// the rest.
		if checkAnswer(sv, k, v) == nil {
			merged[k] = v
		}
	}
	for k, v := range answers {
		merged[k] = v
	}
	r.Answers = merged
	return r, CheckResponse(sv, r)
}

// parseAnswers turns posted values into typed answers: a string for
// single and text questions, a list of strings for multiple.
func parseAnswers(sv heed.Survey, posted map[string][]string) (map[string]any, error) {
	out := map[string]any{}
	for id, vals := range posted {
		i := slices.IndexFunc(sv.Questions, func(q heed.Question) bool { return q.ID == id })
		if i < 0 {
			return nil, heed.FieldErrorf(heed.EInvalid, "answers."+id, "survey %q has no question %q", sv.Key, id)
		}
		switch sv.Questions[i].Type {
		case heed.QuestionMultiple:
			out[id] = slices.DeleteFunc(slices.Clone(vals), func(v string) bool { return v == "" })
		default:
			if len(vals) > 1 {
				return nil, heed.FieldErrorf(heed.EInvalid, "answers."+id, "question %q takes one answer, got %d", id, len(vals))
			}
			if len(vals) == 1 && vals[0] != "" {
				out[id] = vals[0]
			}
		}
	}
	return out, nil
}

// CheckResponse validates a response against its survey: score in the
// scale, comment and text answers at most MaxComment characters, answers
// only to the survey's questions and only with its options.
func CheckResponse(sv heed.Survey, r heed.Response) error {
	lo, hi := sv.Kind.Scale()
	if r.Score < lo || r.Score > hi {
		return heed.FieldErrorf(heed.EInvalid, "score", "score %d is out of range %d–%d for a %s survey", r.Score, lo, hi, sv.Kind)
	}
	if n := utf8.RuneCountInString(r.Comment); n > MaxComment {
		return heed.FieldErrorf(heed.EInvalid, "comment", "comment is %d characters; at most %d", n, MaxComment)
	}
	for field, v := range map[string]string{"comment": r.Comment, "language": r.Language, "external_id": r.ExternalID} {
		if p := heed.TextProblem(v); p != "" {
			return heed.FieldErrorf(heed.EInvalid, field, "%s %s", field, p)
		}
	}
	for id, v := range r.Answers {
		if err := checkAnswer(sv, id, v); err != nil {
			return err
		}
	}
	return nil
}

func checkAnswer(sv heed.Survey, id string, v any) error {
	field := "answers." + id
	i := slices.IndexFunc(sv.Questions, func(q heed.Question) bool { return q.ID == id })
	if i < 0 {
		return heed.FieldErrorf(heed.EInvalid, field, "survey %q has no question %q", sv.Key, id)
	}
	q := sv.Questions[i]
	switch q.Type {
	case heed.QuestionText:
		t, ok := v.(string)
		if !ok {
			return heed.FieldErrorf(heed.EInvalid, field, "question %q takes a text", id)
		}
		if n := utf8.RuneCountInString(t); n > MaxComment {
			return heed.FieldErrorf(heed.EInvalid, field, "answer is %d characters; at most %d", n, MaxComment)
		}
	case heed.QuestionSingle:
		t, ok := v.(string)
		if !ok || !slices.Contains(q.Options, t) {
			return heed.FieldErrorf(heed.EInvalid, field, "answer to %q must be one of %s", id, strings.Join(q.Options, ", "))
		}
	case heed.QuestionMultiple:
		for _, t := range asStrings(v) {
			if !slices.Contains(q.Options, t) {
				return heed.FieldErrorf(heed.EInvalid, field, "%q is not an option of %q (%s)", t, id, strings.Join(q.Options, ", "))
			}
		}
		if asStrings(v) == nil {
			return heed.FieldErrorf(heed.EInvalid, field, "question %q takes a list of options", id)
		}
	}
	return nil
}

// asStrings reads a multiple-choice answer as stored ([]string) or as
// decoded from JSON ([]any of strings); nil when it is neither.
func asStrings(v any) []string {
	switch x := v.(type) {
	case []string:
		if x == nil {
			return []string{}
		}
		return x
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil
			}
			out = append(out, s)
		}
		return out
	}
	return nil
}

// AnswerOpen records an anonymous answer through the survey's open link
// (channel "open") or its widget (channel "widget", from one of the
// survey's origins). Hidden fields the survey does not declare are
// dropped (links on receipts carry tracking parameters); a hidden field
// "unit" or "store" naming a unit files the answer under that unit.
func (s *Service) AnswerOpen(ctx context.Context, surveyKey, channel, origin string, hidden map[string]string, a Answer) (Receipt, error) {
	sv, err := s.store.GetSurvey(ctx, surveyKey)
	if err != nil {
		return Receipt{}, err
	}
	if err := openAllowed(sv, channel, origin); err != nil {
		return Receipt{}, err
	}
	r := heed.Response{SurveyID: sv.ID, Survey: sv.Key, Channel: channel, Hidden: map[string]string{}}
	for _, h := range sv.Hidden {
		if v, ok := hidden[h]; ok && utf8.RuneCountInString(v) <= maxHiddenSize {
			r.Hidden[h] = v
		}
	}
	if a.Language == "" {
		a.Language = sv.Language
	}
	if r, err = mergeAnswer(sv, r, a); err != nil {
		return Receipt{}, err
	}
	var rc Receipt
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		if err := fileUnderUnit(ctx, q, &r); err != nil {
			return err
		}
		now := s.now()
		created, err := q.CreateResponse(ctx, r, now)
		if err != nil {
			return err
		}
		if err := s.written(ctx, q, created, nil, now); err != nil {
			return err
		}
		code, err := s.reward(ctx, q, sv, created, now)
		rc = Receipt{Response: created, Created: true, Reward: code}
		return err
	})
	return rc, err
}

// OpenSurvey returns a survey for its anonymous link or widget, or
// ENotFound when that way in is switched off.
func (s *Service) OpenSurvey(ctx context.Context, surveyKey, channel, origin string) (heed.Survey, error) {
	sv, err := s.store.GetSurvey(ctx, surveyKey)
	if err != nil {
		return heed.Survey{}, err
	}
	return sv, openAllowed(sv, channel, origin)
}

func openAllowed(sv heed.Survey, channel, origin string) error {
	switch channel {
	case heed.ChannelOpen:
		if !sv.OpenLink {
			return heed.Errorf(heed.ENotFound, "survey %q has no open link", sv.Key)
		}
	case heed.ChannelWidget:
		if !AllowsOrigin(sv, origin) {
			return heed.Errorf(heed.EForbidden, "origin %q may not post answers to survey %q", origin, sv.Key)
		}
	default:
		return fmt.Errorf("survey: channel %q is not anonymous", channel)
	}
	return nil
}

// AllowsOrigin reports whether a browser page at origin may embed the
// survey's widget.
func AllowsOrigin(sv heed.Survey, origin string) bool {
	if origin == "" {
		return false
	}
	o := Origin(origin)
	return slices.ContainsFunc(sv.Origins, func(x string) bool { return Origin(x) == o })
}

// fileUnderUnit sets the unit of an anonymous response from its hidden
// "unit" or "store" field when that names a unit.
func fileUnderUnit(ctx context.Context, q heed.Queries, r *heed.Response) error {
	for _, f := range []string{"unit", "store"} {
		key := r.Hidden[f]
		if key == "" {
			continue
		}
		u, err := q.GetUnit(ctx, key)
		if heed.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		r.UnitID, r.Unit = u.ID, u.Key
		return nil
	}
	return nil
}

// Unsubscribe withdraws the consent of the customer of token's invitation
// at once: no program asks them again and queued emails are not sent.
func (s *Service) Unsubscribe(ctx context.Context, token string) (Link, error) {
	var l Link
	err := s.store.InTx(ctx, func(q heed.Queries) error {
		var err error
		if l, err = s.link(ctx, q, token, ""); err != nil {
			return err
		}
		if l.State == LinkUnknown {
			return ErrUnknown
		}
		c, err := q.GetCustomer(ctx, heed.Scope{All: true}, l.Invitation.Customer)
		if err != nil || !c.Consent {
			return err
		}
		c.Consent = false
		_, err = q.UpsertCustomers(ctx, []heed.Customer{c}, s.now())
		return err
	})
	if errors.Is(err, ErrUnknown) {
		return Link{State: LinkUnknown}, nil
	}
	return l, err
}

// RewardFor returns the reward code of the link's response (giving one if
// it has none yet and the pool has any left), or "" when the survey hands
// out no rewards or nothing was answered.
func (s *Service) RewardFor(ctx context.Context, l Link) (string, error) {
	if l.Response == nil {
		return "", nil
	}
	return s.reward(ctx, s.store, l.Survey, *l.Response, s.now())
}
