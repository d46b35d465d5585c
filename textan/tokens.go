package textan

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind says what a token is.
type tokenKind uint8

const (
	tokWord     tokenKind = iota // letters or digits: "great", "don't", "10/10", "must-have"
	tokEmoticon                  // ":)", ":-(", "<3"
	tokEmoji                     // "😍", "👍🏽", "❤️"
	tokPunct                     // one sign: "!", "?", ",", "."
	tokBreak                     // a line break: ends a sentence
)

// token is one unit of a text.
type token struct {
	text  string // as written
	norm  string // for lookups: lower case, curly apostrophes straightened, contractions spelled out
	kind  tokenKind
	caps  bool // a word of two or more letters written in capitals: emphasis
	elong bool // written with a letter repeated three times or more ("sooo")
	start int  // byte offset in the text
}

// contractions written without their apostrophe, as people type them.
var contractions = map[string]string{
	"dont": "don't", "doesnt": "doesn't", "didnt": "didn't", "isnt": "isn't", "wasnt": "wasn't",
	"arent": "aren't", "werent": "weren't", "wont": "won't", "wouldnt": "wouldn't", "cant": "can't",
	"couldnt": "couldn't", "shouldnt": "shouldn't", "havent": "haven't", "hasnt": "hasn't",
	"hadnt": "hadn't", "aint": "ain't", "im": "i'm", "ive": "i've", "youre": "you're",
	"theyre": "they're", "thats": "that's", "whats": "what's",
}

// tokenize splits text into tokens, the lexicon's emoticons as faces.
func tokenize(text string) []token { return tokenizeWith(text, lex().emoticons) }

// tokenizeWith splits text into tokens, emoticons (nil: none) as faces.
func tokenizeWith(text string, emoticons map[string]float64) []token {
	toks := make([]token, 0, len(text)/4+1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			toks = append(toks, token{text: "\n", norm: "\n", kind: tokBreak, start: i})
			i += size
		case unicode.IsSpace(r):
			i += size
		case isWordStart(r):
			n := scanWord(text[i:])
			toks = append(toks, wordToken(text[i:i+n], i))
			i += n
		default:
			if n := matchEmoticon(text, i, emoticons); n > 0 {
				toks = append(toks, token{text: text[i : i+n], norm: strings.ToLower(text[i : i+n]), kind: tokEmoticon, start: i})
				i += n
				continue
			}
			if isEmoji(r) {
				n := scanEmoji(text[i:])
				toks = append(toks, token{text: text[i : i+n], norm: text[i : i+n], kind: tokEmoji, start: i})
				i += n
				continue
			}
			toks = append(toks, token{text: text[i : i+size], norm: punctNorm(r, text[i:i+size]), kind: tokPunct, start: i})
			i += size
		}
	}
	return toks
}

func isWordStart(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// scanWord is the length of the word at the start of s: letters, digits
// and marks, with an apostrophe, hyphen, slash or dot inside it when a
// letter or digit follows ("don't", "must-have", "10/10", "3.5").
func scanWord(s string) int {
	n := 0
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			n += size
		case r == '\'' || r == '’' || r == '-' || r == '/' || r == '.':
			next, nsize := utf8.DecodeRuneInString(s[n+size:])
			prev, _ := utf8.DecodeLastRuneInString(s[:n])
			ok := unicode.IsLetter(next) || unicode.IsDigit(next)
			if r == '/' || r == '.' { // only between digits: "10/10", "3.5"
				ok = unicode.IsDigit(prev) && unicode.IsDigit(next)
			}
			if !ok || nsize == 0 {
				return n
			}
			n += size
		default:
			return n
		}
	}
	return n
}

// wordToken normalises a word for the lexicons.
func wordToken(w string, start int) token {
	t := token{text: w, kind: tokWord, start: start}
	letters, upper := 0, 0
	for _, r := range w {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	t.caps = letters >= 2 && upper == letters
	norm := strings.ToLower(w)
	if strings.ContainsRune(norm, '’') {
		norm = strings.ReplaceAll(norm, "’", "'")
	}
	if c, ok := contractions[norm]; ok {
		norm = c
	}
	t.norm = norm
	t.elong = hasRun(norm, 3)
	return t
}

// hasRun reports whether s repeats one letter n times or more in a row.
func hasRun(s string, n int) bool {
	var last rune
	run := 0
	for _, r := range s {
		if r == last && unicode.IsLetter(r) {
			run++
			if run >= n {
				return true
			}
		} else {
			last, run = r, 1
		}
	}
	return false
}

// squeeze shortens every run of a repeated letter to at most n.
func squeeze(s string, n int) string {
	var b strings.Builder
	var last rune
	run := 0
	for _, r := range s {
		if r == last {
			run++
		} else {
			last, run = r, 1
		}
		if run <= n {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func punctNorm(r rune, s string) string {
	switch r {
	case '…':
		return "."
	case '！':
		return "!"
	case '？':
		return "?"
	}
	return s
}

// matchEmoticon is the length of the emoticon of emoticons starting at
// text[i], 0 for none. It must stand apart: start the text or follow a
// space, so "http://" and "(see:" are no faces.
func matchEmoticon(text string, i int, emoticons map[string]float64) int {
	if len(emoticons) == 0 {
		return 0
	}
	if i > 0 {
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.IsSpace(prev) && !isEmoji(prev) {
			return 0
		}
	}
	for n := min(len(text)-i, maxEmoticon); n >= 2; n-- {
		cand := text[i : i+n]
		if _, ok := emoticons[strings.ToLower(cand)]; !ok {
			continue
		}
		if i+n < len(text) {
			next, _ := utf8.DecodeRuneInString(text[i+n:])
			if unicode.IsLetter(next) || unicode.IsDigit(next) {
				continue
			}
		}
		return n
	}
	return 0
}

// maxEmoticon is the longest emoticon, in bytes.
const maxEmoticon = 6

// isEmoji reports whether r is a pictograph or symbol that can carry
// sentiment.
func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0x2B50 || r == 0x2764
}

// scanEmoji is the length of the emoji at the start of s, with its
// variation selector, skin tone and joined parts.
func scanEmoji(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	for n < len(s) {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF):
			n += size
		case r == 0x200D: // zero-width joiner: the next pictograph is part of it
			n += size
			if n < len(s) {
				_, size = utf8.DecodeRuneInString(s[n:])
				n += size
			}
		default:
			return n
		}
	}
	return n
}
