package textan

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Theme is one subject customers speak of, found through its terms.
type Theme struct {
	Key  string `json:"key"`  // "staff"
	Name string `json:"name"` // "Staff and service"
	// Terms find the theme: a word ("staff"), a word's start with *
	// ("friendl*" finds friendly and friendliness), or a phrase ("long
	// queue", "check* out"). Case and curly apostrophes do not matter.
	Terms []string `json:"terms"`
}

// ThemeMention is a theme found in a text, with the sentiment of what
// was said of it (−1…1; nil where the language is not read).
type ThemeMention struct {
	Theme     string   `json:"theme"`
	Sentiment *float64 `json:"sentiment"`
	Mentions  int      `json:"mentions"`
}

// Taxonomy is a checked, compiled set of themes.
type Taxonomy struct {
	themes []Theme
	byWord map[string][]termRef // exact first word → terms
	// Terms whose first word ends in *, by the first three letters of
	// that word's start: a token looks up only those it could match.
	byStart map[string][]termRef
}

// termRef is one compiled term of a theme.
type termRef struct {
	theme int
	words []string // each a word, or a prefix ending in *
}

// maxTerms bounds a taxonomy, so matching stays fast.
const maxTerms = 5000

// NewTaxonomy checks and compiles themes: keys unique and made of a-z,
// 0-9 and _, names and terms present, at most 5,000 terms. Errors name
// the theme and term.
func NewTaxonomy(themes []Theme) (*Taxonomy, error) {
	t := &Taxonomy{themes: slices.Clone(themes), byWord: map[string][]termRef{}, byStart: map[string][]termRef{}}
	seen := map[string]bool{}
	total := 0
	for i, th := range themes {
		switch {
		case !validKey(th.Key):
			return nil, fmt.Errorf("theme %d: key %q must be 1 to 40 of a-z, 0-9 and _", i+1, th.Key)
		case seen[th.Key]:
			return nil, fmt.Errorf("theme %q: key used twice", th.Key)
		case strings.TrimSpace(th.Name) == "":
			return nil, fmt.Errorf("theme %q: needs a name", th.Key)
		case len(th.Terms) == 0:
			return nil, fmt.Errorf("theme %q: needs at least one term", th.Key)
		}
		seen[th.Key] = true
		for _, term := range th.Terms {
			words, err := compileTerm(term)
			if err != nil {
				return nil, fmt.Errorf("theme %q: term %q: %v", th.Key, term, err)
			}
			ref := termRef{theme: i, words: words}
			if strings.HasSuffix(words[0], "*") {
				k := start3(words[0])
				t.byStart[k] = append(t.byStart[k], ref)
			} else {
				t.byWord[words[0]] = append(t.byWord[words[0]], ref)
			}
			total++
		}
	}
	if total > maxTerms {
		return nil, fmt.Errorf("%d terms: at most %d", total, maxTerms)
	}
	return t, nil
}

func validKey(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// compileTerm tokenises a term as texts are tokenised.
func compileTerm(term string) ([]string, error) {
	var words []string
	for _, f := range strings.Fields(term) {
		star := strings.HasSuffix(f, "*")
		toks := tokenize(strings.TrimSuffix(f, "*"))
		if len(toks) == 0 {
			return nil, fmt.Errorf("no word in it")
		}
		for k, tok := range toks {
			if tok.kind != tokWord {
				return nil, fmt.Errorf("only words, not %q", tok.text)
			}
			w := tok.norm
			if star && k == len(toks)-1 {
				if len([]rune(w)) < 3 {
					return nil, fmt.Errorf("a word start needs 3 letters or more before *")
				}
				w += "*"
			}
			words = append(words, w)
		}
	}
	if len(words) == 0 || len(words) > 6 {
		return nil, fmt.Errorf("a term is 1 to 6 words")
	}
	return words, nil
}

// Themes returns the taxonomy's themes.
func (t *Taxonomy) Themes() []Theme { return slices.Clone(t.themes) }

// Theme returns the theme with key.
func (t *Taxonomy) Theme(key string) (Theme, bool) {
	for _, th := range t.themes {
		if th.Key == key {
			return th, true
		}
	}
	return Theme{}, false
}

// match lists, for each token, the themes whose term starts there (and
// how many tokens it spans).
func (t *Taxonomy) match(toks []token) []themeHit {
	var hits []themeHit
	for i := range toks {
		if toks[i].kind != tokWord {
			continue
		}
		for _, ref := range t.byWord[toks[i].norm] {
			if n := ref.matches(toks, i); n > 0 {
				hits = append(hits, themeHit{ref.theme, i, n})
			}
		}
		for _, ref := range t.byStart[start3(toks[i].norm)] {
			if n := ref.matches(toks, i); n > 0 {
				hits = append(hits, themeHit{ref.theme, i, n})
			}
		}
	}
	return hits
}

// start3 is the first three letters of a word (all of a shorter one).
func start3(w string) string {
	n := 0
	for i := range w {
		if n == 3 {
			return w[:i]
		}
		n++
	}
	return w
}

// themeHit is one term found: theme index, first token and length.
type themeHit struct{ theme, pos, n int }

// matches is the number of tokens ref spans at toks[i], 0 if it does not
// match there.
func (ref termRef) matches(toks []token, i int) int {
	if i+len(ref.words) > len(toks) {
		return 0
	}
	for k, w := range ref.words {
		tok := toks[i+k]
		if tok.kind != tokWord {
			return 0
		}
		if p, ok := strings.CutSuffix(w, "*"); ok {
			if !strings.HasPrefix(tok.norm, p) {
				return 0
			}
		} else if tok.norm != w {
			return 0
		}
	}
	return len(ref.words)
}

// clauseOf is the token range [from, to) of the clause around pos: a
// sentence splits at , ; : and at but, however, although, while,
// whereas and "and", so "friendly staff, slow checkout" and "great food
// and terrible service" give each theme its own words.
func clauseOf(toks []token, pos int) (int, int) {
	from, to := pos, pos+1
	for from > 0 && !splitsClause(toks[from-1]) {
		from--
	}
	for to < len(toks) && !splitsClause(toks[to]) {
		to++
	}
	return from, to
}

func splitsClause(t token) bool {
	if t.kind == tokPunct {
		switch t.norm {
		case ",", ";", ":", "(", ")", "-", "–", "—":
			return true
		}
		return false
	}
	return t.kind == tokWord && aspectBreak[t.norm]
}

var aspectBreak = set("but", "however", "although", "though", "while", "whereas", "and", "yet")

// themesOf finds the themes of a text's sentences, each mention with the
// sentiment of its clause (of its sentence when the clause carries none),
// averaged per theme.
func (t *Taxonomy) themesOf(toks []token, spans [][2]int, scored bool) []ThemeMention {
	sums := map[int]float64{}
	counts := map[int]int{}
	var order []int
	for _, sp := range spans {
		sent := toks[sp[0]:sp[1]]
		seen := map[[2]int]bool{} // one mention per theme and clause
		for _, h := range t.match(sent) {
			from, to := clauseOf(sent, h.pos)
			if seen[[2]int{h.theme, from}] {
				continue
			}
			seen[[2]int{h.theme, from}] = true
			if counts[h.theme] == 0 {
				order = append(order, h.theme)
			}
			counts[h.theme]++
			if scored {
				raw := scoreTokens(sent[from:to])
				if raw == 0 {
					raw = scoreTokens(sent)
				}
				sums[h.theme] += sentimentOf(raw).Score
			}
		}
	}
	out := make([]ThemeMention, 0, len(order))
	for _, i := range order {
		m := ThemeMention{Theme: t.themes[i].Key, Mentions: counts[i]}
		if scored {
			v := math.Round(sums[i]/float64(counts[i])*1000) / 1000
			m.Sentiment = &v
		}
		out = append(out, m)
	}
	return out
}
