package textan

import (
	"bufio"
	"cmp"
	"embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// LanguageScore is one candidate language of a text and its share of the
// evidence.
type LanguageScore struct {
	Lang  string  `json:"lang"`
	Score float64 `json:"score"`
}

// Language detects the language of a customer's text: an ISO 639-1 code
// ("en", "es", "fr", "de", "nl", "it", "pt") or "" when the text is too
// short or too mixed to tell (for example "OK", "👍", "5 stars", a URL).
// It is safe for concurrent use and does not allocate.
func Language(text string) string {
	e := langRead(text)
	return e.decide()
}

// LanguageScores is Language's evidence: each candidate language with a
// score in 0…1 (summing to 1 over the candidates when any evidence was found),
// highest first; empty when there was none.
func LanguageScores(text string) []LanguageScore {
	e := langRead(text)
	if e.strength == 0 {
		return nil
	}
	p := langSoftmax(e.ll, 1)
	total := 0.0
	for _, v := range p {
		if v >= langMinScore {
			total += v
		}
	}
	var out []LanguageScore
	for l, v := range p {
		if v >= langMinScore {
			out = append(out, LanguageScore{Lang: langCodes[l], Score: v / total})
		}
	}
	slices.SortStableFunc(out, func(a, b LanguageScore) int { return cmp.Compare(b.Score, a.Score) })
	return out
}

// langCodes are the languages told apart, in the order of every table here.
var langCodes = [...]string{"en", "es", "fr", "de", "nl", "it", "pt"}

const langN = len(langCodes)

// langVec holds one number per language.
type langVec [langN]float64

func (v *langVec) add(w *langVec, k float64) {
	for l := range v {
		v[l] += w[l] * k
	}
}

// The constants below were set on sentences of customer feedback. A text
// is called only when it holds about one function word's worth of
// evidence and its best language is clearly more likely than the next,
// so "5 stars" or a brand name alone stay undetermined.
const (
	langMinEvidence = 0.7  // evidence needed, in function words' worth
	langMinMargin   = 1.5  // log-likelihood lead needed over the runner-up
	langMinLead     = 0.15 // and, in a long text, per unit of evidence
	langMissing     = 0.1  // likelihood of a word in a language that does not list it, relative to one that does
	langTriWeight   = 0.5  // a word outside the lists, judged by its spelling, counts this much
	langTriTemp     = 3.0  // softens trigram likelihoods, trained on little text
	langTriAlpha    = 0.1  // additive smoothing of trigram counts
	langMinScore    = 1e-3 // LanguageScores leaves out languages below this
	langMaxWord     = 40   // longer "words" are ids or noise: ignored
	langFewCaps     = 4    // an all-capital word this short is an acronym
	langMidCapital  = 0.5  // a capitalised word inside a sentence is often a name
	langCamel       = 0.25 // "iPhone", "PayPal": a brand
)

// langClue is what a word or letter says: how much it adds to the
// log-likelihood of each language, and how much evidence it is.
type langClue struct {
	ll       langVec
	strength float64
}

func (c *langClue) add(d *langClue, k float64) {
	c.ll.add(&d.ll, k)
	c.strength += d.strength * k
}

// newLangClue makes the clue of something with the given strength, seen
// in each language as often as support says (1 for the languages that
// use it most, 0 for those that never do).
func newLangClue(strength float64, support *langVec) langClue {
	c := langClue{strength: strength}
	for l, s := range support {
		c.ll[l] = strength * math.Log(s*(1-langMissing)+langMissing)
	}
	return c
}

// langEvidence is what a whole text says.
type langEvidence struct {
	langClue
	other float64 // words in other scripts
}

// decide picks the language, or "" when the evidence is too thin, too
// even, or mostly in another script.
func (e *langEvidence) decide() string {
	if e.strength < langMinEvidence || e.other > e.strength {
		return ""
	}
	best, second := 0, 1
	if e.ll[second] > e.ll[best] {
		best, second = second, best
	}
	for l := 2; l < langN; l++ {
		switch {
		case e.ll[l] > e.ll[best]:
			best, second = l, best
		case e.ll[l] > e.ll[second]:
			second = l
		}
	}
	if lead := e.ll[best] - e.ll[second]; lead < langMinMargin || lead < langMinLead*e.strength {
		return ""
	}
	return langCodes[best]
}

// langRead adds up what each word of text says about its language.
func langRead(text string) langEvidence {
	var e langEvidence
	r := langReader{text: text, start: true}
	m := langModel()
	for r.next() {
		m.score(&r, &e)
	}
	return e
}

// langTables is everything the detector knows, built once from lang/.
type langTables struct {
	words  map[string]langClue // folded word → its clue
	triIdx []uint16            // trigram code → row of tri; 0: seen in no language
	tri    []langVec           // log-probability of a trigram per language
	unseen langVec             // log-probability of a trigram a language never showed
}

// langModel is the detector's tables, built on first use: a process
// that reads no text does not pay for them.
var langModel = sync.OnceValue(loadLangTables)

// score adds the clues of the reader's current word to e.
func (m *langTables) score(r *langReader, e *langEvidence) {
	if r.foreign > 0 {
		e.other += float64(r.foreign+1) / 2
		return
	}
	if r.n == 0 || r.n > langMaxWord {
		return
	}
	weight := r.weight()
	if c, ok := m.words[string(r.buf[:r.n])]; ok {
		e.add(&c, weight)
	} else if m.judged(r) {
		c := m.spelling(r.buf[:r.n])
		e.add(&c, weight)
	}
	e.add(&r.cue, weight)
}

// spelling judges a word outside the lists by how well its letter
// trigrams fit each language's profile.
func (m *langTables) spelling(w []byte) langClue {
	var ll langVec
	var buf [langMaxWord + 1]int
	for _, c := range langTrigramCodes(w, buf[:0]) {
		if row := m.triIdx[c]; row != 0 {
			ll.add(&m.tri[row], 1)
		} else {
			ll.add(&m.unseen, 1)
		}
	}
	p := langSoftmax(ll, langTriTemp)
	top := slices.Max(p[:])
	for l := range p {
		p[l] /= top
	}
	return newLangClue(langTriWeight, &p)
}

// langSoftmax turns log-likelihoods into probabilities, flattened by temp.
func langSoftmax(v langVec, temp float64) langVec {
	top := slices.Max(v[:])
	sum := 0.0
	for l := range v {
		v[l] = math.Exp((v[l] - top) / temp)
		sum += v[l]
	}
	for l := range v {
		v[l] /= sum
	}
	return v
}

// langReader walks a text word by word, folding each word as it reads
// it, without allocating. A chunk is a run of text between spaces; chunks
// with digits, slashes, URLs and e-mail addresses are skipped whole ("S21",
// "5/5", "N/A", "example.com"), as they say nothing of the language.
type langReader struct {
	text    string
	i       int      // next byte to read
	end     int      // end of the current chunk
	start   bool     // the next word begins a sentence
	nextCue langClue // "¿" and "¡" speak for the word after them

	// The current word.
	buf        [langMaxWord]byte // folded: a–z only
	n          int               // folded length, may pass len(buf)
	letters    int
	upper      int
	firstUpper bool
	initial    bool     // it begins a sentence
	foreign    int      // letters of other scripts
	cue        langClue // what its accented letters say
}

// next moves to the next word; false at the end of the text.
func (r *langReader) next() bool {
	for {
		if r.i < r.end && r.readWord() {
			return true
		}
		if !r.nextChunk() {
			return false
		}
		if chunk := r.text[r.i:r.end]; langSkipChunk(chunk) {
			if strings.ContainsAny(chunk[len(chunk)-1:], ".!?") {
				r.start = true
			}
			r.i = r.end
		}
	}
}

// nextChunk skips space to the next chunk; false at the end of the text.
func (r *langReader) nextChunk() bool {
	for r.i < len(r.text) {
		c, size := utf8.DecodeRuneInString(r.text[r.i:])
		if !unicode.IsSpace(c) {
			break
		}
		if c == '\n' || c == '\u2028' || c == '\u2029' {
			r.start = true
		}
		r.i += size
	}
	r.end = r.i
	for r.end < len(r.text) {
		c, size := utf8.DecodeRuneInString(r.text[r.end:])
		if unicode.IsSpace(c) {
			break
		}
		r.end += size
	}
	return r.i < r.end
}

// langTLDs end the names of web sites people mention.
var langTLDs = map[string]bool{"com": true, "net": true, "org": true, "io": true, "co": true, "uk": true,
	"de": true, "fr": true, "es": true, "it": true, "nl": true, "pt": true, "br": true, "eu": true, "be": true,
	"ch": true, "at": true, "info": true, "shop": true, "app": true, "dev": true}

func langSkipChunk(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; '0' <= c && c <= '9' || c == '@' || c == '/' {
			return true
		}
	}
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		return true
	}
	s = strings.TrimRight(s, ".,;:!?)\"'")
	dot := strings.LastIndexByte(s, '.')
	return dot > 0 && langTLDs[s[dot+1:]]
}

// readWord reads the chunk's next word; false when no letter is left.
func (r *langReader) readWord() bool {
	for r.i < r.end {
		c, size := r.peek()
		if c < utf8.RuneSelf && langASCIILetter(byte(c)) || c >= utf8.RuneSelf && unicode.IsLetter(c) {
			break
		}
		r.punct(c)
		r.i += size
	}
	if r.i >= r.end {
		return false
	}
	r.n, r.letters, r.upper, r.firstUpper, r.foreign = 0, 0, 0, false, 0
	r.cue, r.nextCue = r.nextCue, langClue{}
	r.initial, r.start = r.start, false
	for r.i < r.end {
		c, size := r.peek()
		if !r.addLetter(c) {
			break
		}
		r.i += size
	}
	return true
}

func (r *langReader) peek() (rune, int) {
	if c := r.text[r.i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(r.text[r.i:r.end])
}

func langASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// punct notes what a sign between words says: a sentence ends, or a
// Spanish question or exclamation begins.
func (r *langReader) punct(c rune) {
	switch c {
	case '.', '!', '?', '…':
		r.start = true
	case '¿', '¡':
		r.start = true
		c := langCues[c]
		r.nextCue.add(&c, 1)
	}
}

// addLetter folds c onto the current word; false when c ends the word
// (an apostrophe or hyphen too: "c'est" is read as "c" and "est").
func (r *langReader) addLetter(c rune) bool {
	switch {
	case 'a' <= c && c <= 'z':
		r.put(byte(c))
	case 'A' <= c && c <= 'Z':
		r.markUpper()
		r.put(byte(c - 'A' + 'a'))
	case c < utf8.RuneSelf:
		return false
	case unicode.Is(unicode.Mn, c):
		return true // a combining accent: it belongs to the letter before
	case !unicode.IsLetter(c):
		return false
	default:
		r.addFolded(c)
	}
	r.letters++
	return true
}

// addFolded adds a letter outside ASCII: its base letter, and its cue.
func (r *langReader) addFolded(c rune) {
	lc := unicode.ToLower(c)
	if lc != c {
		r.markUpper()
	}
	var f string
	if int(lc) < len(langFold) {
		f = langFold[lc]
	}
	if f == "" {
		r.foreign++
		return
	}
	for i := 0; i < len(f); i++ {
		r.put(f[i])
	}
	if c, ok := langCues[lc]; ok {
		r.cue.add(&c, 1)
	}
}

func (r *langReader) markUpper() {
	if r.letters == 0 {
		r.firstUpper = true
	}
	r.upper++
}

func (r *langReader) put(b byte) {
	if r.n < len(r.buf) {
		r.buf[r.n] = b
	}
	r.n++
}

// weight is how far the current word can be trusted to be in the text's
// language: names and brands ("Galaxy", "iPhone") are often not.
func (r *langReader) weight() float64 {
	switch {
	case r.letters < 2 || r.upper == 0 || r.upper == r.letters:
		return 1
	case r.firstUpper && r.upper == 1:
		if r.initial {
			return 1
		}
		return langMidCapital
	}
	return langCamel
}

// trigramsTell says whether the spelling of a word outside the lists is
// worth reading: not for an acronym ("DHL") or a camel-case brand.
func (r *langReader) trigramsTell() bool {
	if r.upper == r.letters {
		return r.letters > langFewCaps
	}
	return r.upper == 0 || r.upper == 1 && r.firstUpper
}

// langCues are the letters and signs that only some of the languages
// write: how strong a clue each is, and how much each language uses it
// (in the order of langCodes).
var langCues = func() map[rune]langClue {
	cues := map[rune]struct {
		strength float64
		support  langVec
	}{
		'ñ': {1, langVec{0, 1}}, '¿': {1, langVec{0, 1}}, '¡': {1, langVec{0, 1}},
		'á': {0.6, langVec{0, 1, 0, 0, 0, 0, 1}}, 'í': {0.6, langVec{0, 1, 0, 0, 0, 0, 0.6}},
		'ó': {0.6, langVec{0, 1, 0, 0, 0, 0, 0.6}}, 'ú': {0.6, langVec{0, 1, 0, 0, 0, 0, 0.6}},
		'é': {0.5, langVec{0.1, 0.6, 1, 0.05, 0.1, 0.3, 0.6}}, 'è': {0.6, langVec{0, 0, 1, 0, 0, 1}},
		'à': {0.5, langVec{0, 0, 1, 0, 0, 1, 0.6}}, 'ù': {0.6, langVec{0, 0, 0.6, 0, 0, 1}},
		'ì': {0.8, langVec{0, 0, 0, 0, 0, 1}}, 'ò': {0.8, langVec{0, 0, 0, 0, 0, 1}},
		'ç': {0.7, langVec{0, 0, 1, 0, 0, 0, 1}}, 'œ': {1, langVec{0, 0, 1}},
		'ê': {0.6, langVec{0, 0, 1, 0, 0, 0, 1}}, 'â': {0.6, langVec{0, 0, 1, 0, 0, 0, 1}},
		'ô': {0.6, langVec{0, 0, 1, 0, 0, 0, 1}}, 'î': {0.8, langVec{0, 0, 1}}, 'û': {0.8, langVec{0, 0, 1}},
		'ë': {0.6, langVec{0, 0, 0.6, 0, 1}}, 'ï': {0.6, langVec{0, 0, 1, 0, 1}},
		'ã': {1, langVec{0, 0, 0, 0, 0, 0, 1}}, 'õ': {1, langVec{0, 0, 0, 0, 0, 0, 1}},
		'ß': {1, langVec{0, 0, 0, 1}}, 'ä': {0.8, langVec{0, 0, 0, 1}},
		'ö': {0.8, langVec{0, 0, 0, 1}}, 'ü': {0.8, langVec{0, 0.05, 0, 1}},
	}
	m := make(map[rune]langClue, len(cues))
	for r, c := range cues {
		m[r] = newLangClue(c.strength, &c.support)
	}
	return m
}()

// langFold maps the Latin letters up to U+024F to the ASCII letters a
// customer without a keyboard for them types: "é" → "e", "ß" → "ss".
// Empty for the rest: letters of other scripts.
var langFold = func() (t [0x250]string) {
	spelled := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l", 'ı': "i", 'þ': "th",
		'ĳ': "ij", 'ª': "a", 'º': "o"}
	for c := rune('A'); c < rune(len(t)); c++ {
		if !unicode.IsLetter(c) {
			continue
		}
		lc := unicode.ToLower(c)
		if s, ok := spelled[lc]; ok {
			t[c] = s
		} else if d := norm.NFD.String(string(lc)); 'a' <= d[0] && d[0] <= 'z' {
			t[c] = d[:1]
		}
	}
	return t
}()

//go:embed lang/*.words lang/*.txt
var langFS embed.FS

// loadLangTables reads the word lists and trains the trigram profiles. A
// broken list is a bug in the build, so it panics.
func loadLangTables() *langTables {
	words, err := langReadLists()
	if err != nil {
		panic("textan: " + err.Error())
	}
	m := &langTables{words: words}
	if err := m.train(); err != nil {
		panic("textan: " + err.Error())
	}
	return m
}

// langReadLists reads every language's list. A word's strength is its
// highest weight; the languages that do not list it are told by it that
// they are less likely, so "de" (es, fr, nl, pt) rules out English and
// "het" says Dutch. Neutral words say nothing.
func langReadLists() (map[string]langClue, error) {
	weights := map[string]langVec{}
	for l, code := range langCodes {
		err := langReadList("lang/"+code+".words", func(w string, weight float64) {
			v := weights[w]
			v[l] = max(v[l], weight)
			weights[w] = v
		})
		if err != nil {
			return nil, err
		}
	}
	words := make(map[string]langClue, len(weights))
	for w, v := range weights {
		strength := slices.Max(v[:])
		for l := range v {
			v[l] /= strength
		}
		words[w] = newLangClue(strength, &v)
	}
	return words, langReadList("lang/neutral.words", func(w string, _ float64) { words[w] = langClue{} })
}

// langReadList calls add for each word of a list, folded as texts are,
// with the weight of the last "weight N" line before it.
func langReadList(name string, add func(w string, weight float64)) error {
	f, err := langFS.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	weight := 1.0
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if num, ok := strings.CutPrefix(line, "weight "); ok {
			if weight, err = strconv.ParseFloat(strings.TrimSpace(num), 64); err != nil {
				return fmt.Errorf("%s line %d: %w", name, n, err)
			}
			continue
		}
		r := langReader{text: line}
		for r.next() {
			if r.foreign > 0 || r.n > langMaxWord {
				return fmt.Errorf("%s line %d: %q is not a word the detector can read", name, n, line)
			}
			add(string(r.buf[:r.n]), weight)
		}
	}
	return sc.Err()
}

// langTrigrams is the number of trigram codes: 26 letters and a space.
const langTrigrams = 27 * 27 * 27

// train builds the trigram profiles from each language's sentences,
// counting only the words the lists do not hold, as only those are
// judged by their spelling.
func (m *langTables) train() error {
	counts := make([][langTrigrams]int, langN)
	var totals langVec
	for l, code := range langCodes {
		text, err := langFS.ReadFile("lang/" + code + ".txt")
		if err != nil {
			return err
		}
		r := langReader{text: string(text)}
		for r.next() {
			if !m.judged(&r) {
				continue
			}
			if _, listed := m.words[string(r.buf[:r.n])]; listed {
				continue
			}
			var buf [langMaxWord + 1]int
			for _, c := range langTrigramCodes(r.buf[:r.n], buf[:0]) {
				counts[l][c]++
				totals[l]++
			}
		}
	}
	m.buildProfiles(counts, &totals)
	return nil
}

// judged says whether a word outside the lists is judged by its spelling.
func (m *langTables) judged(r *langReader) bool {
	return r.foreign == 0 && r.n >= 3 && r.n <= langMaxWord && r.trigramsTell()
}

// buildProfiles turns counts into smoothed log-probabilities, with a row
// for each trigram seen in any language.
func (m *langTables) buildProfiles(counts [][langTrigrams]int, totals *langVec) {
	var denom langVec
	for l := range denom {
		denom[l] = totals[l] + langTriAlpha*langTrigrams
		m.unseen[l] = math.Log(langTriAlpha / denom[l])
	}
	m.triIdx = make([]uint16, langTrigrams)
	m.tri = []langVec{{}} // row 0: unseen everywhere
	for c := range langTrigrams {
		var row langVec
		seen := false
		for l := range row {
			row[l] = math.Log((float64(counts[l][c]) + langTriAlpha) / denom[l])
			seen = seen || counts[l][c] > 0
		}
		if seen {
			m.triIdx[c] = uint16(len(m.tri))
			m.tri = append(m.tri, row)
		}
	}
}

// langTrigramCodes appends the codes of the trigrams of " w " (w folded
// to a–z) to codes.
func langTrigramCodes(w []byte, codes []int) []int {
	code := 0 // the last two letters read, a space before the word
	for i := 0; i <= len(w); i++ {
		c := 0 // the space after the word
		if i < len(w) {
			c = int(w[i]-'a') + 1
		}
		code = code%(27*27)*27 + c
		if i > 0 { // " x" is no trigram yet; " xy" is
			codes = append(codes, code)
		}
	}
	return codes
}
