package textan

// Score is the sentiment of a text read as English, whatever its
// language: for one sentence, or for scripts that know the language.
func Score(text string) Sentiment {
	toks := tokenize(text)
	total := 0.0
	for _, sp := range splitSentences(toks) {
		total += scoreTokens(toks[sp[0]:sp[1]])
	}
	return sentimentOf(total)
}

// splitSentences are the token ranges [from, to) of the sentences: a
// sentence ends at ".", "!" or "?" (with any that follow, and the emoji
// and faces right after: "Great! 😍") and at a line break.
func splitSentences(toks []token) [][2]int {
	var out [][2]int
	start := 0
	flush := func(end int) {
		for start < end && toks[start].kind == tokBreak {
			start++
		}
		if end > start {
			out = append(out, [2]int{start, end})
		}
		start = end
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tokBreak:
			flush(i)
			start = i + 1
		case t.kind == tokPunct && (t.norm == "." || t.norm == "!" || t.norm == "?"):
			j := i + 1
			for j < len(toks) && (toks[j].kind == tokEmoji || toks[j].kind == tokEmoticon ||
				(toks[j].kind == tokPunct && isCloser(toks[j].norm))) {
				j++
			}
			flush(j)
			i = j - 1
		}
	}
	flush(len(toks))
	return out
}

// isCloser: signs that end a sentence with the one before them.
func isCloser(s string) bool {
	switch s {
	case ".", "!", "?", ")", "\"", "'", "”", "’", "»":
		return true
	}
	return false
}
