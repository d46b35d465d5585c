package heed

import (
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Émile", "emile"},
		{"EMILE", "emile"},
		{"Ørsted", "orsted"},
		{"ØRSTED", "orsted"},
		{"Müller", "muller"},
		{"MÜLLER", "muller"},
		{"Straße", "strasse"},
		{"STRASSE", "strasse"},
		{"ẞeta", "sseta"},
		{"Æsir Œuvre", "aesir oeuvre"},
		{"Łódź", "lodz"},
		{"Đorđe", "dorde"},
		{"Þór", "thor"},
		{"Iİı", "iii"},
		{"Zoë  Müller\t", "zoe muller"},
		{"  a\u00a0\nb ", "a b"}, // no-break space and newline are space
		{"a\x1fb", "a b"},        // control characters (the search separator) are space
		{"e\u0301", "e"},         // already decomposed
		{"100% under_score", "100% under_score"},
		{"東京", "東京"},
		{"", ""},
	}
	for _, tt := range tests {
		got := Fold(tt.in)
		if got != tt.want {
			t.Errorf("Fold(%q) = %q; want %q", tt.in, got, tt.want)
		}
		if again := Fold(got); again != got {
			t.Errorf("Fold(Fold(%q)) = %q; want %q unchanged", tt.in, again, got)
		}
	}
}
