package api_test

import (
	"net/http"
	"testing"

	"github.com/heedhq/heed/feedback"
)

// TestThemesAPI: GET /themes reports what the caller's part of the
// organisation says, per theme, with the survey's answers counted; the
// other region sees none of it; an unknown survey is named.
func TestThemesAPI(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv := loopFixtures(t, e)
		postAnswer(t, e, sv, customerOf("a1"), 2, "The queue at the till was endless.")
		postAnswer(t, e, sv, customerOf("a1"), 10, "Friendly staff.")
		report := func(token, query string) feedback.ThemeReport {
			t.Helper()
			var rep feedback.ThemeReport
			e.call(t, token, "GET", "/api/v1/themes?"+query, nil).must(t, http.StatusOK).decode(t, &rep)
			return rep
		}
		rep := report("mgr-ra", "survey="+sv)
		themes := map[string]feedback.ThemeRow{}
		for _, r := range rep.Themes {
			themes[r.Theme] = r
		}
		if rep.Responses == 0 || themes["waiting"].Items != 1 || themes["staff"].Items != 1 ||
			*themes["waiting"].Sentiment >= 0 || themes["waiting"].Driver == nil || !themes["waiting"].Driver.Insufficient {
			t.Errorf("region A's report: %+v", rep)
		}
		if rep := report("mgr-rb", "survey="+sv); len(rep.Themes) != 0 {
			t.Errorf("region B sees region A's themes: %+v", rep.Themes)
		}
		if got := e.call(t, "admin", "GET", "/api/v1/themes?survey=nope", nil).must(t, http.StatusNotFound).apiError(t).Error; got.Field != "survey" {
			t.Errorf("an unknown survey: %+v", got)
		}
	})
}
