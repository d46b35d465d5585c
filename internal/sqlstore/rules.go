package sqlstore

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// RuleColumns are the columns both engines' scanRule read, in its order.
const RuleColumns = `id, key, name, active, position, conditions, actions, created_at, updated_at`

// RuleRow is the conditions and actions of a rule as both stores keep
// them: JSON of heed.RuleConditions and of its list of heed.RuleAction.
type RuleRow struct {
	Conditions, Actions string
}

// NewRuleRow refuses a rule no store can hold — no key, or text with a
// NUL or invalid UTF-8 (see heed.TextProblem) — and encodes its
// conditions and actions. Whether the rule makes sense (known categories,
// action kinds, webhooks) is the service's to check, not the store's.
func NewRuleRow(r heed.Rule) (RuleRow, error) {
	if r.Key == "" {
		return RuleRow{}, heed.FieldErrorf(heed.EInvalid, "key", "a rule needs a key")
	}
	if err := CheckText("key", r.Key, "name", r.Name); err != nil {
		return RuleRow{}, err
	}
	when := r.When
	if err := CheckText(textPairs("when", conditionTexts(when))...); err != nil {
		return RuleRow{}, err
	}
	if when.MinValue != nil {
		// Decimal writes values near the int64 bounds that it cannot read
		// back: refuse them rather than store a rule no one could read.
		if _, err := heed.ParseDecimal(when.MinValue.String()); err != nil {
			return RuleRow{}, heed.FieldErrorf(heed.EInvalid, "when", "minimum value %s is out of range", when.MinValue)
		}
	}
	var texts []string
	for _, a := range r.Then {
		texts = append(texts, a.Kind, a.Tag, a.URL)
	}
	if err := CheckText(textPairs("then", texts)...); err != nil {
		return RuleRow{}, err
	}
	conditions, err := encodeJSON(when, "when")
	if err != nil {
		return RuleRow{}, err
	}
	actions, err := encodeJSON(orEmpty(r.Then), "then")
	if err != nil {
		return RuleRow{}, err
	}
	return RuleRow{Conditions: conditions, Actions: actions}, nil
}

// conditionTexts are the texts of c.
func conditionTexts(c heed.RuleConditions) []string {
	texts := []string{c.Category, c.Unit}
	for _, list := range [][]string{c.Surveys, c.Words, c.Segments, c.Channels} {
		texts = append(texts, list...)
	}
	return texts
}

// textPairs pairs each of texts with field, for CheckText.
func textPairs(field string, texts []string) []string {
	pairs := make([]string, 0, 2*len(texts))
	for _, t := range texts {
		pairs = append(pairs, field, t)
	}
	return pairs
}

// DecodeRule fills r's conditions and actions from their stored JSON.
// Lists read back empty, never nil, so JSON shows [] on either engine;
// the score and value bounds keep their pointers.
func DecodeRule(row RuleRow, r *heed.Rule) error {
	var when heed.RuleConditions
	if err := json.Unmarshal([]byte(row.Conditions), &when); err != nil {
		return heed.Internal(err, "decode rule conditions")
	}
	var then []heed.RuleAction
	if err := json.Unmarshal([]byte(row.Actions), &then); err != nil {
		return heed.Internal(err, "decode rule actions")
	}
	when.Surveys, when.Words = orEmpty(when.Surveys), orEmpty(when.Words)
	when.Segments, when.Channels = orEmpty(when.Segments), orEmpty(when.Channels)
	r.When, r.Then = when, orEmpty(then)
	return nil
}

// RuleKeyTaken is the error for a new rule whose key is in use.
func RuleKeyTaken(key string) error {
	return heed.FieldErrorf(heed.EConflict, "key", "rule key %q is taken", key)
}

// RuleNotFound is the error for a rule key that names nothing.
func RuleNotFound(key string) error { return notFound("rule", key, 0) }

// CheckTag refuses a tag no store can hold or no one could see: empty,
// or with a NUL or invalid UTF-8.
func CheckTag(tag string) error {
	if tag == "" {
		return heed.FieldErrorf(heed.EInvalid, "tag", "a tag cannot be empty")
	}
	return CheckText("tag", tag)
}

// WebhookColumns are the columns both engines' scanWebhook read, in its
// order. The sending lock is the store's own and never read.
const WebhookColumns = `id, url, events, format, active, secret, description, created_at, updated_at`

// WebhookEvents checks w's text (see heed.TextProblem) and returns its
// events as stored: a JSON list, [] for none.
func WebhookEvents(w heed.Webhook) (string, error) {
	err := CheckText("url", w.URL, "format", w.Format, "secret", w.Secret, "description", w.Description)
	if err == nil {
		err = CheckText(textPairs("events", w.Events)...)
	}
	if err != nil {
		return "", err
	}
	return encodeJSON(orEmpty(w.Events), "events")
}

// DecodeWebhookEvents reads events stored by WebhookEvents; never nil.
func DecodeWebhookEvents(s string) ([]string, error) {
	var events []string
	if err := json.Unmarshal([]byte(s), &events); err != nil {
		return nil, heed.Internal(err, "decode webhook events")
	}
	return orEmpty(events), nil
}

// WebhookNotFound is the error for a webhook id that names nothing.
func WebhookNotFound(id int64) error { return notFound("webhook", "", id) }

// CheckLockOwner refuses a sending lock for no one (a lock whose owner
// is empty is free) or for an owner no store can hold.
func CheckLockOwner(owner string) error {
	if owner == "" {
		return heed.FieldErrorf(heed.EInvalid, "owner", "a webhook lock needs an owner")
	}
	return CheckText("owner", owner)
}

// LockWebhookSQL is LockWebhook's one statement: it takes the lock of
// webhook id for owner until until, if the lock is free, expired at now
// or owner's already, and touches no row otherwise. A single conditional
// UPDATE is atomic on both engines — PostgreSQL re-checks the condition
// on the row a concurrent locker has just committed — so of several
// processes racing for one lock, exactly one gets it. until and now are
// times as the engine stores them.
func LockWebhookSQL(a *Args, id int64, owner string, until, now any) string {
	return `UPDATE webhooks SET lock_owner = ` + a.Add(owner) + `, lock_until = ` + a.Add(until) +
		` WHERE id = ` + a.Add(id) + ` AND (lock_owner = '' OR lock_until < ` + a.Add(now) +
		` OR lock_owner = ` + a.Add(owner) + `)`
}

// DeliveryColumns are the columns both engines' scanDelivery read, in
// its order.
const DeliveryColumns = `id, webhook_id, message_id, event, COALESCE(case_id, 0), payload, state, attempts,
	next_at, last_status, last_error, delivered_at, created_at, updated_at`

// DeliveryRow is a new delivery as both stores insert it.
type DeliveryRow struct {
	Payload string    // compact JSON, {} for none
	NextAt  time.Time // d.NextAt, or now when unset
}

// NewDeliveryRow checks a new delivery d and settles what is stored:
// its payload compact, its first attempt due at d.NextAt or now.
func NewDeliveryRow(d heed.WebhookDelivery, now time.Time) (DeliveryRow, error) {
	if d.WebhookID == 0 {
		return DeliveryRow{}, heed.FieldErrorf(heed.EInvalid, "webhook_id", "a delivery needs a webhook")
	}
	if err := CheckText("message_id", d.MessageID, "event", d.Event, "payload", string(d.Payload)); err != nil {
		return DeliveryRow{}, err
	}
	row := DeliveryRow{Payload: "{}", NextAt: d.NextAt}
	if row.NextAt.IsZero() {
		row.NextAt = now
	}
	if len(bytes.TrimSpace(d.Payload)) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, d.Payload); err != nil {
			return DeliveryRow{}, heed.FieldErrorf(heed.EInvalid, "payload", "a delivery's payload must be JSON")
		}
		row.Payload = buf.String()
	}
	return row, nil
}

// DeliveryRecord is what RecordDelivery writes of an attempt's times.
type DeliveryRecord struct {
	NextAt      *time.Time // when to try again (pending only); nil keeps it
	DeliveredAt *time.Time // now when delivered; nil otherwise
}

// RecordedDelivery checks the result of an attempt made at now and says
// which times it sets: a pending delivery is due again at r.NextAt (now
// when unset), a delivered one was delivered now.
func RecordedDelivery(r heed.DeliveryResult, now time.Time) (DeliveryRecord, error) {
	if err := checkDeliveryState(r.State); err != nil {
		return DeliveryRecord{}, err
	}
	if err := CheckText("error", r.Error); err != nil {
		return DeliveryRecord{}, err
	}
	var rec DeliveryRecord
	switch r.State {
	case heed.DeliveryPending:
		next := r.NextAt
		if next.IsZero() {
			next = now
		}
		rec.NextAt = &next
	case heed.DeliveryDelivered:
		rec.DeliveredAt = &now
	}
	return rec, nil
}

func checkDeliveryState(s heed.DeliveryState) error {
	switch s {
	case heed.DeliveryPending, heed.DeliveryDelivered, heed.DeliveryGivenUp:
		return nil
	}
	return heed.FieldErrorf(heed.EInvalid, "state", "unknown delivery state %q", s)
}

// DeliveryWhere is the condition a delivery filter puts on the
// webhook_deliveries table (TRUE for none) and its page size, arguments
// added to a. Both stores build it here, so a filter means the same on
// either engine.
func DeliveryWhere(f heed.DeliveryFilter, a *Args) (where string, limit int, err error) {
	if limit, err = PageLimit(f.Limit); err != nil {
		return "", 0, err
	}
	var conds []string
	if f.WebhookID != 0 {
		conds = append(conds, "webhook_id = "+a.Add(f.WebhookID))
	}
	if f.State != "" {
		if err := checkDeliveryState(f.State); err != nil {
			return "", 0, err
		}
		conds = append(conds, "state = "+a.Add(string(f.State)))
	}
	if f.CaseID != 0 {
		// Unindexed: only tools and tests ask, and always with a webhook.
		conds = append(conds, "case_id = "+a.Add(f.CaseID))
	}
	if f.BeforeID > 0 {
		conds = append(conds, "id < "+a.Add(f.BeforeID))
	}
	if len(conds) == 0 {
		return "TRUE", limit, nil
	}
	return strings.Join(conds, " AND "), limit, nil
}

// CheckPendingCount refuses to list n <= 0 pending deliveries: a sender
// asking for none has a bug that an empty list would hide.
func CheckPendingCount(n int) error {
	if n <= 0 {
		return heed.FieldErrorf(heed.EInvalid, "n", "the number of pending deliveries must be positive, not %d", n)
	}
	return nil
}

// DeliveryNotFound is the error for a delivery id that names nothing.
func DeliveryNotFound(id int64) error {
	return heed.Errorf(heed.ENotFound, "no webhook delivery with id %d", id)
}
