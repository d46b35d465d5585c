package api_test

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

func TestSurveys(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)

		// A kind and a name: the key comes from the name, and the survey
		// asks the kind's two questions (score and reason) in every
		// shipped language.
		var sv heed.Survey
		e.call(t, "admin", "POST", "/api/v1/surveys", map[string]any{"kind": "nps", "name": "Store visits"}).
			must(t, http.StatusCreated).decode(t, &sv)
		if sv.Key != "store-visits" || sv.Kind != heed.SurveyNPS || sv.Language != "en" {
			t.Errorf("created %+v", sv)
		}
		langs := slices.Sorted(maps.Keys(sv.Texts))
		if want := survey.ShippedLanguages(); !slices.Equal(langs, slices.Sorted(slices.Values(want))) {
			t.Errorf("texts in %v, want %v", langs, want)
		}
		defaults := survey.DefaultTexts(heed.SurveyNPS)
		for _, l := range langs {
			got := sv.Texts[l]
			if got.Score == "" || got.Reason == "" || got.Score != defaults[l].Score || got.Reason != defaults[l].Reason {
				t.Errorf("%s: score %q reason %q, want the defaults %q, %q", l, got.Score, got.Reason, defaults[l].Score, defaults[l].Reason)
			}
		}
		if sv.Questions == nil || len(sv.Questions) != 0 || sv.Hidden == nil {
			t.Errorf("questions %v hidden %v, want [] and []", sv.Questions, sv.Hidden)
		}

		// The same name again: the key is taken.
		got := e.call(t, "admin", "POST", "/api/v1/surveys", map[string]any{"name": "Store visits"}).must(t, http.StatusConflict).apiError(t).Error
		if got.Field != "key" {
			t.Errorf("conflict on field %q, want key", got.Field)
		}
		// Input broken: each problem names its field.
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "stars", "name": "X"}, "kind"},
			{map[string]any{"kind": "csat"}, "name"},
			{map[string]any{"name": "X", "origins": []string{"shop.example.com"}}, "origins[0]"},
			{map[string]any{"name": "X", "questions": []map[string]any{{"id": "q", "type": "single", "options": []string{"a"}}}}, "questions[0].options"},
			{map[string]any{"name": "X", "colour": "red"}, "colour"},
		} {
			got := e.call(t, "admin", "POST", "/api/v1/surveys", c.body).must(t, http.StatusUnprocessableEntity).apiError(t).Error
			if got.Field != c.field {
				t.Errorf("%v: field %q, want %q (%s)", c.body, got.Field, c.field, got.Message)
			}
		}

		// Everyone reads; only admins write.
		var list struct{ Surveys []heed.Survey }
		e.call(t, "fl-b1", "GET", "/api/v1/surveys", nil).must(t, http.StatusOK).decode(t, &list)
		if len(list.Surveys) != 1 || list.Surveys[0].Key != sv.Key {
			t.Errorf("list %+v", list.Surveys)
		}
		e.call(t, "analyst", "GET", "/api/v1/surveys/store-visits", nil).must(t, http.StatusOK)
		e.call(t, "analyst", "POST", "/api/v1/surveys", map[string]any{"name": "Analyst's"}).must(t, http.StatusForbidden)
		e.call(t, "mgr-ra", "PUT", "/api/v1/surveys/store-visits", map[string]any{"name": "Renamed"}).must(t, http.StatusForbidden)
		e.call(t, "admin", "GET", "/api/v1/surveys/nope", nil).must(t, http.StatusNotFound)

		// A fetched survey goes back as it is, with a question added.
		a := e.call(t, "admin", "GET", "/api/v1/surveys/store-visits", nil).must(t, http.StatusOK)
		var body map[string]any
		a.decode(t, &body)
		body["name"] = "Store visits 2026"
		body["questions"] = []map[string]any{{"id": "visit_reason", "type": "single", "options": []string{"buy", "browse"}}}
		body["hidden"] = []string{"order"}
		var upd heed.Survey
		e.call(t, "admin", "PUT", "/api/v1/surveys/store-visits", body).must(t, http.StatusOK).decode(t, &upd)
		if upd.Name != "Store visits 2026" || len(upd.Questions) != 1 || !reflect.DeepEqual(upd.Texts, sv.Texts) || !upd.CreatedAt.Equal(sv.CreatedAt) {
			t.Errorf("updated %+v", upd)
		}
		e.call(t, "admin", "PUT", "/api/v1/surveys/store-visits", map[string]any{"key": "other", "name": "X"}).must(t, http.StatusUnprocessableEntity)
		e.call(t, "admin", "PUT", "/api/v1/surveys/nope", map[string]any{"name": "X"}).must(t, http.StatusNotFound)
		body["kind"] = "csat"
		got = e.call(t, "admin", "PUT", "/api/v1/surveys/store-visits", body).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if got.Field != "kind" {
			t.Errorf("kind changed: field %q", got.Field)
		}
	})
}

func TestRewardCodes(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		e.call(t, "admin", "POST", "/api/v1/surveys", map[string]any{"name": "Visits", "reward": true}).must(t, http.StatusCreated)
		path := "/api/v1/surveys/visits/reward-codes"

		var pool survey.RewardPool
		e.call(t, "admin", "POST", path, map[string]any{"codes": []string{"A-1", "B-2", "A-1", " "}}).must(t, http.StatusOK).decode(t, &pool)
		if pool != (survey.RewardPool{Added: 2, Total: 2, Left: 2}) {
			t.Errorf("first batch: %+v", pool)
		}
		e.call(t, "admin", "POST", path, map[string]any{"codes": []string{"B-2", "C-3"}}).must(t, http.StatusOK).decode(t, &pool)
		if pool != (survey.RewardPool{Added: 1, Total: 3, Left: 3}) {
			t.Errorf("second batch: %+v", pool)
		}
		var count map[string]int
		e.call(t, "mgr-ra", "GET", path, nil).must(t, http.StatusOK).decode(t, &count)
		if !reflect.DeepEqual(count, map[string]int{"total": 3, "left": 3}) {
			t.Errorf("count %v", count)
		}

		e.call(t, "mgr-ra", "POST", path, map[string]any{"codes": []string{"D-4"}}).must(t, http.StatusForbidden)
		long := strings.Repeat("x", 101)
		got := e.call(t, "admin", "POST", path, map[string]any{"codes": []string{"E-5", long}}).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if got.Field != "codes" {
			t.Errorf("long code: field %q", got.Field)
		}
		e.call(t, "admin", "GET", path, nil).must(t, http.StatusOK).decode(t, &count)
		if count["total"] != 3 {
			t.Errorf("refused batches changed the pool: %v", count)
		}
		e.call(t, "admin", "GET", "/api/v1/surveys/nope/reward-codes", nil).must(t, http.StatusNotFound)
	})
}
