package textan

import (
	"bufio"
	"embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The word lists, with their licences beside them (see lexicon/README.md).
//
//go:embed lexicon/*.tsv
var lexiconFS embed.FS

// opinionValence is what a word of the opinion lexicon, which says only
// positive or negative, weighs on VADER's scale: about the median weight
// of VADER's own opinion words.
const opinionValence = 1.6

// lexicon is every list, read once.
type lexicon struct {
	words     map[string]float64  // one token
	alone     map[string]float64  // a booster's own weight, when it modifies nothing ("the phone loads super!")
	phrases   map[string][]phrase // by first token, longest first
	emoticons map[string]float64  // lower case
	emoji     map[string]float64  // without variation selectors
}

// phrase is an entry of several tokens.
type phrase struct {
	toks    []string
	valence float64
}

// lex is the lexicon, loaded on first use: a process that reads no text
// (most CLI commands) does not pay for it.
var lex = sync.OnceValue(loadLexicon)

// loadLexicon reads the embedded lists. Heed's own entries win over
// VADER's, VADER's over the opinion lexicon's. A broken list is a bug in
// the build, so it panics with the file and line.
func loadLexicon() *lexicon {
	l := &lexicon{words: map[string]float64{}, alone: map[string]float64{}, phrases: map[string][]phrase{}, emoticons: map[string]float64{},
		emoji: map[string]float64{}}
	must := func(err error) {
		if err != nil {
			panic("textan: " + err.Error())
		}
	}
	must(readList("lexicon/opinion.tsv", func(text string, v float64) {
		l.words[text] = v * opinionValence
	}))
	must(readList("lexicon/vader.tsv", func(text string, v float64) {
		if first, _ := utf8.DecodeRuneInString(text); !unicode.IsLetter(first) && !unicode.IsDigit(first) {
			l.emoticons[strings.ToLower(text)] = v
			return
		}
		l.words[strings.ToLower(text)] = v
	}))
	must(readList("lexicon/emoji.tsv", func(text string, v float64) { l.emoji[stripSelectors(text)] = v }))
	must(readList("lexicon/heed.tsv", func(text string, v float64) { l.add(text, v) }))
	for k := range l.phrases {
		slices.SortStableFunc(l.phrases[k], func(a, b phrase) int { return len(b.toks) - len(a.toks) })
	}
	// Negators, boosters and dampeners steer other words; their own
	// weight in VADER ("no" −1.2, "pretty" +2.2, "kind" +2.4) would count
	// them twice.
	for w := range negators {
		delete(l.words, w)
	}
	for w := range boosters {
		if v, ok := l.words[w]; ok {
			l.alone[w] = v
		}
		delete(l.words, w)
	}
	return l
}

// add puts a Heed entry in: a word, or a phrase tokenised as texts are
// (without faces: the emoticons are what is loading, and no entry holds
// one).
func (l *lexicon) add(text string, v float64) {
	var toks []string
	for _, t := range tokenizeWith(text, nil) {
		toks = append(toks, t.norm)
	}
	if len(toks) == 1 {
		l.words[toks[0]] = v
		return
	}
	l.phrases[toks[0]] = append(l.phrases[toks[0]], phrase{toks: toks, valence: v})
}

// readList calls add for every "text<TAB>number" line of an embedded
// list; lines starting with # are comments.
func readList(name string, add func(text string, v float64)) error {
	f, err := lexiconFS.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		text, num, ok := strings.Cut(line, "\t")
		v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !ok || err != nil || text == "" {
			return fmt.Errorf("%s line %d: want text<TAB>number, got %q", name, n, line)
		}
		add(text, v)
	}
	return sc.Err()
}

// stripSelectors drops emoji variation selectors and skin tones, which
// change the look, not the feeling.
func stripSelectors(s string) string {
	if !strings.ContainsFunc(s, isSelector) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isSelector(r) {
			return -1
		}
		return r
	}, s)
}

func isSelector(r rune) bool { return r == 0xFE0F || r == 0xFE0E || (r >= 0x1F3FB && r <= 0x1F3FF) }

// negators turn the sentiment of what follows them in their clause.
var negators = set("not", "no", "never", "cannot", "nor", "neither", "without", "none", "nobody", "nothing",
	"nowhere", "hardly", "barely", "scarcely", "lack", "lacks", "lacked", "lacking", "ain't", "aren't",
	"can't", "couldn't", "didn't", "doesn't", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't",
	"mustn't", "needn't", "shan't", "shouldn't", "wasn't", "weren't", "won't", "wouldn't", "neednt")

// boosters make the next sentiment stronger (positive weight) or weaker
// (negative weight), on VADER's scale.
var boosters = map[string]float64{
	"absolutely": 0.293, "amazingly": 0.293, "awfully": 0.293, "completely": 0.293, "considerably": 0.293,
	"decidedly": 0.293, "deeply": 0.293, "enormously": 0.293, "entirely": 0.293, "especially": 0.293,
	"exceptionally": 0.293, "extremely": 0.293, "fabulously": 0.293, "greatly": 0.293, "highly": 0.293,
	"hugely": 0.293, "incredibly": 0.293, "intensely": 0.293, "majorly": 0.293, "most": 0.293,
	"particularly": 0.293, "purely": 0.293, "really": 0.293, "remarkably": 0.293, "so": 0.293,
	"substantially": 0.293, "thoroughly": 0.293, "totally": 0.293, "tremendously": 0.293, "truly": 0.293,
	"unbelievably": 0.293, "unusually": 0.293, "utterly": 0.293, "very": 0.293, "super": 0.293,
	"such": 0.2, "seriously": 0.293, "insanely": 0.293, "ridiculously": 0.293, "way": 0.2, "too": 0.2,
	"pretty": 0.15, "quite": 0.1, "rather": 0.05, "fairly": -0.1,
	"almost": -0.293, "kinda": -0.293, "less": -0.293, "marginally": -0.293, "occasionally": -0.293,
	"partly": -0.293, "slightly": -0.293, "somewhat": -0.293, "sorta": -0.293, "mostly": -0.1,
	"a bit": -0.2, "kind of": -0.293, "sort of": -0.293, "a little": -0.2,
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
