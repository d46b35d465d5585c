package heed

import "time"

// FeedbackKind is where a piece of feedback came from.
type FeedbackKind string

const (
	FeedbackSurvey     FeedbackKind = "survey"     // a survey answer's comment
	FeedbackReview     FeedbackKind = "review"     // an online review, with a 1–5 rating and its platform
	FeedbackTicket     FeedbackKind = "ticket"     // a support ticket
	FeedbackTranscript FeedbackKind = "transcript" // a call or chat, in speaker turns
	FeedbackSocial     FeedbackKind = "social"     // a social media post
	FeedbackComplaint  FeedbackKind = "complaint"  // a complaint made in person, by letter, by phone
	FeedbackInterview  FeedbackKind = "interview"  // notes of a customer interview
	FeedbackNote       FeedbackKind = "note"       // anything else an employee wrote down
)

// FeedbackKinds lists the kinds, survey first.
func FeedbackKinds() []FeedbackKind {
	return []FeedbackKind{FeedbackSurvey, FeedbackReview, FeedbackTicket, FeedbackTranscript, FeedbackSocial,
		FeedbackComplaint, FeedbackInterview, FeedbackNote}
}

// Valid reports whether k is a known kind.
func (k FeedbackKind) Valid() bool {
	for _, x := range FeedbackKinds() {
		if k == x {
			return true
		}
	}
	return false
}

// Turn is one speaker's turn in a transcript.
type Turn struct {
	Speaker string `json:"speaker"` // "customer", "agent", or a name
	Text    string `json:"text"`
}

// Customer reports whether the turn is the customer's: those of a
// transcript are what is analysed.
func (t Turn) Customer() bool {
	return t.Speaker == "customer" || t.Speaker == "client" || t.Speaker == "caller"
}

// CustomerEventKind is something a customer did.
type CustomerEventKind string

const (
	EventPurchase     CustomerEventKind = "purchase"     // bought something (Amount: what they paid)
	EventVisit        CustomerEventKind = "visit"        // came to a store or a site
	EventLogin        CustomerEventKind = "login"        // signed in to an account or app
	EventSupport      CustomerEventKind = "support"      // contacted support
	EventReferral     CustomerEventKind = "referral"     // brought someone new
	EventCancellation CustomerEventKind = "cancellation" // ended a contract or subscription
)

// CustomerEventKinds lists the kinds.
func CustomerEventKinds() []CustomerEventKind {
	return []CustomerEventKind{EventPurchase, EventVisit, EventLogin, EventSupport, EventReferral, EventCancellation}
}

// Valid reports whether k is a known kind.
func (k CustomerEventKind) Valid() bool {
	for _, x := range CustomerEventKinds() {
		if k == x {
			return true
		}
	}
	return false
}

// CustomerEvent is one thing a customer did, at a time: the inferred
// voice of the customer (purchases, visits, cancellations).
type CustomerEvent struct {
	ID         int64             `json:"id"`
	CustomerID int64             `json:"-"`
	Customer   string            `json:"customer"` // external id
	Kind       CustomerEventKind `json:"kind"`
	At         time.Time         `json:"at"`
	Amount     Decimal           `json:"amount"` // purchases: what was paid; 0 otherwise
	Source     string            `json:"source,omitempty"`
	ExternalID string            `json:"external_id,omitempty"` // unique per source: re-sending updates
}

// FeedbackItem is one piece of what a customer said, from any source:
// a survey comment, a review, a ticket, a call. Every item is read (its
// language, sentiment and themes) when it is stored, and re-read when
// the taxonomy changes.
type FeedbackItem struct {
	ID         int64        `json:"id"`
	Kind       FeedbackKind `json:"kind"`
	Source     string       `json:"source"`      // the system it came from: "google", "zendesk", "survey"
	ExternalID string       `json:"external_id"` // unique per source: sending it again updates it
	Title      string       `json:"title,omitempty"`
	Text       string       `json:"text"`             // what is read; a transcript's customer turns
	Turns      []Turn       `json:"turns,omitempty"`  // a transcript's turns, all speakers
	Rating     *int         `json:"rating,omitempty"` // a review's 1–5 stars
	Platform   string       `json:"platform,omitempty"`
	At         time.Time    `json:"at"` // when the customer said it
	// Who said it: the customer when matched (by external id or email);
	// Author keeps the name or handle given either way.
	CustomerID   int64  `json:"-"`
	Customer     string `json:"customer,omitempty"` // external id
	CustomerName string `json:"customer_name,omitempty"`
	// Where the customer belongs, read with the item so a reader who may
	// see the item (about their unit) but not the customer (of another)
	// is not shown who it is.
	CustomerUnitID   int64  `json:"-"`
	CustomerUnitPath string `json:"-"`
	CustomerOwnerID  int64  `json:"-"`
	Author           string `json:"author,omitempty"`
	UnitID           int64  `json:"-"`
	Unit             string `json:"unit,omitempty"` // unit key: the customer's, or the one the item names
	ResponseID       int64  `json:"response_id,omitempty"`
	// What reading it found.
	Language  string          `json:"language"`
	Sentiment *float64        `json:"sentiment"` // −1…1; nil for a language not read
	Label     string          `json:"label"`     // negative, neutral, positive; "" when not read
	Themes    []FeedbackTheme `json:"themes"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// FeedbackTheme is a theme an item speaks of, with the sentiment of what
// it says of it.
type FeedbackTheme struct {
	Theme     string   `json:"theme"`
	Sentiment *float64 `json:"sentiment"`
	Mentions  int      `json:"mentions"`
}

// FeedbackFilter narrows ListFeedback.
type FeedbackFilter struct {
	Kind       FeedbackKind
	Source     string
	Unit       string // subtree of this unit key
	CustomerID int64
	Theme      string
	Label      string // negative, neutral, positive
	MinRating  *int
	MaxRating  *int
	From, To   time.Time // At in [From, To)
	Query      string    // words the text must contain (all of them, any case)
	Limit      int       // 1..1000; 0 means 50
	BeforeID   int64     // newest first: only IDs below it
}

// ThemeScoreCount is how many responses of a score mention a theme.
type ThemeScoreCount struct {
	Theme string
	Score int
	N     int
}

// ThemeStat is what the items that speak of a theme add up to.
type ThemeStat struct {
	Theme     string
	Items     int     // items that speak of it
	Read      int     // of them, those whose language was read (with a sentiment)
	Sentiment float64 // the sum of their sentiments about it; mean = Sentiment / Read
	Negative  int     // items whose sentiment about it is negative (≤ −0.05)
	Positive  int     // … positive (≥ 0.05)
}

// FeedbackUpsert is what UpsertFeedback did with one item.
type FeedbackUpsert struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"`
	Changed bool  `json:"changed"` // created, or its text, rating, who or when changed
}
