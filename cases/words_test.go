package cases

import "testing"

func TestCountWord(t *testing.T) {
	for _, tt := range []struct {
		text, word string
		want       int
	}{
		{"the order was late", "late", 1},
		{"chocolate cake, delivered late, lately late", "late", 3}, // late, lately, late; not chocolate
		{"they refunded me; refunds are slow", "refund", 2},
		{"rapid service", "api", 0},
		{"the api broke", "api", 1},
		{"waste of money, a waste of money", "waste of money", 2},
		{"why?? where?", "?", 3},
		{"great!!!", "!!", 1},
		{"très déçu", "deçu", 0}, // text and word must be folded alike: the caller folds
		{"tres decu", "decu", 1},
		{"", "late", 0},
		{"late", "", 0},
		{"l'attente", "attente", 1},
		{"配達が遅い", "遅い", 1}, // no spaces between words: anywhere
		{"บริการช้ามาก", "ช้า", 1},
	} {
		if got := countWord(tt.text, tt.word); got != tt.want {
			t.Errorf("countWord(%q, %q) = %d; want %d", tt.text, tt.word, got, tt.want)
		}
		if got := hasWord(tt.text, tt.word); got != (tt.want > 0) {
			t.Errorf("hasWord(%q, %q) = %v; want %v", tt.text, tt.word, got, tt.want > 0)
		}
	}
}
