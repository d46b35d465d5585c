package textan

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
)

// PhraseCount is a phrase and the texts it is in.
type PhraseCount struct {
	Phrase string // content words, lower case, one space apart: "ticket machine"
	Count  int    // texts it is in
	// Examples are the indexes of the first texts it is in, at most
	// MaxPhraseExamples.
	Examples []int
}

// MaxPhraseExamples is how many example texts a PhraseCount keeps.
const MaxPhraseExamples = 3

// maxPhraseWords is the longest phrase counted.
const maxPhraseWords = 3

// Phrases counts the phrases of 1 to 3 content words in texts — words of
// 3 letters or more that are neither numbers nor English stopwords, next
// to each other in a clause — each once per text, and returns those in
// at least min texts, most frequent first. It leaves out what the
// taxonomy already finds (a phrase any theme's term matches), and a
// phrase inside a longer one found in as many texts: that is the same
// thing said, and the longer phrase says it better.
func Phrases(texts []string, tax *Taxonomy, min int) []PhraseCount {
	byPhrase := map[string]*PhraseCount{}
	for i, text := range texts {
		for p := range textPhrases(text) {
			pc := byPhrase[p]
			if pc == nil {
				pc = &PhraseCount{Phrase: p}
				byPhrase[p] = pc
			}
			pc.Count++
			if len(pc.Examples) < MaxPhraseExamples {
				pc.Examples = append(pc.Examples, i)
			}
		}
	}
	kept := map[string]*PhraseCount{}
	for p, pc := range byPhrase {
		if pc.Count >= min && !onlyFeeling(p) && (tax == nil || len(tax.match(tokenize(p))) == 0) {
			kept[p] = pc
		}
	}
	dropSubsumed(kept)
	out := make([]PhraseCount, 0, len(kept))
	for _, pc := range kept {
		out = append(out, *pc)
	}
	slices.SortFunc(out, func(a, b PhraseCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(strings.Count(b.Phrase, " "), strings.Count(a.Phrase, " ")),
			cmp.Compare(a.Phrase, b.Phrase))
	})
	return out
}

// CountPhrases is, for each of phrases (as Phrases writes them), the
// number of texts it is in.
func CountPhrases(texts []string, phrases []string) []int {
	index := make(map[string]int, len(phrases))
	for i, p := range phrases {
		index[p] = i
	}
	counts := make([]int, len(phrases))
	for _, text := range texts {
		for p := range textPhrases(text) {
			if i, ok := index[p]; ok {
				counts[i]++
			}
		}
	}
	return counts
}

// dropSubsumed removes each phrase found inside a longer kept phrase
// with the same count.
func dropSubsumed(kept map[string]*PhraseCount) {
	var drop []string
	for p, pc := range kept {
		words := strings.Fields(p)
		for n := 1; n < len(words); n++ {
			for i := 0; i+n <= len(words); i++ {
				sub := strings.Join(words[i:i+n], " ")
				if s, ok := kept[sub]; ok && s.Count == pc.Count {
					drop = append(drop, sub)
				}
			}
		}
	}
	for _, p := range drop {
		delete(kept, p)
	}
}

// textPhrases is the set of phrases of a text: every run of 1 to 3
// content words, a run broken by anything else (a stopword, a number,
// a sign, a line break).
func textPhrases(text string) map[string]struct{} {
	set := map[string]struct{}{}
	var run []string
	flush := func() {
		for i := range run {
			for n := 1; n <= maxPhraseWords && i+n <= len(run); n++ {
				set[strings.Join(run[i:i+n], " ")] = struct{}{}
			}
		}
		run = run[:0]
	}
	for _, tok := range tokenize(text) {
		if tok.kind == tokWord && contentWord(tok.norm) {
			run = append(run, tok.norm)
			continue
		}
		flush()
	}
	flush()
	return set
}

// contentWord reports whether w (normalised) can be part of a phrase:
// 3 letters or more, no digit, no apostrophe (a contraction is a
// function word: "don't", "they're"), and no stopword.
func contentWord(w string) bool {
	letters := 0
	for _, r := range w {
		switch {
		case unicode.IsDigit(r), r == '\'':
			return false
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters < 3 {
		return false
	}
	_, stop := stopwords[w]
	return !stop
}

// onlyFeeling reports whether every word of a phrase is a sentiment or a
// booster word ("useless", "really pleased"): how customers feel is the
// sentiment's to tell, not a subject of its own. "card reader froze"
// stays: it names a thing.
func onlyFeeling(phrase string) bool {
	for _, w := range strings.Fields(phrase) {
		_, feeling := lex().words[w]
		_, boost := boosters[w]
		if !feeling && !boost {
			return false
		}
	}
	return true
}

// stopwords are English words too common to name a subject. Words under
// 3 letters are left out already.
var stopwords = func() map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(`
		the and but for nor yet not any all are was were been being has had have having does did doing
		this that these those there here then than them they their theirs what which who whom whose when
		where why how with without within into onto from about above below over under again further once
		very too just only also even still really quite much many more most some such own same other
		each both few can could will would shall should may might must ought you your yours yourself
		his her hers him she its itself our ours ourselves myself himself herself themselves
		out off down upon across after before during through until while because though although
		get got gets getting make made let lets say said says see seen saw go goes going went gone
		come came one two three first last next now never always ever often sometimes time times
		thing things lot lots bit way well good great nice bad like also back day days today yesterday
		everything something nothing anything everyone someone anyone again ago per via etc please thanks
		thank okay yes yeah`) {
		m[w] = struct{}{}
	}
	return m
}()
