package cases_test

import (
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
)

// TestRuleWordsMatchWords: a rule on the word "late" finds "late" and
// "lateness" in any case and accent, not "chocolate"; a phrase finds the
// phrase.
func TestRuleWordsMatchWords(t *testing.T) {
	f := newFixture(t, testdb.Engines[0])
	for cust, comment := range map[string]string{
		"C-1": "Delivery was LATE again",
		"C-2": "The lateness is a joke",
		"C-3": "Loved the chocolate cake",
		"C-4": "Pure waste of money",
	} {
		f.answer(t, cust, 4, comment)
	}
	try := func(words ...string) int {
		t.Helper()
		tr, err := f.cs.TryRule(t.Context(), heed.System(), heed.Rule{When: heed.RuleConditions{Words: words}},
			t0.Add(-time.Hour), t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return tr.Matched
	}
	if n := try("late"); n != 2 {
		t.Errorf(`"late" matched %d answers; want 2 (LATE, lateness; not chocolate)`, n)
	}
	if n := try("Waste of money", "cake"); n != 2 {
		t.Errorf(`"waste of money", "cake" matched %d answers; want 2`, n)
	}
	if n := try("ate"); n != 0 {
		t.Errorf(`"ate" matched %d answers; want none (only inside words)`, n)
	}
}
