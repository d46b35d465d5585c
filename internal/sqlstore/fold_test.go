package sqlstore

import (
	"strings"
	"testing"
)

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
