package importer

import (
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// Event is one thing a customer did (a purchase, a visit, a
// cancellation…) as a file gives it. Package events checks it: that the
// customer exists, that only a purchase has an amount.
type Event struct {
	Customer   string                 // external id
	Kind       heed.CustomerEventKind // lower-cased
	At         *time.Time             // nil when not given
	Amount     heed.Decimal
	Source     string
	ExternalID string
}

// Events reads customer events (customer, kind, at, amount, source,
// external_id), as Units does. at is RFC 3339 or YYYY-MM-DD; amount a
// decimal with at most four decimal places (in JSONL a number, or a
// string holding one). Exports of other tools are read with
// Options.Columns and Options.IgnoreUnknown.
func Events(r io.Reader, o Options) ([]Row[Event], heed.RowErrors, error) {
	return read(r, o, eventSchema)
}

// This table is never written after start-up.
var eventSchema = newSchema(nil,
	field[Event]{"customer", jsonString, func(x *Event, s string) error { x.Customer = s; return nil }},
	field[Event]{"kind", jsonString, func(x *Event, s string) error {
		x.Kind = heed.CustomerEventKind(strings.ToLower(s))
		return nil
	}},
	field[Event]{"at", jsonString, func(x *Event, s string) (err error) { x.At, err = parseTime(s); return err }},
	field[Event]{"amount", jsonNumber, func(x *Event, s string) (err error) { x.Amount, err = heed.ParseDecimal(s); return err }},
	field[Event]{"source", jsonString, func(x *Event, s string) error { x.Source = s; return nil }},
	field[Event]{"external_id", jsonString, func(x *Event, s string) error { x.ExternalID = s; return nil }},
)
