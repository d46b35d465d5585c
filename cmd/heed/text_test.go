package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heedhq/heed/textan"
)

// TestTextAnalyze: one JSON object per input line, in order, as the
// issue specifies it — language, sentiment, themes with their own
// sentiment, sentences — and no made-up English sentiment for Spanish.
func TestTextAnalyze(t *testing.T) {
	in := "Friendly staff, but the checkout took ages.\n" +
		"El envío llegó tarde y nadie contestó mis correos.\r\n" +
		"\n" +
		"Works like a charm 😍"
	r := mustRun(t, env{}, in, "text", "analyze")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d output lines for 4 input lines:\n%s", len(lines), r.stdout)
	}
	var got []textan.Result
	for i, l := range lines {
		var res textan.Result
		if err := json.Unmarshal([]byte(l), &res); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		got = append(got, res)
	}
	first := got[0]
	if first.Language != "en" || first.Sentiment == nil || first.Sentiment.Label != textan.Negative ||
		len(first.Sentences) != 1 || len(first.Themes) != 2 {
		t.Errorf("line 1: %s", lines[0])
	}
	themes := map[string]float64{}
	for _, th := range first.Themes {
		themes[th.Theme] = *th.Sentiment
	}
	if themes["staff"] <= 0 || themes["waiting"] >= 0 {
		t.Errorf("line 1 themes: %v; want staff positive, waiting negative", themes)
	}
	if es := got[1]; es.Language != "es" || es.Sentiment != nil || es.Sentences[0].Sentiment != nil {
		t.Errorf("line 2 (Spanish): %s", lines[1])
	}
	if empty := got[2]; len(empty.Sentences) != 0 || empty.Sentiment == nil || empty.Sentiment.Label != textan.Neutral {
		t.Errorf("line 3 (empty): %s", lines[2])
	}
	if last := got[3]; last.Sentiment == nil || last.Sentiment.Label != textan.Positive {
		t.Errorf("line 4: %s", lines[3])
	}
	if !strings.Contains(lines[0], `"sentiment":{"score":`) || !strings.Contains(lines[0], `"themes":[{"theme":"staff","sentiment":`) {
		t.Errorf("line 1 is not in the documented shape: %s", lines[0])
	}

	long := strings.Repeat("a", 1<<20+1)
	if r := heedRun(t, env{}, "fine\n"+long+"\n", "text", "analyze"); r.err == nil ||
		!strings.Contains(r.output(), "standard input line 2: longer than 1048576 bytes") {
		t.Errorf("a too long line: %v\n%s", r.err, r.output()[:min(len(r.output()), 300)])
	}
	// The limit is on the text: a line of exactly 1 MiB passes, with
	// "\r\n" after it too; one byte more is refused, last line or not.
	limit := strings.Repeat("a ", 1<<19)
	if r := heedRun(t, env{}, limit+"\r\n"+limit, "text", "analyze"); r.err != nil ||
		strings.Count(r.stdout, "\n") != 2 {
		t.Errorf("two lines of exactly 1 MiB: %v, %d output lines", r.err, strings.Count(r.stdout, "\n"))
	}
	if r := heedRun(t, env{}, "fine\n"+limit+"b", "text", "analyze"); r.err == nil ||
		!strings.Contains(r.output(), "standard input line 2: longer than 1048576 bytes") {
		t.Errorf("a last line one byte too long: %v\n%s", r.err, r.output()[:min(len(r.output()), 300)])
	}
}
