package textan

import (
	"strings"
	"testing"
)

// themesIn reads text's themes with the default taxonomy, as English.
func themesIn(text string) map[string]float64 {
	toks := tokenize(text)
	out := map[string]float64{}
	for _, m := range defaultTaxonomy().themesOf(toks, splitSentences(toks), true) {
		out[m.Theme] = *m.Sentiment
	}
	return out
}

// TestAspectSentiment: each theme gets the sentiment of what was said of
// it, not of the whole text.
func TestAspectSentiment(t *testing.T) {
	for _, tt := range []struct {
		text string
		want map[string]int // theme → sign of its sentiment (0: neutral)
	}{
		{"Friendly staff, slow checkout.", map[string]int{"staff": 1, "waiting": -1}},
		{"The staff were friendly but the checkout took ages.", map[string]int{"staff": 1, "waiting": -1}},
		{"Great prices and terrible service", map[string]int{"value": 1, "staff": -1}},
		{"The delivery was late again. The product itself is excellent!", map[string]int{"delivery": -1, "quality": 1}},
		{"I was charged twice and nobody answered my emails.", map[string]int{"billing": -1, "communication": -1}},
		{"Not cheap, but worth every penny.", map[string]int{"value": 1}},
		{"The app keeps crashing when I log in", map[string]int{"digital": -1}},
		{"Refund came quickly, no complaints", map[string]int{"returns": 1}},
		{"The toilets were filthy", map[string]int{"cleanliness": -1}},
		{"Out of stock again in my size", map[string]int{"availability": -1}},
	} {
		got := themesIn(tt.text)
		for theme, sign := range tt.want {
			v, ok := got[theme]
			switch {
			case !ok:
				t.Errorf("%q: no %s theme; found %v", tt.text, theme, got)
			case sign > 0 && v < NeutralBand, sign < 0 && v > -NeutralBand:
				t.Errorf("%q: %s sentiment %+.2f; want sign %+d (all: %v)", tt.text, theme, v, sign, got)
			}
		}
	}
}

// TestTaxonomyChecks: a bad taxonomy is refused with the theme and term
// named; a custom one is used as given.
func TestTaxonomyChecks(t *testing.T) {
	for _, tt := range []struct {
		themes []Theme
		want   string
	}{
		{[]Theme{{Key: "Staff", Name: "Staff", Terms: []string{"staff"}}}, `key "Staff" must be`},
		{[]Theme{{Key: "a", Name: "A", Terms: []string{"x"}}, {Key: "a", Name: "B", Terms: []string{"y"}}}, `theme "a": key used twice`},
		{[]Theme{{Key: "a", Name: " ", Terms: []string{"x"}}}, `theme "a": needs a name`},
		{[]Theme{{Key: "a", Name: "A"}}, `theme "a": needs at least one term`},
		{[]Theme{{Key: "a", Name: "A", Terms: []string{"ab*"}}}, `term "ab*": a word start needs 3 letters`},
		{[]Theme{{Key: "a", Name: "A", Terms: []string{"€"}}}, `term "€": only words`},
		{[]Theme{{Key: "a", Name: "A", Terms: []string{"  "}}}, `term "  ": a term is 1 to 6 words`},
	} {
		_, err := NewTaxonomy(tt.themes)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewTaxonomy(%+v) = %v; want an error with %q", tt.themes, err, tt.want)
		}
	}
	tax, err := NewTaxonomy([]Theme{{Key: "parking", Name: "Parking", Terms: []string{"car park*", "parking"}}})
	if err != nil {
		t.Fatal(err)
	}
	toks := tokenize("The car parks were full. Parking is a nightmare!")
	got := tax.themesOf(toks, splitSentences(toks), true)
	if len(got) != 1 || got[0].Theme != "parking" || got[0].Mentions != 2 || *got[0].Sentiment >= 0 {
		t.Errorf("custom taxonomy found %+v", got)
	}
}
