package heed

import "time"

// InboundSource is a URL another system — a help desk, a review site, a
// phone system, a CRM, Zapier — posts its own JSON to when something
// happens. Its mapping says where in that document each field of a
// feedback item is, so the system's feedback comes in without code.
// Callers prove they may post with the source's Secret.
type InboundSource struct {
	ID   int64        `json:"-"`
	Key  string       `json:"key"`  // a-z, 0-9, _ and -: the URL ends /api/v1/inbound/KEY
	Name string       `json:"name"` // for people; default the key
	Kind FeedbackKind `json:"kind"` // of every item the mapping gives no kind of its own
	// System is the source stored on the items ("zendesk"): with their
	// external id, what makes a re-sent item update the one stored.
	System string `json:"system"`
	Active bool   `json:"active"` // an inactive source refuses every call
	// Mapping gives, for each field it fills (text, external_id, …), the
	// path of its value in the posted document, or in each element of
	// Items: "ticket.requester.email", "data.0.text".
	Mapping map[string]string `json:"mapping"`
	// Fixed gives fields the same value on every item: platform
	// "trustpilot". A field is mapped or fixed, not both.
	Fixed map[string]string `json:"fixed"`
	// Items, when set, is the path of an array in the document each of
	// whose elements is one item; "" reads the document as one item.
	Items string `json:"items,omitempty"`
	// Secret ("whsec_" and the base64 of 32 random bytes) is what callers
	// authenticate with: as a bearer token, or as the key of a Standard
	// Webhooks signature. It is shown when the source is created and when
	// it is rotated, never otherwise.
	Secret    string    `json:"secret,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}
