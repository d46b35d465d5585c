package heed

import (
	"context"
	"strings"
	"time"
)

// IgnoredPhrase is a phrase an admin does not want surfaced as an
// emerging theme again.
type IgnoredPhrase struct {
	Phrase    string // lower case, one space between words
	IgnoredAt time.Time
	IgnoredBy string // the principal's name
}

// MaxPhraseLen bounds a phrase, in bytes.
const MaxPhraseLen = 200

// CheckPhrase checks a phrase to ignore: the field error a store or
// service returns, nil when fine.
func CheckPhrase(phrase string) error {
	switch {
	case strings.TrimSpace(phrase) == "":
		return FieldErrorf(EInvalid, "phrase", "a phrase is needed")
	case len(phrase) > MaxPhraseLen:
		return FieldErrorf(EInvalid, "phrase", "a phrase is at most %d bytes", MaxPhraseLen)
	case TextProblem(phrase) != "":
		return FieldErrorf(EInvalid, "phrase", "the phrase %s", TextProblem(phrase))
	}
	return nil
}

// PhraseQueries keeps the phrases ignored as emerging themes.
type PhraseQueries interface {
	// IgnorePhrase records phrase as ignored; ignoring it again keeps
	// the first record. EInvalid (field "phrase") for an empty, too
	// long or unstorable phrase.
	IgnorePhrase(ctx context.Context, phrase, by string, now time.Time) error
	// ListIgnoredPhrases returns every ignored phrase, by phrase.
	ListIgnoredPhrases(ctx context.Context) ([]IgnoredPhrase, error)
}
