package storecodec

import (
	"strings"
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
		{"  a\u00a0\nb ", "a b"},             // no-break space and newline are space
		{"a" + SearchSeparator + "b", "a b"}, // the separator cannot survive
		{"e\u0301", "e"},                     // already decomposed
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

func TestKeys(t *testing.T) {
	k := Keys("Zoë Müller", "Zoe@Example.com", "+32 470", "C-1")
	if k.SortName != "zoe muller" {
		t.Errorf("SortName = %q", k.SortName)
	}
	if want := strings.Join([]string{"zoe muller", "zoe@example.com", "+32 470", "c-1"}, SearchSeparator); k.SearchText != want {
		t.Errorf("SearchText = %q; want %q", k.SearchText, want)
	}
}

func TestSearchPattern(t *testing.T) {
	tests := []struct {
		query, want string
		ok          bool
	}{
		{"MÜLLER", "%muller%", true},
		{" 100%_ ", `%100\%\_%`, true},
		{"   ", "", false},
	}
	for _, tt := range tests {
		got, ok := SearchPattern(tt.query)
		if got != tt.want || ok != tt.ok {
			t.Errorf("SearchPattern(%q) = %q, %v; want %q, %v", tt.query, got, ok, tt.want, tt.ok)
		}
	}
}

func BenchmarkKeys(b *testing.B) {
	for b.Loop() {
		Keys("Customer 1234", "c1234@example.com", "+32 470 00 00 00", "B0-1234")
		Keys("Zoë Müller-Ørsted", "zoe@example.com", "+32 470 00 00 00", "B0-1235")
	}
}
