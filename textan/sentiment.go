package textan

import (
	"math"
	"strings"
)

// Label names a sentiment's side.
type Label string

const (
	Negative Label = "negative"
	Neutral  Label = "neutral"
	Positive Label = "positive"
)

// Sentiment is a score in −1…1 and its label: neutral within ±NeutralBand.
type Sentiment struct {
	Score float64 `json:"score"`
	Label Label   `json:"label"`
}

// NeutralBand is how far from zero a score stays neutral.
const NeutralBand = 0.05

// The weights of the rules, on VADER's scale (a word weighs −4…4).
const (
	negationScale = -0.74 // "not good": good turned and weakened
	capsBoost     = 0.733 // "GREAT" in a sentence not all in capitals
	elongBoost    = 0.2   // "sooo good"
	bangBoost     = 0.292 // per "!", up to four
	beforeBut     = 0.5   // "the food was fine, but the service was awful":
	afterBut      = 1.5   // what follows "but" is what the writer means
	normAlpha     = 15    // score = sum / sqrt(sum² + alpha), as VADER
	negationReach = 4     // words a negator reaches forward in its clause
	unmetScale    = -0.5  // "I expected it to be good": a hope, not a fact, and not met
	ifScale       = 0.3   // "if you want a good phone, …": said of no real thing
	bareNegation  = -0.6  // "it won't charge": a negated plain verb, a failure told
	morphScale    = 0.9   // a form found by its stem ("sweetest" as "sweet")
)

// sentimentOf turns a raw sum into a Sentiment.
func sentimentOf(sum float64) Sentiment {
	score := 0.0
	if sum != 0 {
		score = sum / math.Sqrt(sum*sum+normAlpha)
	}
	score = math.Round(score*1000) / 1000
	label := Neutral
	switch {
	case score >= NeutralBand:
		label = Positive
	case score <= -NeutralBand:
		label = Negative
	}
	return Sentiment{Score: score, Label: label}
}

// hit is one word, phrase, emoji or emoticon that carries sentiment.
type hit struct {
	pos, n  int // tokens [pos, pos+n) of the sentence
	valence float64
}

// scoreTokens is the raw sentiment of one sentence's tokens.
func scoreTokens(toks []token) float64 {
	hits := findHits(toks)
	if len(hits) == 0 {
		return bareNegations(toks, nil)
	}
	allCaps := shouting(toks)
	but := contrastAt(toks)
	sum := 0.0
	for k, h := range hits {
		v := h.valence
		sign := math.Copysign(1, v)
		v += sign * boost(toks, h.pos)
		if !allCaps && anyCaps(toks[h.pos:h.pos+h.n]) {
			v += sign * capsBoost
		}
		if anyElong(toks[h.pos : h.pos+h.n]) {
			v += sign * elongBoost
		}
		// A negator turns the first word of weight after it, not the
		// ones after that ("not bad at all 😍"), and never a face.
		neg := toks[h.pos].kind == tokWord && negated(toks, h.pos, prevEnd(hits, k))
		if neg {
			v *= negationScale
		}
		if cue := clauseCue(toks, h.pos); cue == cueIf {
			v *= ifScale
		} else if cue == cueUnmet && v > 0 && !neg {
			v *= unmetScale
		}
		if but >= 0 {
			if h.pos < but {
				v *= beforeBut
			} else {
				v *= afterBut
			}
		}
		sum += v
	}
	sum += bareNegations(toks, hits)
	if sum != 0 {
		bangs := min(count(toks, "!"), 4)
		sum += math.Copysign(float64(bangs)*bangBoost, sum)
	}
	return sum
}

// findHits finds what carries sentiment, a phrase before its words.
func findHits(toks []token) []hit {
	l := lex()
	var hits []hit
	for i := 0; i < len(toks); {
		t := toks[i]
		switch t.kind {
		case tokEmoji:
			if v, ok := l.emoji[stripSelectors(t.norm)]; ok {
				hits = append(hits, hit{i, 1, v})
			}
		case tokEmoticon:
			if v, ok := l.emoticons[t.norm]; ok {
				hits = append(hits, hit{i, 1, v})
			}
		case tokWord:
			if p, ok := l.matchPhrase(toks, i); ok {
				hits = append(hits, hit{i, len(p.toks), p.valence})
				i += len(p.toks)
				continue
			}
			if v, ok := l.wordValence(toks, i); ok {
				hits = append(hits, hit{i, 1, v})
			} else if v, ok := l.alone[t.norm]; ok && (i+1 == len(toks) || toks[i+1].kind != tokWord) {
				hits = append(hits, hit{i, 1, v}) // a booster boosting nothing: "it loads super!"
			}
		}
		i++
	}
	return hits
}

// matchPhrase finds the longest phrase starting at toks[i].
func (l *lexicon) matchPhrase(toks []token, i int) (phrase, bool) {
	cands := l.phrases[toks[i].norm]
	for _, p := range cands {
		if i+len(p.toks) > len(toks) {
			continue
		}
		ok := true
		for k, w := range p.toks {
			if toks[i+k].norm != w {
				ok = false
				break
			}
		}
		if ok {
			return p, true
		}
	}
	return phrase{}, false
}

// likeSubjects are the words before "like" when it means to enjoy ("I
// like it"), not to resemble ("feels like plastic").
var likeSubjects = set("i", "we", "you", "they", "really", "also", "just", "definitely", "totally", "do", "did",
	"would", "i'd", "we'd", "still", "actually")

// wordValence is the weight of the word at toks[i], if it has one.
func (l *lexicon) wordValence(toks []token, i int) (float64, bool) {
	w := toks[i].norm
	switch w {
	case "like":
		if i == 0 || !likeSubjects[toks[i-1].norm] || (i+1 < len(toks) && toks[i+1].norm == "to") {
			return 0, false // "feels like plastic", "I'd like to return it"
		}
	case "kind", "sort":
		if i+1 < len(toks) && toks[i+1].norm == "of" {
			return 0, false // "kind of": a dampener
		}
	}
	if toks[i].elong { // "goood" is "good" said louder, not the slang entry
		for _, n := range []int{2, 1} {
			if v, ok := l.words[squeeze(w, n)]; ok {
				return v, true
			}
		}
	}
	if v, ok := l.words[w]; ok {
		return v, true
	}
	if v, ok := l.stemValence(w); ok {
		return v * morphScale, true
	}
	return 0, false
}

// stemSuffixes turn a comparative, superlative or adverb into the word
// the lexicons list: sweetest → sweet, simpler → simple, happily → happy.
var stemSuffixes = []struct{ suffix, repl string }{
	{"iest", "y"}, {"ier", "y"}, {"ily", "y"}, {"est", ""}, {"est", "e"}, {"er", ""}, {"er", "e"},
	{"ly", ""}, {"ly", "le"},
}

// stemValence is the weight of w's stem, if w is a longer form of a
// listed word.
func (l *lexicon) stemValence(w string) (float64, bool) {
	for _, s := range stemSuffixes {
		stem, ok := strings.CutSuffix(w, s.suffix)
		if !ok || len(stem) < 3 {
			continue
		}
		if v, ok := l.words[stem+s.repl]; ok {
			return v, true
		}
	}
	// A doubled last consonant: biggest → big, hottest → hot.
	for _, suf := range []string{"est", "er"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 4 && stem[len(stem)-1] == stem[len(stem)-2] {
			if v, ok := l.words[stem[:len(stem)-1]]; ok {
				return v, true
			}
		}
	}
	return 0, false
}

// boost is what the up to three words before pos add to its strength:
// "very good", "extremely slow"; "kind of nice" takes away.
func boost(toks []token, pos int) float64 {
	total, seen := 0.0, 0
	for j := pos - 1; j >= 0 && seen < 3; j-- {
		t := toks[j]
		if t.kind != tokWord {
			break
		}
		seen++
		b, ok := boosters[t.norm]
		if !ok && t.elong { // "sooo good"
			b, ok = boosters[squeeze(t.norm, 1)]
		}
		if !ok && j > 0 {
			b, ok = boosters[toks[j-1].norm+" "+t.norm] // "kind of", "a bit"
		}
		if !ok {
			continue
		}
		if t.caps {
			b += math.Copysign(capsBoost, b)
		}
		total += b * (1 - 0.05*float64(seen-1))
	}
	return total
}

// prevEnd is where the hit before hits[k] ends, 0 for the first.
func prevEnd(hits []hit, k int) int {
	if k == 0 {
		return 0
	}
	return hits[k-1].pos + hits[k-1].n
}

// negated reports whether a negator before pos (at or after from, where
// the previous word of weight ended), in its clause and at most
// negationReach words away, turns it: "not good", "never disappoints",
// "no problems", "the least helpful". "not only" and "not just" do not.
func negated(toks []token, pos, from int) bool {
	words := 0
	for j := pos - 1; j >= from; j-- {
		t := toks[j]
		if t.kind != tokWord || clauseBreak[t.norm] {
			return false
		}
		words++
		if words > negationReach {
			return false
		}
		if negators[t.norm] {
			next := toks[j+1].norm
			mention := next == "to" && j+2 < len(toks) && toks[j+2].norm == "mention"
			return next != "only" && next != "just" && !mention // "not only", "not to mention"
		}
		if t.norm == "least" && (j == 0 || toks[j-1].norm != "at") {
			return true
		}
	}
	return false
}

// Cues that change what a clause's sentiment means.
type cue uint8

const (
	cueNone  cue = iota
	cueIf        // "if", "unless": a condition, not a fact
	cueUnmet     // "expected", "hoped", "should", "wish": a hope
)

var unmetCues = set("expected", "expect", "expecting", "hoped", "hope", "hoping", "wish", "wished", "wishing",
	"should", "should've", "shouldve", "supposed", "would've", "wouldve", "could've", "couldve", "wanted")

// clauseCue is the cue that opens pos's clause, nearest first, within
// five words.
func clauseCue(toks []token, pos int) cue {
	words := 0
	for j := pos - 1; j >= 0 && words < 5; j-- {
		t := toks[j]
		if t.kind == tokPunct && t.norm != "'" || t.kind == tokWord && clauseBreak[t.norm] {
			return cueNone
		}
		if t.kind != tokWord {
			continue
		}
		words++
		switch {
		case t.norm == "if" || t.norm == "unless":
			return cueIf
		case unmetCues[t.norm]:
			return cueUnmet
		}
	}
	return cueNone
}

// bareNegations is what the negated plain verbs of a sentence add: a
// negator with nothing of weight in its reach, in a review, tells of a
// failure ("it won't charge", "I can't hear anyone"); at most two count.
func bareNegations(toks []token, hits []hit) float64 {
	n := 0
	for j, t := range toks {
		if t.kind != tokWord || !verbNegators[t.norm] || n >= 2 {
			continue
		}
		covered := false
		for _, h := range hits {
			if h.pos <= j && j < h.pos+h.n || h.pos > j && h.pos-j <= negationReach+1 {
				covered = true
				break
			}
		}
		if !covered {
			n++
		}
	}
	return float64(n) * bareNegation
}

// verbNegators negate a verb: "doesn't work", "won't charge".
var verbNegators = set("not", "never", "cannot", "can't", "couldn't", "didn't", "doesn't", "don't", "isn't",
	"wasn't", "won't", "wouldn't", "aren't", "weren't", "hasn't", "haven't", "hadn't")

// clauseBreak are the words that end a negator's reach.
var clauseBreak = set("but", "however", "although", "though", "yet", "whereas", "while", "and", "or",
	"because", "since")

// contrastAt is the token index of the "but" (or "however") that splits
// the sentence's weight, or of the comma closing an opening "although"
// clause; -1 for none.
func contrastAt(toks []token) int {
	at := -1
	for i, t := range toks {
		if t.kind == tokWord && (t.norm == "but" || t.norm == "however") && i > 0 {
			at = i
		}
	}
	if at >= 0 || len(toks) == 0 {
		return at
	}
	if first := toks[0].norm; first == "although" || first == "though" || first == "while" {
		for i, t := range toks {
			if t.kind == tokPunct && t.norm == "," {
				return i
			}
		}
	}
	return -1
}

// shouting reports whether the sentence is written all in capitals,
// where capitals stress nothing in particular.
func shouting(toks []token) bool {
	words, caps := 0, 0
	for _, t := range toks {
		if t.kind == tokWord && len(t.text) > 1 && strings.ToUpper(t.text) != strings.ToLower(t.text) {
			words++
			if t.caps {
				caps++
			}
		}
	}
	return words > 0 && caps == words
}

func anyCaps(toks []token) bool {
	for _, t := range toks {
		if t.caps {
			return true
		}
	}
	return false
}

func anyElong(toks []token) bool {
	for _, t := range toks {
		if t.elong {
			return true
		}
	}
	return false
}

func count(toks []token, punct string) int {
	n := 0
	for _, t := range toks {
		if t.kind == tokPunct && t.norm == punct {
			n++
		}
	}
	return n
}
