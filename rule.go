package heed

import (
	"encoding/json"
	"slices"
	"time"
)

// Rule says what happens when a response arrives that meets its
// conditions. Rules are evaluated in the transaction that stores the
// response, in Position order, and their actions are written there too
// (as cases and jobs), so a response is never stored without them.
type Rule struct {
	ID       int64  `json:"-"`
	Key      string `json:"key"`
	Name     string `json:"name"`
	Active   bool   `json:"active"`
	Position int    `json:"position"` // lower first; ties by key
	// Conditions, all of which must hold; empty ones hold always.
	When RuleConditions `json:"when"`
	// Actions, done in order.
	Then      []RuleAction `json:"then"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// RuleConditions select responses.
type RuleConditions struct {
	Surveys  []string `json:"surveys,omitempty"`  // survey keys; none: any
	Category string   `json:"category,omitempty"` // detractor, passive or promoter
	MinScore *int     `json:"min_score,omitempty"`
	MaxScore *int     `json:"max_score,omitempty"`
	// Words: the comment has any of these at the start of a word (case
	// and accents folded): "refund" finds "refunded", "late" not "chocolate".
	Words    []string `json:"words,omitempty"`
	Segments []string `json:"segments,omitempty"` // customer segments; none: any
	MinValue *Decimal `json:"min_value,omitempty"`
	Unit     string   `json:"unit,omitempty"`     // the response's unit is this one or below
	Channels []string `json:"channels,omitempty"` // response channels; none: any
}

// Rule action kinds.
const (
	ActionOpenCase       = "open_case"       // open a case for the owner (or add to their open one)
	ActionNotifyOwner    = "notify_owner"    // email the owner at once
	ActionNotifyManagers = "notify_managers" // email the managers Levels up from the owner
	ActionWebhook        = "webhook"         // send response.matched to the webhook named by Webhook
	ActionTag            = "tag"             // tag the response with Tag
	ActionAdvocacy       = "advocacy"        // thank the customer and invite a review or referral at URL
)

// RuleActionKinds lists the action kinds.
func RuleActionKinds() []string {
	return []string{ActionOpenCase, ActionNotifyOwner, ActionNotifyManagers, ActionWebhook, ActionTag, ActionAdvocacy}
}

// RuleAction is one thing a rule does.
type RuleAction struct {
	Kind    string `json:"kind"`
	Levels  int    `json:"levels,omitempty"`  // notify_managers: how many levels up (1: the owner's manager)
	Webhook int64  `json:"webhook,omitempty"` // webhook: its id
	Tag     string `json:"tag,omitempty"`     // tag
	URL     string `json:"url,omitempty"`     // advocacy: the review or referral page
}

// ValidActionKind reports whether kind is one of RuleActionKinds.
func ValidActionKind(kind string) bool { return slices.Contains(RuleActionKinds(), kind) }

// Webhook event types.
const (
	EventResponseCreated = "response.created"
	EventResponseMatched = "response.matched" // a rule's webhook action (data: the response, or the feedback item)
	EventFeedbackCreated = "feedback.created" // every new feedback item from another source
	EventCaseOpened      = "case.opened"
	EventCaseUpdated     = "case.updated"
	EventCaseEscalated   = "case.escalated"
	EventCaseClosed      = "case.closed"
)

// WebhookEvents lists the events a webhook may subscribe to.
func WebhookEvents() []string {
	return []string{EventResponseCreated, EventResponseMatched, EventFeedbackCreated, EventCaseOpened, EventCaseUpdated,
		EventCaseEscalated, EventCaseClosed}
}

// Webhook formats.
const (
	FormatStandard = "standard" // Standard Webhooks: JSON {type, timestamp, data}, signed
	FormatSlack    = "slack"    // a Slack incoming-webhook message {text}
)

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"` // subscribed event types; rule webhook actions need none
	Format string   `json:"format"`
	Active bool     `json:"active"`
	// Secret signs deliveries ("whsec_" and base64 of 24+ random bytes).
	// It is shown once, when the webhook is created.
	Secret      string    `json:"secret,omitempty"`
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// DeliveryState is where a webhook delivery is.
type DeliveryState string

const (
	DeliveryPending   DeliveryState = "pending"   // waiting for its turn or its next attempt
	DeliveryDelivered DeliveryState = "delivered" // the receiver answered 2xx
	DeliveryGivenUp   DeliveryState = "dead"      // failed every attempt; redeliver by hand
)

// WebhookDelivery is one event for one webhook. Its MessageID is the
// webhook-id header, the same on every attempt and redelivery, so the
// receiver can drop duplicates. Deliveries to one webhook go out in ID
// order: a later one waits while an earlier one is retried, so a receiver
// that was down gets every event afterwards, in order.
type WebhookDelivery struct {
	ID          int64           `json:"id"`
	WebhookID   int64           `json:"webhook_id"`
	MessageID   string          `json:"message_id"`
	Event       string          `json:"event"`
	CaseID      int64           `json:"case_id,omitempty"`
	Payload     json.RawMessage `json:"payload"`
	State       DeliveryState   `json:"state"`
	Attempts    int             `json:"attempts"`
	NextAt      time.Time       `json:"next_at"`
	LastStatus  int             `json:"last_status,omitempty"` // the receiver's HTTP status
	LastError   string          `json:"last_error,omitempty"`
	DeliveredAt *time.Time      `json:"delivered_at,omitempty"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

// DeliveryFilter narrows ListDeliveries.
type DeliveryFilter struct {
	WebhookID int64
	State     DeliveryState // "" for any
	CaseID    int64
	Limit     int   // 1..1000; 0 means 50
	BeforeID  int64 // newest first: only IDs below it
}

// DeliveryResult records one attempt of a delivery.
type DeliveryResult struct {
	State  DeliveryState
	Status int       // HTTP status; 0 when there was no answer
	Error  string    // "" on success
	NextAt time.Time // pending: when to try again
}
