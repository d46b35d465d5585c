package textan

// Result is what Analyze reads in one text.
type Result struct {
	// Language is the detected language ("" when it could not tell).
	Language string `json:"language"`
	// Sentiment of the whole text; nil for a language Heed does not read
	// (only English is scored: no made-up English sentiment for others).
	Sentiment *Sentiment `json:"sentiment"`
	// Themes found, in order of first mention, each with the sentiment
	// of what was said of it.
	Themes []ThemeMention `json:"themes"`
	// Sentences in order, each with its sentiment (nil as above).
	Sentences []SentenceResult `json:"sentences"`
}

// SentenceResult is one sentence of a text.
type SentenceResult struct {
	Text      string     `json:"text"`
	Start     int        `json:"start"` // byte offsets in the text
	End       int        `json:"end"`
	Sentiment *Sentiment `json:"sentiment"`
}

// Analyze reads a text with the default taxonomy (see AnalyzeWith).
func Analyze(text string) Result { return AnalyzeWith(text, defaultTaxonomy()) }

// AnalyzeWith reads a text: its language, its sentences and their
// sentiment, and the themes of tax it speaks of. A text in English, or
// too short to tell, is scored; themes are found in any language whose
// words the terms use.
func AnalyzeWith(text string, tax *Taxonomy) Result { return AnalyzeAs(text, "", tax) }

// AnalyzeAs is AnalyzeWith for a text whose language is known (an ISO
// 639-1 code as its sender gave it); "" detects it.
func AnalyzeAs(text, lang string, tax *Taxonomy) Result {
	if lang == "" {
		lang = Language(text)
	}
	res := Result{Language: lang, Sentences: []SentenceResult{}}
	scored := lang == "" || lang == "en"
	toks := tokenize(text)
	spans := splitSentences(toks)
	res.Themes = tax.themesOf(toks, spans, scored)
	total := 0.0
	for _, sp := range spans {
		first, last := toks[sp[0]], toks[sp[1]-1]
		s := SentenceResult{Text: text[first.start : last.start+len(last.text)], Start: first.start,
			End: last.start + len(last.text)}
		if scored {
			raw := scoreTokens(toks[sp[0]:sp[1]])
			total += raw
			st := sentimentOf(raw)
			s.Sentiment = &st
		}
		res.Sentences = append(res.Sentences, s)
	}
	if scored {
		st := sentimentOf(total)
		res.Sentiment = &st
	}
	return res
}
