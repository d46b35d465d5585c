package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// TestTaxonomy: anyone reads the themes; an admin replaces them with the
// version read; a bad term is refused naming it, a stale version is a
// conflict, and nobody else may change them.
func TestTaxonomy(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		var view feedback.TaxonomyView
		e.call(t, "mgr-ra", "GET", "/api/v1/taxonomy", nil).must(t, http.StatusOK).decode(t, &view)
		if !view.Default || view.Version != 0 || len(view.Themes) != len(textan.DefaultThemes()) || view.Reread != nil {
			t.Fatalf("GET before a save = %+v; want the default at version 0", view)
		}
		themes := []textan.Theme{{Key: "parking", Name: "Parking", Terms: []string{"car park", "parking"}}}
		body := map[string]any{"version": 0, "themes": themes}

		e.call(t, "mgr-ra", "PUT", "/api/v1/taxonomy", body).must(t, http.StatusForbidden)
		bad := map[string]any{"version": 0, "themes": []textan.Theme{{Key: "parking", Name: "Parking", Terms: []string{"pa*"}}}}
		if msg := e.call(t, "admin", "PUT", "/api/v1/taxonomy", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error.Message; !strings.Contains(msg, `"pa*"`) || !strings.Contains(msg, `"parking"`) {
			t.Errorf("bad term: message %q; want it to name the theme and term", msg)
		}

		e.call(t, "admin", "PUT", "/api/v1/taxonomy", body).must(t, http.StatusOK).decode(t, &view)
		if view.Default || view.Version != 1 || len(view.Themes) != 1 || view.Reread == nil {
			t.Fatalf("PUT = %+v; want version 1 with one theme and its progress", view)
		}
		e.call(t, "admin", "PUT", "/api/v1/taxonomy", body).must(t, http.StatusConflict)
		e.call(t, "analyst", "GET", "/api/v1/taxonomy", nil).must(t, http.StatusOK).decode(t, &view)
		if view.Version != 1 || view.Themes[0].Key != "parking" {
			t.Errorf("GET after the save = %+v; want version 1, parking", view)
		}
	})
}
