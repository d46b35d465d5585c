package web

import "testing"

// TestCSVSafe: a cell a spreadsheet would run as a formula starts with an
// apostrophe; every other cell is left exactly as it was.
func TestCSVSafe(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=SUM(A1)", "'=SUM(A1)"},
		{"+44 20 7946 0000", "'+44 20 7946 0000"},
		{"-2+3", "'-2+3"},
		{"@cmd", "'@cmd"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{`=HYPERLINK("http://evil.example","click")`, `'=HYPERLINK("http://evil.example","click")`},
		{"", ""},
		{"Fine, thanks = good", "Fine, thanks = good"},
		{" =1", " =1"},
		{"'=1", "'=1"},
		{"Ünïcode ★", "Ünïcode ★"},
	} {
		if got := csvSafe(tc.in); got != tc.want {
			t.Errorf("csvSafe(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
