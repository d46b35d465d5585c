package heed

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// letters maps the folded letters that do not decompose into a base letter
// and a mark to the ASCII a reader would type for them.
var letters = map[rune]string{
	'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// Fold is the form names are sorted and searched in — customers in both
// stores alike, units on the pages: Unicode case folding, accents removed (canonical
// decomposition, nonspacing marks dropped), a few letters without a
// decomposition spelled out (ø→o, æ→ae, ß→ss, ...), control characters
// read as spaces and runs of space collapsed to one, trimmed. So "Émile",
// "EMILE" and "emile" fold alike, as do "Ørsted" and "orsted". Folding a
// folded string changes nothing.
func Fold(s string) string {
	if !isASCII(s) {
		// A Caser keeps state between calls: one per call is safe for
		// concurrent use and costs little next to the normalisation.
		s = norm.NFD.String(cases.Fold().String(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is pending: written before the next letter
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		writeFolded(&b, r)
	}
	return b.String()
}

// writeFolded writes one letter of an already case-folded and decomposed
// string; ASCII strings skip those steps, so their capitals fold here.
func writeFolded(b *strings.Builder, r rune) {
	switch {
	case 'A' <= r && r <= 'Z':
		b.WriteByte(byte(r - 'A' + 'a'))
	case r < utf8.RuneSelf:
		b.WriteByte(byte(r))
	default:
		if s, ok := letters[r]; ok {
			b.WriteString(s)
		} else {
			b.WriteRune(r)
		}
	}
}

// NormEmail is the one form an email takes as an identity — stored,
// looked up and compared: trimmed and lower case, so Ann@X and ann@x are
// the same employee. Services, the importer and both stores share it, so an
// address found by one is found by all.
func NormEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// TextProblem says what is wrong with text no store may hold — invalid
// UTF-8, or a NUL character, which PostgreSQL refuses (SQLite would keep
// it, so both refuse it) — or "" when it is fine. Every check of typed
// or imported text calls it, each with its own field and wording around.
func TextProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case strings.IndexByte(s, 0) >= 0:
		return "contains a NUL character"
	}
	return ""
}
