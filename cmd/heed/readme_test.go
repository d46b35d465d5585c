package main

import (
	"io"
	"os"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
	"github.com/heedhq/heed/demo"
)

// The README is what a new user reads first; these tests keep the parts
// that are easy to let drift in step with the code.

func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestREADMEConfigurationTable checks that every flag with an environment
// variable is in the README's configuration table with its default.
func TestREADMEConfigurationTable(t *testing.T) {
	text := readme(t)
	parser, err := newParser(&cli{}, env{}.get, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	kong.Visit(parser.Model, func(node kong.Visitable, next kong.Next) error { //nolint:errcheck // the visitor never fails
		if f, ok := node.(*kong.Flag); ok && len(f.Envs) > 0 && !seen[f.Envs[0]] {
			seen[f.Envs[0]] = true
			name := "`--" + f.Name + "`"
			if f.Tag.Negatable != "" {
				name = "`--[no-]" + f.Name + "`"
			}
			row := "| " + name + " | `" + f.Envs[0] + "` |"
			if !strings.Contains(text, row) {
				t.Errorf("README configuration table lacks the row %s", row)
			}
			if f.Default != "" && !strings.Contains(text, row+" `"+f.Default+"` |") {
				t.Errorf("README does not give %s's default %q", name, f.Default)
			}
		}
		return next(nil)
	})
	if len(seen) < 10 {
		t.Errorf("found only %d variables in the grammar; the walk is broken", len(seen))
	}
}

// TestREADMEDemoLogins checks the README lists the demo's logins as
// `heed demo` prints them.
func TestREADMEDemoLogins(t *testing.T) {
	text := readme(t)
	for _, l := range demo.Generate(1).Logins {
		row := "| `" + l.Email + "` | `" + l.Password + "` |"
		if !strings.Contains(text, row) {
			t.Errorf("README lacks the demo login %s", row)
		}
	}
}
