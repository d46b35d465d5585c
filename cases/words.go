package cases

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// countWord counts where word occurs in text at the start of a word, both
// folded alike (heed.Fold): "refund" in "refunded" and "refund's", not
// "late" in "chocolate", so a rule's or a hint's words find their stems
// and not other words that contain them. A word that starts with a sign
// ("?", "!!"), or in a script written without spaces between words
// (Chinese, Japanese, Thai…), counts wherever it occurs.
func countWord(text, word string) int { return wordHits(text, word, -1) }

// hasWord reports whether countWord finds word at all; it stops at the
// first, as a rule tests every response's comment (and a trial 200,000).
func hasWord(text, word string) bool { return wordHits(text, word, 1) > 0 }

// wordHits is countWord stopped at limit hits (none when limit < 0).
func wordHits(text, word string, limit int) int {
	if word == "" {
		return 0
	}
	first, _ := utf8.DecodeRuneInString(word)
	anywhere := !isWordRune(first) || unspaced(first)
	n := 0
	for i := 0; i < len(text) && n != limit; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			break
		}
		j += i
		before, _ := utf8.DecodeLastRuneInString(text[:j])
		if anywhere || j == 0 || !isWordRune(before) {
			n++
			i = j + len(word)
			continue
		}
		_, size := utf8.DecodeRuneInString(text[j:])
		i = j + size
	}
	return n
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// unspaced reports whether r belongs to a script written without spaces
// between words, where a word's start cannot be told from the text.
func unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao,
		unicode.Khmer, unicode.Myanmar, unicode.Tibetan)
}
