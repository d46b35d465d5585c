package textan

import (
	"fmt"
	"reflect"
	"testing"
)

// TestPhrases: a phrase said in enough texts is counted once per text;
// stopwords, numbers and short words break phrases; what a theme's
// term finds and the parts of a longer phrase said as often are left
// out.
func TestPhrases(t *testing.T) {
	tax, err := NewTaxonomy([]Theme{{Key: "waiting", Name: "Waiting", Terms: []string{"queue*", "checkout"}}})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i := range 4 {
		texts = append(texts, fmt.Sprintf("The Ticket Machine ate my card, the ticket machine again! Visit %d.", i))
	}
	texts = append(texts,
		"Long checkout queue today.", "The checkout queue was long.", "Checkout queue, again.", "Checkout queue!",
		"The ticket was lost.", "It is 2024 and it is ok.")
	got := Phrases(texts, tax, 3)
	want := []PhraseCount{
		{Phrase: "ticket", Count: 5, Examples: []int{0, 1, 2}},
		{Phrase: "ticket machine ate", Count: 4, Examples: []int{0, 1, 2}},
		{Phrase: "card", Count: 4, Examples: []int{0, 1, 2}},
		{Phrase: "visit", Count: 4, Examples: []int{0, 1, 2}},
	}
	// "ticket" (5) stays: it is said more often than "ticket machine ate";
	// "ticket machine" and "machine" (4) go inside "ticket machine ate".
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Phrases =\n%+v\nwant\n%+v", got, want)
	}
	if got := Phrases(texts, tax, 6); len(got) != 0 {
		t.Errorf("Phrases with min 6 = %+v; want none", got)
	}
	if got := CountPhrases(texts, []string{"ticket machine", "checkout queue", "2024", "nowhere"}); !reflect.DeepEqual(got, []int{4, 4, 0, 0}) {
		t.Errorf("CountPhrases = %v; want [4 4 0 0]", got)
	}
}

// TestPhrasesLeaveFeelingsToSentiment: a phrase of nothing but feeling
// ("useless", "really pleased") is no subject; one that names a thing
// ("card reader froze") is.
func TestPhrasesLeaveFeelingsToSentiment(t *testing.T) {
	var texts []string
	for range 5 {
		texts = append(texts, "Useless.", "Really pleased!", "The card reader froze again")
	}
	got := map[string]bool{}
	for _, p := range Phrases(texts, nil, 5) {
		got[p.Phrase] = true
	}
	if got["useless"] || got["really pleased"] || got["pleased"] || !got["card reader froze"] {
		t.Errorf("phrases %v; want card reader froze, and no feelings alone", got)
	}
}
