package survey

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
)

// tokenBytes is the randomness of a personal link: 192 bits, well above
// the 128 that make guessing hopeless.
const tokenBytes = 24

// MaxInvite is the most customers one invitation request may name.
const MaxInvite = 1000

// NewToken returns a fresh link token and the hash Heed keeps of it. The
// database never holds a usable link: whoever reads it cannot answer in a
// customer's name.
func NewToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the SHA-256 (hex) under which a link token is stored.
// Lookups go by hash, so the time a lookup takes says nothing about how
// much of a guessed token was right.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// LinkURL is the personal link of a token.
func (s *Service) LinkURL(token string) string { return s.public + "/s/" + token }

// InviteRequest asks for personal invitations to one survey.
type InviteRequest struct {
	Customers []string          `json:"customers"` // external ids
	Channel   string            `json:"channel"`   // "link" (default) or "email"
	Hidden    map[string]string `json:"hidden,omitempty"`
}

// InviteResult is the outcome for one customer: an invitation and its
// link, or why none was made.
type InviteResult struct {
	Customer     string `json:"customer"`
	InvitationID int64  `json:"invitation_id,omitempty"`
	URL          string `json:"url,omitempty"`
	Skipped      string `json:"skipped,omitempty"`
}

// Reasons an invitation is not made.
const (
	SkipNotFound  = "not_found"  // no such customer, or not one p may see
	SkipNoConsent = "no_consent" // email: the customer has not agreed to be contacted
	SkipNoEmail   = "no_email"   // email: no address
	SkipDuplicate = "duplicate"  // named twice in the request
)

// Invite makes personal invitations for the customers of req that p may
// see; analysts, who change nothing, may not. With channel "email" the
// invitation email (and its reminder) is queued in the same transaction.
func (s *Service) Invite(ctx context.Context, p heed.Principal, surveyKey string, req InviteRequest) ([]InviteResult, error) {
	if p.Role == heed.RoleAnalyst || !p.Role.Valid() {
		return nil, heed.Errorf(heed.EForbidden, "analysts may not invite customers")
	}
	if req.Channel == "" {
		req.Channel = heed.ChannelLink
	}
	if req.Channel != heed.ChannelLink && req.Channel != heed.ChannelEmail {
		return nil, heed.FieldErrorf(heed.EInvalid, "channel", "channel %q must be link or email", req.Channel)
	}
	switch n := len(req.Customers); {
	case n == 0:
		return nil, heed.FieldErrorf(heed.EInvalid, "customers", "name at least one customer")
	case n > MaxInvite:
		return nil, heed.FieldErrorf(heed.ETooLarge, "customers", "at most %d customers per request, got %d", MaxInvite, n)
	}
	sv, err := s.store.GetSurvey(ctx, surveyKey)
	if err != nil {
		return nil, err
	}
	if err := checkHiddenValues(sv, req.Hidden); err != nil {
		return nil, err
	}
	now := s.now()
	var out []InviteResult
	err = s.store.InTx(ctx, func(q heed.Queries) error {
		out = out[:0]
		seen := map[string]bool{}
		units := map[string]int64{} // unit key → id, looked up once per unit
		for _, ext := range req.Customers {
			r, err := s.inviteOne(ctx, q, p, sv, ext, req, seen, units, now)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

func (s *Service) inviteOne(ctx context.Context, q heed.Queries, p heed.Principal, sv heed.Survey, ext string,
	req InviteRequest, seen map[string]bool, units map[string]int64, now time.Time) (InviteResult, error) {
	res := InviteResult{Customer: ext}
	if seen[ext] {
		res.Skipped = SkipDuplicate
		return res, nil
	}
	seen[ext] = true
	c, err := q.GetCustomer(ctx, p.Scope(), ext)
	if heed.IsNotFound(err) {
		res.Skipped = SkipNotFound
		return res, nil
	}
	if err != nil {
		return res, err
	}
	if req.Channel == heed.ChannelEmail {
		if skip := emailSkip(c); skip != "" {
			res.Skipped = skip
			return res, nil
		}
	}
	unitID, ok := units[c.Unit]
	if !ok {
		unit, err := q.GetUnit(ctx, c.Unit)
		if err != nil {
			return res, err
		}
		unitID, units[c.Unit] = unit.ID, unit.ID
	}
	inv := heed.Invitation{
		SurveyID: sv.ID, Survey: sv.Key, CustomerID: c.ID, Customer: c.ExternalID, UnitID: unitID,
		Channel: req.Channel, Language: Language(sv, c.Language, ""), Hidden: req.Hidden,
	}
	token, err := s.createInvitation(ctx, q, &inv, DefaultExpiryDays, DefaultReminderDays, now)
	if err != nil {
		return res, err
	}
	res.InvitationID, res.URL = inv.ID, s.LinkURL(token)
	return res, nil
}

// InviteIn makes one email invitation to a survey for a customer inside
// q's transaction, for work that must land with it: the verification
// re-survey of a closed case. It is not a program, so the fatigue rules
// do not apply; consent and an address do. skipped says why none was
// made.
func (s *Service) InviteIn(ctx context.Context, q heed.Queries, surveyID int64, customer string, now time.Time) (inv heed.Invitation, skipped string, err error) {
	sv, err := q.GetSurveyByID(ctx, surveyID)
	if err != nil {
		return inv, "", err
	}
	res, err := s.inviteOne(ctx, q, heed.System(), sv, customer, InviteRequest{Channel: heed.ChannelEmail},
		map[string]bool{}, map[string]int64{}, now)
	if err != nil || res.Skipped != "" {
		return inv, res.Skipped, err
	}
	inv, err = q.GetInvitation(ctx, res.InvitationID)
	return inv, "", err
}

// emailSkip says why a customer cannot be emailed, or "".
func emailSkip(c heed.Customer) string {
	switch {
	case !c.Consent:
		return SkipNoConsent
	case c.Email == "":
		return SkipNoEmail
	}
	return ""
}

// EmailJob is the job kind of every survey email; its payload is an
// EmailPayload.
const EmailJob = "survey.email"

// Email kinds.
const (
	EmailInvite   = "invite"
	EmailReminder = "reminder"
	EmailThanks   = "thanks"
)

// EmailPayload says which email to send about which invitation. The link
// token travels in the job because Heed keeps only its hash; finished
// jobs are deleted after the retention period (see docs/operations.md).
type EmailPayload struct {
	Invitation int64  `json:"invitation"`
	Kind       string `json:"kind"`
	Token      string `json:"token"`
}

// createInvitation stores inv with a fresh token and, for email, queues
// its email and (reminderDays > 0) its reminder in q's transaction. It
// returns the token, which exists nowhere else once the caller drops it.
func (s *Service) createInvitation(ctx context.Context, q heed.Queries, inv *heed.Invitation,
	expiryDays, reminderDays int, now time.Time) (string, error) {
	token, hash := NewToken()
	inv.TokenHash = hash
	inv.CreatedAt = now
	inv.ExpiresAt = now.AddDate(0, 0, expiryDays)
	if inv.Channel == heed.ChannelEmail {
		inv.Delivery = heed.DeliveryQueued
	}
	id, err := q.CreateInvitation(ctx, *inv)
	if err != nil {
		return "", fmt.Errorf("survey: create invitation for %s: %w", inv.Customer, err)
	}
	inv.ID = id
	if inv.Channel != heed.ChannelEmail {
		return token, nil
	}
	pl := EmailPayload{Invitation: id, Kind: EmailInvite, Token: token}
	if _, err := jobs.Enqueue(ctx, q, EmailJob, pl, now); err != nil {
		return "", err
	}
	if reminderDays > 0 {
		pl.Kind = EmailReminder
		at := now.AddDate(0, 0, reminderDays)
		if _, err := jobs.Enqueue(ctx, q, EmailJob, pl, now, jobs.RunAt(at)); err != nil {
			return "", err
		}
	}
	return token, nil
}

// checkHiddenValues accepts only the hidden fields the survey declares.
func checkHiddenValues(sv heed.Survey, hidden map[string]string) error {
	for k, v := range hidden {
		known := false
		for _, h := range sv.Hidden {
			known = known || h == k
		}
		if !known {
			return heed.FieldErrorf(heed.EInvalid, "hidden."+k, "survey %q has no hidden field %q (it has %v)", sv.Key, k, sv.Hidden)
		}
		if len([]rune(v)) > maxHiddenSize {
			return heed.FieldErrorf(heed.EInvalid, "hidden."+k, "longer than %d characters", maxHiddenSize)
		}
	}
	return nil
}
