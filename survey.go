package heed

import (
	"encoding/json"
	"slices"
	"time"
)

// SurveyKind is the main question a survey asks and the scale it uses.
type SurveyKind string

const (
	// SurveyNPS asks "How likely is it that you would recommend us?" on
	// 0–10 and "What are the reasons behind your score?".
	SurveyNPS SurveyKind = "nps"
	// SurveyCSAT asks "How satisfied were you with …?" on 1–5.
	SurveyCSAT SurveyKind = "csat"
	// SurveyCES asks for agreement with "… made it easy for me to …" on 1–7.
	SurveyCES SurveyKind = "ces"
)

// SurveyKinds lists every kind, the default first (a new slice each call).
func SurveyKinds() []SurveyKind { return []SurveyKind{SurveyNPS, SurveyCSAT, SurveyCES} }

// Valid reports whether k is one of SurveyKinds.
func (k SurveyKind) Valid() bool {
	return k == SurveyNPS || k == SurveyCSAT || k == SurveyCES
}

// Scale is the lowest and highest score of the main question.
func (k SurveyKind) Scale() (lo, hi int) {
	switch k {
	case SurveyCSAT:
		return 1, 5
	case SurveyCES:
		return 1, 7
	}
	return 0, 10
}

// QuestionType is the form of an extra question.
type QuestionType string

const (
	QuestionSingle   QuestionType = "single"   // one of Options
	QuestionMultiple QuestionType = "multiple" // any of Options
	QuestionText     QuestionType = "text"     // a short text
)

// Question is an extra question an admin adds after the main score and
// reason. Its wording lives in the survey's texts, per language, so the
// same question can be asked in several languages and answered alike.
type Question struct {
	ID       string       `json:"id"` // stable key, e.g. "visit_reason"
	Type     QuestionType `json:"type"`
	Required bool         `json:"required,omitempty"`
	Options  []string     `json:"options,omitempty"` // option keys, for single and multiple
}

// SurveyText is everything a respondent reads, in one language. Empty
// fields fall back to the shipped defaults for the survey's kind.
type SurveyText struct {
	Title     string `json:"title,omitempty"`      // page title and email heading
	Score     string `json:"score,omitempty"`      // the main question
	Low       string `json:"low,omitempty"`        // label of the lowest score
	High      string `json:"high,omitempty"`       // label of the highest score
	Reason    string `json:"reason,omitempty"`     // the open question after the score
	Submit    string `json:"submit,omitempty"`     // the button
	Thanks    string `json:"thanks,omitempty"`     // the thank-you message
	Subject   string `json:"subject,omitempty"`    // invitation email subject
	Intro     string `json:"intro,omitempty"`      // invitation email first paragraph
	Reminder  string `json:"reminder,omitempty"`   // reminder email subject
	RewardTxt string `json:"reward_txt,omitempty"` // shown above a reward code
	// Questions are the labels of the extra questions and their options,
	// by question id, then "label" or the option key.
	Questions map[string]map[string]string `json:"questions,omitempty"`
}

// Survey is a questionnaire: a main score question of its Kind, a reason,
// optional extra questions and hidden fields, in one or more languages.
type Survey struct {
	ID       int64      `json:"-"`
	Key      string     `json:"key"` // stable, used in links and the API
	Kind     SurveyKind `json:"kind"`
	Name     string     `json:"name"`     // for employees; respondents see Texts
	Language string     `json:"language"` // default language, e.g. "en"
	// Texts by language tag ("en", "nl", …). The default language always
	// has an entry once the survey is saved.
	Texts     map[string]SurveyText `json:"texts"`
	Questions []Question            `json:"questions"`
	// Hidden are the names of fields carried from the link or the API call
	// into the response without being shown (an order id, a store).
	Hidden []string `json:"hidden"`
	// Origins may embed the widget and post answers from the browser
	// (CORS); empty: the widget is off.
	Origins []string `json:"origins"`
	// OpenLink enables the anonymous link /s/open/{key} for receipts,
	// QR codes and kiosks.
	OpenLink bool `json:"open_link"`
	// Reward hands each respondent one code from the survey's pool.
	Reward    bool      `json:"reward"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Program is continuous sampling: a survey asked of a steady stream of the
// customers its population filter selects.
type Program struct {
	ID      int64  `json:"-"`
	Key     string `json:"key"`
	Name    string `json:"name"`
	Survey  string `json:"survey"`  // survey key
	Channel string `json:"channel"` // "email"
	Active  bool   `json:"active"`
	// Population: customers in any of Units (with their subtrees; none:
	// everyone), of any of Segments (none: any), whose attributes hold
	// every pair of Attributes.
	Units      []string          `json:"units"`
	Segments   []string          `json:"segments"`
	Attributes map[string]string `json:"attributes"`
	// Target invitations per Period ("week", "month", "quarter"), spread
	// evenly over its days. With Margin > 0 the program is stratified by
	// unit instead: each unit is asked enough for its own score to reach
	// ±Margin points in each Period, and Target is ignored.
	Target int     `json:"target"`
	Period string  `json:"period"`
	Margin float64 `json:"margin"`
	// Rules: not asked by this program within ProgramDays (183), by any
	// program within GlobalDays (30); one reminder after ReminderDays (3;
	// negative: none); links expire after ExpiryDays (30).
	ProgramDays  int `json:"program_days"`
	GlobalDays   int `json:"global_days"`
	ReminderDays int `json:"reminder_days"`
	ExpiryDays   int `json:"expiry_days"`
	// Seed makes the tie-breaking shuffle reproducible.
	Seed int64 `json:"seed"`
	// Service levels of the cases its answers open: first contact within
	// FirstContactHours (48), resolved within ResolveDays (14); closing a
	// case re-surveys the customer after ResurveyDays (30). Zero: default.
	FirstContactHours int        `json:"first_contact_hours"`
	ResolveDays       int        `json:"resolve_days"`
	ResurveyDays      int        `json:"resurvey_days"`
	LastRunAt         *time.Time `json:"last_run_at,omitempty"` // read-only: set by runs
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// Delivery is where an invitation's message is.
type Delivery string

const (
	DeliveryNone    Delivery = ""        // a link handed out by the API: nothing to send
	DeliveryQueued  Delivery = "queued"  // its email job waits to run
	DeliverySent    Delivery = "sent"    // the SMTP server accepted it
	DeliveryFailed  Delivery = "failed"  // the last attempt failed; it will be retried
	DeliveryBounced Delivery = "bounced" // the server refused the address for good
	DeliveryDead    Delivery = "dead"    // given up after every retry
	DeliverySkipped Delivery = "skipped" // not sent: consent withdrawn or link expired meanwhile
)

// DeliveryStates lists the states an email of an invitation can be in.
func DeliveryStates() []Delivery {
	return []Delivery{DeliveryQueued, DeliverySent, DeliveryFailed, DeliveryBounced, DeliveryDead, DeliverySkipped}
}

// Valid reports whether d is one of DeliveryStates or DeliveryNone.
func (d Delivery) Valid() bool {
	return d == DeliveryNone || slices.Contains(DeliveryStates(), d)
}

// Invitation asks one customer to answer one survey, through a personal
// link whose token only the customer has: Heed keeps the token's SHA-256.
type Invitation struct {
	ID         int64             `json:"id"`
	SurveyID   int64             `json:"-"`
	Survey     string            `json:"survey"` // survey key
	ProgramID  int64             `json:"-"`
	Program    string            `json:"program,omitempty"`
	CustomerID int64             `json:"-"`
	Customer   string            `json:"customer"` // external id
	UnitID     int64             `json:"-"`
	Channel    string            `json:"channel"` // "email" or "link"
	Language   string            `json:"language"`
	Hidden     map[string]string `json:"hidden,omitempty"`
	TokenHash  string            `json:"-"`
	Delivery   Delivery          `json:"delivery"`
	Error      string            `json:"error,omitempty"` // the last delivery error
	CreatedAt  time.Time         `json:"created_at"`
	SentAt     *time.Time        `json:"sent_at,omitempty"`
	RemindedAt *time.Time        `json:"reminded_at,omitempty"`
	OpenedAt   *time.Time        `json:"opened_at,omitempty"`
	AnsweredAt *time.Time        `json:"answered_at,omitempty"`
	ExpiresAt  time.Time         `json:"expires_at"`
}

// Response channels: how an answer reached Heed.
const (
	ChannelEmail  = "email"  // a personal link sent by email
	ChannelLink   = "link"   // a personal link handed out through the API
	ChannelOpen   = "open"   // the survey's anonymous link
	ChannelWidget = "widget" // the embeddable widget
	ChannelAPI    = "api"    // POST /api/v1/responses
	ChannelImport = "import" // heed import responses
)

// Channels lists every response channel (a new slice each call).
func Channels() []string {
	return []string{ChannelEmail, ChannelLink, ChannelOpen, ChannelWidget, ChannelAPI, ChannelImport}
}

// Response is one answer to a survey. Comment is kept exactly as typed and
// escaped wherever it is shown.
type Response struct {
	ID           int64             `json:"id"`
	SurveyID     int64             `json:"-"`
	Survey       string            `json:"survey"`
	InvitationID int64             `json:"invitation_id,omitempty"`
	CustomerID   int64             `json:"-"`
	Customer     string            `json:"customer,omitempty"` // external id; "" when anonymous
	UnitID       int64             `json:"-"`
	Unit         string            `json:"unit,omitempty"` // unit key; "" when unknown
	Channel      string            `json:"channel"`
	Score        int               `json:"score"`
	Comment      string            `json:"comment"`
	Answers      map[string]any    `json:"answers,omitempty"` // question id → string or []string
	Hidden       map[string]string `json:"hidden,omitempty"`
	Language     string            `json:"language"`
	ExternalID   string            `json:"external_id,omitempty"` // for idempotent imports
	CreatedAt    time.Time         `json:"created_at"`            // when first answered
	UpdatedAt    time.Time         `json:"updated_at"`
}

// ResponseFilter narrows ListResponses.
type ResponseFilter struct {
	SurveyID   int64
	CustomerID int64  // only this customer's answers
	Unit       string // subtree of this unit key; "" for all in scope
	From, To   time.Time
	MinScore   *int
	MaxScore   *int
	HasComment bool
	Limit      int   // 1..1000; 0 means 50
	BeforeID   int64 // newest first: only IDs below it
}

// ResponseCount is how many responses to a survey had a score.
type ResponseCount struct {
	SurveyID int64
	Score    int
	N        int
}

// InvitationFilter narrows ListInvitations.
type InvitationFilter struct {
	SurveyID  int64
	ProgramID int64
	Delivery  Delivery // "" for any
	Limit     int      // 1..1000; 0 means 50
	BeforeID  int64    // newest first: only IDs below it
}

// ScoreCount is a pre-aggregated count of responses: N answers of Score
// to a survey in a unit (0: no unit) on a Day (days since 1970-01-01 UTC).
type ScoreCount struct {
	UnitID int64
	Day    int
	Score  int
	N      int
}

// CountFilter selects pre-aggregated counts. GroupBy "day" adds the units
// up (UnitID is 0 in the result); "unit" adds the days up (Day is 0).
type CountFilter struct {
	SurveyID int64
	Scope    Scope
	UnitPath string // only this subtree; "" for all in scope
	FromDay  int    // inclusive
	ToDay    int    // inclusive
	GroupBy  string // "day" or "unit"
}

// SampleCandidate is a customer of a program's population with what the
// sampler needs to know about them.
type SampleCandidate struct {
	CustomerID         int64
	ExternalID         string
	UnitID             int64
	Email              string
	Language           string
	Segment            string
	Attributes         json.RawMessage
	Consent            bool
	OpenCase           bool
	LastAskedByProgram time.Time // zero: never
	LastAskedAny       time.Time // zero: never
}

// InvitationCounts are a program's invitations and answers over a span,
// per unit, for response rates and the stratified planner.
type InvitationCounts struct {
	UnitID   int64
	Invited  int
	Answered int
}

// Day is the day number of t (days since 1970-01-01 in UTC), the unit of
// the pre-aggregated counts.
func Day(t time.Time) int { return int(t.UTC().Unix() / 86400) }

// DayTime is the start (UTC) of day d.
func DayTime(d int) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }
