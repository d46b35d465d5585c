package web

import "testing"

func TestBreakable(t *testing.T) {
	for in, want := range map[string]string{
		"amelia_smith@post.example": "amelia_smith@<wbr>post<wbr>.example",
		"a.b@c.d.e":                 "a<wbr>.b@<wbr>c<wbr>.d<wbr>.e",
		"Dr. Who":                   "Dr. Who",
		".x.":                       ".x.",
		"@x":                        "@<wbr>x",
		"x@":                        "x@",
		"":                          "",
		`<b>@"x".&`:                 `&lt;b&gt;@<wbr>&#34;x&#34;<wbr>.&amp;`,
	} {
		if got := string(breakable(in)); got != want {
			t.Errorf("breakable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCapitalize(t *testing.T) {
	for in, want := range map[string]string{"no answer": "No answer", "": "", "élan": "Élan", "X": "X"} {
		if got := capitalize(in); got != want {
			t.Errorf("capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}
