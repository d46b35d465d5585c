package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/heedhq/heed/feedback"
)

// TestTaxonomyCommands: an operator replaces the themes from a file, sees
// them with the re-reading queued, is told which term is wrong in a bad
// file, and resets to the default.
func TestTaxonomyCommands(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			e := env{"HEED_DB": dbURL(t, engine)}
			if out := mustRun(t, e, "", "taxonomy", "show").stdout; !strings.HasPrefix(out, "default themes (never changed)\n") ||
				!strings.Contains(out, "\nwaiting ") {
				t.Errorf("heed taxonomy show before a change:\n%s", out)
			}
			file := writeFile(t, "themes.json", `[{"key": "parking", "name": "Parking", "terms": ["car park", "parking"]},
				{"key": "staff", "name": "Staff", "terms": ["staff", "friendl*"]}]`)
			set := mustRun(t, e, "", "taxonomy", "set", file).stdout
			if !strings.HasPrefix(set, "taxonomy version 1 saved: 2 themes; re-analysis queued") {
				t.Errorf("heed taxonomy set printed:\n%s", set)
			}
			show := mustRun(t, e, "", "taxonomy", "show").stdout
			for _, want := range []string{"version 1, saved by system at ", "re-reading past feedback: 0 of 0 items\n",
				"parking  Parking  car park, parking\n"} {
				if !strings.Contains(show, want) {
					t.Errorf("heed taxonomy show lacks %q:\n%s", want, show)
				}
			}
			var view feedback.TaxonomyView
			if err := json.Unmarshal([]byte(mustRun(t, e, "", "taxonomy", "show", "--json").stdout), &view); err != nil ||
				view.Version != 1 || len(view.Themes) != 2 || view.Default {
				t.Errorf("heed taxonomy show --json = %+v, %v", view, err)
			}

			bad := writeFile(t, "bad.json", `{"themes": [{"key": "parking", "name": "Parking", "terms": ["pa*"]}]}`)
			r := heedRun(t, e, "", "taxonomy", "set", bad)
			if r.err == nil || !strings.Contains(r.output(), `theme "parking": term "pa*"`) {
				t.Errorf("a bad term: %v\n%s", r.err, r.output())
			}
			if out := mustRun(t, e, "", "taxonomy", "reset").stdout; !strings.HasPrefix(out, "taxonomy version 2 saved: 12 themes") {
				t.Errorf("heed taxonomy reset printed:\n%s", out)
			}
			if out := mustRun(t, e, "", "taxonomy", "show").stdout; !strings.HasPrefix(out, "version 2: default themes, reset by system") {
				t.Errorf("heed taxonomy show after a reset:\n%s", out)
			}
		})
	}
}
