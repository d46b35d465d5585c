package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/heedhq/heed"
)

// FeedbackItem is one piece of feedback (a review, a ticket, a call) as
// a file gives it. Package feedback checks it and fills in what the
// file leaves out (the kind, the source).
type FeedbackItem struct {
	Kind       heed.FeedbackKind // lower-cased; "" when the file has no kind column
	Source     string
	ExternalID string
	Title      string
	Text       string
	Turns      []heed.Turn
	Rating     *int // 1–5; nil when not given
	Platform   string
	At         *time.Time
	Language   string
	Customer   string // external id
	Email      string
	Author     string
	Unit       string
}

// Feedback reads feedback items (kind, source, external_id, title, text,
// turns, rating, platform, at, language, customer, email, author, unit),
// as Units does. rating is a whole number of stars, 1 to 5; at is RFC
// 3339 or YYYY-MM-DD. turns, a transcript's, is in JSONL an array of
// {"speaker": …, "text": …} objects; in a CSV cell (or a JSONL string) it
// is one line per turn, "Speaker: what they said", and a line without a
// speaker goes on with the turn before it. Exports of other tools are
// read with Options.Columns and Options.IgnoreUnknown.
func Feedback(r io.Reader, o Options) ([]Row[FeedbackItem], heed.RowErrors, error) {
	return read(r, o, feedbackSchema)
}

// This table is never written after start-up.
var feedbackSchema = withCells(newSchema(nil,
	field[FeedbackItem]{"kind", jsonString, func(x *FeedbackItem, s string) error {
		x.Kind = heed.FeedbackKind(strings.ToLower(s))
		return nil
	}},
	field[FeedbackItem]{"source", jsonString, func(x *FeedbackItem, s string) error { x.Source = s; return nil }},
	field[FeedbackItem]{"external_id", jsonString, func(x *FeedbackItem, s string) error { x.ExternalID = s; return nil }},
	field[FeedbackItem]{"title", jsonString, func(x *FeedbackItem, s string) error { x.Title = s; return nil }},
	field[FeedbackItem]{"text", jsonString, func(x *FeedbackItem, s string) error { x.Text = s; return nil }},
	field[FeedbackItem]{"turns", jsonArray, func(x *FeedbackItem, s string) (err error) { x.Turns, err = parseTurnsJSON(s); return err }},
	field[FeedbackItem]{"rating", jsonNumber, func(x *FeedbackItem, s string) (err error) { x.Rating, err = parseRating(s); return err }},
	field[FeedbackItem]{"platform", jsonString, func(x *FeedbackItem, s string) error { x.Platform = s; return nil }},
	field[FeedbackItem]{"at", jsonString, func(x *FeedbackItem, s string) (err error) { x.At, err = parseTime(s); return err }},
	field[FeedbackItem]{"language", jsonString, func(x *FeedbackItem, s string) error { x.Language = s; return nil }},
	field[FeedbackItem]{"customer", jsonString, func(x *FeedbackItem, s string) error { x.Customer = s; return nil }},
	field[FeedbackItem]{"email", jsonString, func(x *FeedbackItem, s string) error { x.Email = s; return nil }},
	field[FeedbackItem]{"author", jsonString, func(x *FeedbackItem, s string) error { x.Author = s; return nil }},
	field[FeedbackItem]{"unit", jsonString, func(x *FeedbackItem, s string) error { x.Unit = s; return nil }},
), map[string]func(*FeedbackItem, string) error{
	"turns": func(x *FeedbackItem, s string) (err error) { x.Turns, err = parseTurnLines(s); return err },
})

func withCells[T any](s *schema[T], cell map[string]func(*T, string) error) *schema[T] {
	s.cell = cell
	return s
}

// parseRating reads a whole number of stars, 1 to 5; exports write 4 as
// "4.0" too. Empty is no rating.
func parseRating(s string) (*int, error) {
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || f != float64(int(f)) {
			return nil, fmt.Errorf("%q is not a whole number of stars", s)
		}
		n = int(f)
	}
	if n < 1 || n > 5 {
		return nil, fmt.Errorf("a rating is 1 to 5 stars, not %s", s)
	}
	return &n, nil
}

var errWantTurns = errors.New(`want an array of {"speaker": "…", "text": "…"} objects`)

// parseTurnsJSON reads a JSONL array of turns; keys other than speaker
// and text (a time, a confidence) are left out.
func parseTurnsJSON(s string) ([]heed.Turn, error) {
	var turns []heed.Turn
	if err := json.Unmarshal([]byte(s), &turns); err != nil {
		return nil, errWantTurns
	}
	return cleanTurns(turns)
}

// parseTurnLines reads a transcript written one turn per line, as
// "Speaker: what they said"; a line without a speaker goes on with the
// turn before it (or, first, is a turn of nobody named).
func parseTurnLines(s string) ([]heed.Turn, error) {
	var turns []heed.Turn
	for line := range strings.Lines(s) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if who, said, ok := speakerLine(line); ok {
			turns = append(turns, heed.Turn{Speaker: who, Text: said})
		} else if n := len(turns); n > 0 {
			turns[n-1].Text = strings.TrimSpace(turns[n-1].Text + "\n" + line)
		} else {
			turns = append(turns, heed.Turn{Text: line})
		}
	}
	return cleanTurns(turns)
}

// speakerLine splits "Agent: Hello" into who and what. A speaker is a
// name of at most three words and 40 characters, with a letter, followed
// by a colon and a space (or the end of the line): "10:30", "see
// https://…" and a sentence that happens to hold a colon are not.
func speakerLine(line string) (who, said string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	who, said = strings.TrimSpace(line[:i]), line[i+1:]
	if said != "" && said[0] != ' ' && said[0] != '\t' {
		return "", "", false
	}
	if utf8.RuneCountInString(who) > 40 || len(strings.Fields(who)) > 3 || strings.IndexFunc(who, unicode.IsLetter) < 0 {
		return "", "", false
	}
	return who, strings.TrimSpace(said), true
}

// cleanTurns trims the turns, drops those with nothing said, checks the
// text, and writes the speakers that mark who is the customer (and the
// agent) in lower case, so "Customer:" counts as the customer's turn.
func cleanTurns(turns []heed.Turn) ([]heed.Turn, error) {
	out := turns[:0]
	for i, t := range turns {
		t.Speaker, t.Text = strings.TrimSpace(t.Speaker), strings.TrimSpace(t.Text)
		for _, role := range []string{"customer", "client", "caller", "agent"} {
			if strings.EqualFold(t.Speaker, role) {
				t.Speaker = role
			}
		}
		if p := textProblem(t.Speaker + t.Text); p != "" {
			return nil, fmt.Errorf("turn %d: %s", i+1, p)
		}
		if t.Text != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}
