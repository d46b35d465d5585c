package textan

import "testing"

// TestSentimentRules: the rules the issue names, each as a reader would
// judge it.
func TestSentimentRules(t *testing.T) {
	score := func(s string) float64 { return Score(s).Score }
	for _, tt := range []struct {
		text  string
		label Label
	}{
		{"not bad", Positive},
		{"Not bad at all 😍", Positive},
		{"never again", Negative},
		{"I will never shop here again.", Negative},
		{"The staff were friendly but the checkout took ages.", Negative},
		{"The checkout took ages, but the staff were lovely.", Positive},
		{"Although the food was good, the service was awful.", Negative},
		{"Total waste of money.", Negative},
		{"It broke after a week.", Negative},
		{"Works like a charm!", Positive},
		{"I want a refund.", Negative},
		{"Still waiting for my refund, three weeks now.", Negative},
		{"Don't waste your money on this.", Negative},
		{"No complaints at all", Positive},
		{"Nothing to complain about, really", Positive},
		{"It doesn't work.", Negative},
		{"It won't even turn on", Negative},
		{":)", Positive},
		{":-(", Negative},
		{"😡😡", Negative},
		{"👍", Positive},
		{"I expected better.", Negative},
		{"Can't recommend them enough!", Positive},
		{"Would not recommend.", Negative},
		{"The parcel never arrived", Negative},
		{"Arrived on time and well packed", Positive},
		{"OK", Positive},
		{"The order number is 12345.", Neutral},
	} {
		if got := Score(tt.text); got.Label != tt.label {
			t.Errorf("%q = %+v; want %s", tt.text, got, tt.label)
		}
	}
	for _, tt := range []struct{ weaker, stronger string }{
		{"good", "very good"},
		{"very good", "VERY GOOD"},
		{"the food was good", "the food was GOOD"},
		{"kind of good", "good"},
		{"good", "sooo goood"},
		{"good", "good!!!"},
		{"bad", "extremely bad"}, // stronger: further from zero
	} {
		w, s := score(tt.weaker), score(tt.stronger)
		if abs(s) <= abs(w) {
			t.Errorf("%q (%.3f) should be stronger than %q (%.3f)", tt.stronger, s, tt.weaker, w)
		}
	}
}

// TestNegationStaysInItsSentence: VADER lets a negation reach across a
// sentence's end; here it stays in its clause.
func TestNegationStaysInItsSentence(t *testing.T) {
	res := sentencesOf("I did not. Great service though!")
	if len(res) != 2 || res[1] <= 0 {
		t.Errorf("sentences %v: the second must stay positive", res)
	}
	if s := Score("The room was not clean, and the staff were friendly."); s.Score <= -0.5 {
		t.Errorf("a negation reached past its clause: %+v", s)
	}
}

func sentencesOf(text string) []float64 {
	toks := tokenize(text)
	var out []float64
	for _, sp := range splitSentences(toks) {
		out = append(out, sentimentOf(scoreTokens(toks[sp[0]:sp[1]])).Score)
	}
	return out
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
