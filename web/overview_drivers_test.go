package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heedhq/heed/internal/testdb"
)

// TestOverviewNamesWhatCostsNPS: the themes that cost the most NPS are
// the first list a manager sees — on the overview, linked to the theme's
// feedback — and nothing of it reaches a manager of another region or a
// front-line employee's overview.
func TestOverviewNamesWhatCostsNPS(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			e := newFeedbackEnv(t, engine)
			seedDrivers(e)
			p := e.get(e.signedIn("nora@acme.test"), "/")
			wantStatus(t, p, http.StatusOK, "nora's overview")
			costs := between(p.body, `id="ov-costs-title"`, "</section>")
			first := between(costs, "<li>", "</li>")
			if !strings.Contains(first, "Waiting and speed") || !strings.Contains(first, "costs") ||
				!strings.Contains(first, "/feedback?") || !strings.Contains(costs, "All themes and drivers") {
				t.Errorf("nora's overview headline:\n%s", costs)
			}
			sam := e.get(e.signedIn("sam@acme.test"), "/")
			wantStatus(t, sam, http.StatusOK, "sam's overview")
			if strings.Contains(sam.body, "Waiting and speed") {
				t.Error("the south's manager sees the north's drivers on the overview")
			}
		})
	}
}
