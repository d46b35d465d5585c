package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

type recorded struct {
	Results []survey.Recorded
}

func TestRecordResponses(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv, _, _ := surveyFixtures(t, e)
		before := len(listResponses(t, e, "admin", url.Values{}))

		// Rules broken: every bad item is listed with its field, and
		// the good one is not written either.
		got := e.call(t, "admin", "POST", "/api/v1/responses", []map[string]any{
			{"survey": sv, "unit": "a1", "score": 10, "external_id": "r-1"},
			{"survey": sv, "unit": "a1", "score": 11},
			{"survey": sv, "unit": "a1", "score": 5, "comment": strings.Repeat("é", survey.MaxComment+1)},
			{"survey": sv, "unit": "a1", "score": 5, "answers": map[string]any{"colour": "red"}},
		}).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		wantDetails(t, "rules", got.Details, map[int]string{2: "score", 3: "comment", 4: "answers.colour"})
		if n := len(listResponses(t, e, "admin", url.Values{})); n != before {
			t.Errorf("a rejected batch wrote %d responses", n-before)
		}

		// Items that do not decode are listed the same way.
		bad := `[{"survey": "visits", "score": "ten"}, {"survey": "visits", "score": 7, "colour": "red"},
			{"survey": "visits", "score": 7, "answered_at": "yesterday"}, 5, {"survey": "visits", "score": 7}]`
		got = e.call(t, "admin", "POST", "/api/v1/responses", bad).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		wantDetails(t, "decoding", got.Details, map[int]string{1: "score", 2: "colour", 3: "answered_at", 4: ""})

		// A good batch: one by unit, one by customer (filed under the
		// customer's unit), each with the caller's external id.
		answered := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
		items := []map[string]any{
			{"survey": sv, "unit": "a1", "score": 10, "comment": "Great <b>staff</b>", "external_id": "r-1",
				"answers": map[string]any{"visit_reason": "buy"}, "hidden": map[string]string{"order": "O-1"}, "answered_at": answered},
			{"survey": sv, "customer": "c-b1", "score": 3, "external_id": "r-2"},
		}
		var rec recorded
		e.call(t, "admin", "POST", "/api/v1/responses", items).must(t, http.StatusOK).decode(t, &rec)
		if len(rec.Results) != 2 || !rec.Results[0].Created || !rec.Results[1].Created || rec.Results[0].ID == rec.Results[1].ID {
			t.Fatalf("results %+v", rec.Results)
		}
		r1 := getResponse(t, e, "admin", rec.Results[0].ID)
		if r1.Unit != "a1" || r1.Score != 10 || r1.Comment != "Great <b>staff</b>" || r1.Channel != heed.ChannelAPI ||
			r1.Answers["visit_reason"] != "buy" || r1.Hidden["order"] != "O-1" || !r1.CreatedAt.Equal(answered) || r1.Language != "en" {
			t.Errorf("r-1 %+v", r1)
		}
		if r2 := getResponse(t, e, "admin", rec.Results[1].ID); r2.Customer != "c-b1" || r2.Unit != "b1" || r2.Score != 3 {
			t.Errorf("r-2 %+v", r2)
		}

		// The same external id again updates its response.
		items[0]["score"] = 6
		var again recorded
		e.call(t, "admin", "POST", "/api/v1/responses", items[:1]).must(t, http.StatusOK).decode(t, &again)
		if len(again.Results) != 1 || again.Results[0] != (survey.Recorded{ID: rec.Results[0].ID, Created: false}) {
			t.Errorf("re-sent r-1: %+v, want id %d not created", again.Results, rec.Results[0].ID)
		}
		if r := getResponse(t, e, "admin", rec.Results[0].ID); r.Score != 6 {
			t.Errorf("r-1 score %d after the update, want 6", r.Score)
		}
		if n := len(listResponses(t, e, "admin", url.Values{})); n != before+2 {
			t.Errorf("%d responses, want %d", n, before+2)
		}

		// Who may, and what is too much or not JSON.
		for _, token := range []string{"analyst", "mgr-ra", "fl-a1"} {
			e.call(t, token, "POST", "/api/v1/responses", items[:1]).must(t, http.StatusForbidden)
		}
		many := make([]map[string]any, survey.MaxBatch+1)
		for i := range many {
			many[i] = map[string]any{"survey": sv, "score": 5}
		}
		e.call(t, "admin", "POST", "/api/v1/responses", many).must(t, http.StatusRequestEntityTooLarge)
		e.call(t, "admin", "POST", "/api/v1/responses", many[:survey.MaxBatch]).must(t, http.StatusOK)
		for _, body := range []string{`{"survey": "visits", "score": 5}`, `[{"survey": "visits"`, `[] []`} {
			e.call(t, "admin", "POST", "/api/v1/responses", body).must(t, http.StatusBadRequest)
		}
		e.call(t, "admin", "POST", "/api/v1/responses", `[]`).must(t, http.StatusUnprocessableEntity)
	})
}

func TestListResponses(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv, _, fixtures := surveyFixtures(t, e)
		// Three answers in b2 around a midnight, two with comments.
		day := func(s string) time.Time {
			v, err := time.Parse(time.RFC3339, s)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		var rec recorded
		e.call(t, "admin", "POST", "/api/v1/responses", []map[string]any{
			{"survey": sv, "unit": "b2", "score": 2, "comment": "Slow", "answered_at": day("2025-06-10T23:30:00Z")},
			{"survey": sv, "unit": "b2", "score": 7, "answered_at": day("2025-06-11T00:30:00Z")},
			{"survey": sv, "unit": "b2", "score": 10, "comment": "Quick", "answered_at": day("2025-06-12T12:00:00Z")},
		}).must(t, http.StatusOK).decode(t, &rec)
		early, mid, late := rec.Results[0].ID, rec.Results[1].ID, rec.Results[2].ID
		nowB2 := fixtures["b2"] // answered now, score 9, no comment

		for _, c := range []struct {
			query string
			want  []int64
		}{
			{"unit=b2", []int64{late, mid, early, nowB2}},
			{"unit=b2&from=2025-06-11&to=2025-06-11", []int64{mid}},
			{"unit=b2&to=2025-06-11", []int64{mid, early}},
			{"unit=b2&from=2025-06-12", []int64{late, nowB2}},
			{"unit=b2&min_score=7&max_score=9", []int64{nowB2, mid}},
			{"unit=b2&max_score=0", nil},
			{"unit=b2&has_comment=true", []int64{late, early}},
			{"survey=" + sv + "&unit=rb&max_score=6", []int64{early}},
		} {
			q, _ := url.ParseQuery(c.query + "&limit=1")
			got := ids(listResponses(t, e, "admin", q))
			slices.Sort(got)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %v, want %v", c.query, got, want)
			}
		}

		// Newest first, each once, over pages of 3.
		all := ids(listResponses(t, e, "admin", url.Values{"limit": {"3"}}))
		if len(all) != len(fixtures)+3 || !slices.IsSortedFunc(all, func(a, b int64) int { return int(b - a) }) {
			t.Errorf("all responses: %v", all)
		}

		// Each sees the responses of the units they see.
		for token, units := range map[string][]string{
			"mgr-ra": {"ra", "a1", "a2", "a1t"}, "fl-b1": {"b1"}, "analyst": unitKeys(),
		} {
			var want []string
			for _, u := range units {
				want = append(want, strconv.FormatInt(fixtures[u], 10))
			}
			var got []string
			for _, r := range listResponses(t, e, token, url.Values{"survey": {sv}}) {
				if !slices.Contains([]int64{early, mid, late}, r.ID) {
					got = append(got, strconv.FormatInt(r.ID, 10))
				}
			}
			sameKeys(t, token+" sees", got, want)
		}
		e.call(t, "fl-b1", "GET", fmt.Sprintf("/api/v1/responses/%d", fixtures["a1"]), nil).must(t, http.StatusNotFound)
		e.call(t, "mgr-ra", "GET", fmt.Sprintf("/api/v1/responses/%d", fixtures["a1"]), nil).must(t, http.StatusOK)
		// A unit out of sight shows nothing of its responses.
		if a := e.call(t, "mgr-ra", "GET", "/api/v1/responses?unit=rb", nil); a.status != http.StatusNotFound {
			var out struct{ Responses []heed.Response }
			a.must(t, http.StatusOK).decode(t, &out)
			if len(out.Responses) != 0 {
				t.Errorf("manager of region A sees %d responses of region B", len(out.Responses))
			}
		}

		for query, field := range map[string]string{
			"from=2025-13-01": "from", "to=2025-02-30": "to", "min_score=high": "min_score", "limit=0": "limit",
		} {
			got := e.call(t, "admin", "GET", "/api/v1/responses?"+query, nil).must(t, http.StatusUnprocessableEntity).apiError(t).Error
			if got.Field != field {
				t.Errorf("%s: field %q, want %q", query, got.Field, field)
			}
		}
		e.call(t, "admin", "GET", "/api/v1/responses?unit=nope", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/responses?survey=nope", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/responses/999999", nil).must(t, http.StatusNotFound)
	})
}

// listResponses walks every page of GET /responses with the query q.
func listResponses(t *testing.T, e *env, token string, q url.Values) []heed.Response {
	t.Helper()
	var all []heed.Response
	for page := 0; ; page++ {
		if page > 2000 {
			t.Fatal("pagination does not end")
		}
		var out struct {
			Responses  []heed.Response
			NextCursor string `json:"next_cursor"`
		}
		e.call(t, token, "GET", "/api/v1/responses?"+q.Encode(), nil).must(t, http.StatusOK).decode(t, &out)
		all = append(all, out.Responses...)
		if out.NextCursor == "" {
			return all
		}
		q.Set("cursor", out.NextCursor)
	}
}

func getResponse(t *testing.T, e *env, token string, id int64) heed.Response {
	t.Helper()
	var r heed.Response
	e.call(t, token, "GET", fmt.Sprintf("/api/v1/responses/%d", id), nil).must(t, http.StatusOK).decode(t, &r)
	return r
}

func ids(rs []heed.Response) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// wantDetails fails unless details name exactly the lines and fields of
// want, each with a problem.
func wantDetails(t *testing.T, what string, details []heed.RowError, want map[int]string) {
	t.Helper()
	if len(details) != len(want) {
		t.Errorf("%s: details %+v, want lines and fields %v", what, details, want)
		return
	}
	for _, d := range details {
		if f, ok := want[d.Line]; !ok || f != d.Field || d.Problem == "" {
			t.Errorf("%s: detail %+v, want field %q on line %d", what, d, want[d.Line], d.Line)
		}
	}
}
