package api_test

import (
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/heedhq/heed/survey"
)

// metricsCase is the answers TestMetrics posts: region A has the worked
// case of 50 promoters, 30 passives and 20 detractors spread over its
// stores and over weeks 0, 1 and 3 of a four-week span (week 2 has
// none); region B has 10 promoters, too few for a score of its own.
type metricsCase struct {
	monday  time.Time // first day of the span, a Monday
	items   []map[string]any
	perWeek [4]int
	perUnit map[string]int
}

func newMetricsCase(survey string) metricsCase {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	monday := today.AddDate(0, 0, -(int(today.Weekday())+6)%7-6*7) // six weeks before this week's Monday
	c := metricsCase{monday: monday, perUnit: map[string]int{}}
	add := func(unit string, score, week, day int) {
		at := monday.AddDate(0, 0, week*7+day).Add(12 * time.Hour)
		c.items = append(c.items, map[string]any{"survey": survey, "unit": unit, "score": score, "answered_at": at})
		c.perWeek[week]++
		c.perUnit[unit]++
	}
	stores := []string{"a1", "a2", "a1t"}
	for i := range 100 {
		score := []int{9, 10}[i%2] // 50 promoters
		switch {
		case i >= 80:
			score = i % 7 // 20 detractors, 0–6
		case i >= 50:
			score = 7 + i%2 // 30 passives
		}
		add(stores[i%3], score, []int{0, 1, 3}[(i/3)%3], i%7)
	}
	for i := range 10 {
		add([]string{"b1", "b2"}[i%2], 10, 0, i%7)
	}
	return c
}

func (c metricsCase) query(extra string) string {
	q := url.Values{"survey": {"pulse"}, "from": {c.monday.Format(time.DateOnly)},
		"to": {c.monday.AddDate(0, 0, 27).Format(time.DateOnly)}}
	return "/api/v1/metrics?" + q.Encode() + extra
}

func TestMetrics(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		e.call(t, "admin", "POST", "/api/v1/surveys", map[string]any{"kind": "nps", "name": "Pulse"}).must(t, http.StatusCreated)
		c := newMetricsCase("pulse")
		e.call(t, "admin", "POST", "/api/v1/responses", c.items).must(t, http.StatusOK)
		get := func(token, path string) survey.Metrics {
			t.Helper()
			var m survey.Metrics
			e.call(t, token, "GET", path, nil).must(t, http.StatusOK).decode(t, &m)
			return m
		}

		// The worked case: NPS = 50% − 20% = 30; the margin of error is
		// 1.96·√((p+d−(p−d)²)/n) = 1.96·√(0.61/100) = 15.31 points.
		m := get("analyst", c.query("&unit=ra"))
		wantFigures(t, "region A", m.Total, 100, 50, 30, 20)
		wantScore(t, "region A", m.Total, 30, 1.96*math.Sqrt((0.5+0.2-0.3*0.3)/100)*100)
		if m.Kind != "nps" || m.MinSample != 30 || m.ResponseRates == nil || m.Groups == nil {
			t.Errorf("metrics %+v", m)
		}

		// By unit below the company: region A's stores roll up into it;
		// region B, under the minimum sample, has counts but no score.
		m = get("admin", c.query("&unit=co&by=unit"))
		if len(m.Groups) != 2 || m.Groups[0].Key != "ra" || m.Groups[1].Key != "rb" || m.Total.N != 110 {
			t.Fatalf("groups of co: %+v, total n %d", m.Groups, m.Total.N)
		}
		wantFigures(t, "ra in co", m.Groups[0], 100, 50, 30, 20)
		wantScore(t, "ra in co", m.Groups[0], 30, 15.31)
		rb := m.Groups[1]
		wantFigures(t, "rb in co", rb, 10, 10, 0, 0)
		if !rb.Insufficient || rb.Score != nil || rb.MarginOfError != nil {
			t.Errorf("rb: insufficient %v, score %v, margin %v; want insufficient without score", rb.Insufficient, rb.Score, rb.MarginOfError)
		}
		// Below region A, a1 includes its team a1t.
		m = get("admin", c.query("&unit=ra&by=unit"))
		if len(m.Groups) != 2 || m.Groups[0].N+m.Groups[1].N != 100 {
			t.Fatalf("groups of ra: %+v", m.Groups)
		}
		for _, g := range m.Groups {
			want := map[string]int{"a1": c.perUnit["a1"] + c.perUnit["a1t"], "a2": c.perUnit["a2"]}[g.Key]
			if g.N != want {
				t.Errorf("%s: n %d, want %d", g.Key, g.N, want)
			}
		}

		// A manager sees their region only.
		e.call(t, "mgr-ra", "GET", c.query("&unit=rb"), nil).must(t, http.StatusNotFound)
		e.call(t, "mgr-ra", "GET", c.query("&unit=b1&by=week"), nil).must(t, http.StatusNotFound)
		m = get("mgr-ra", c.query("&by=unit"))
		if m.Total.N != 100 || len(m.Groups) != 1 || m.Groups[0].Key != "ra" {
			t.Errorf("manager region A: total %d, groups %+v", m.Total.N, m.Groups)
		}
		if m := get("fl-b1", c.query("")); m.Total.N != c.perUnit["b1"] {
			t.Errorf("frontline B1: n %d, want %d", m.Total.N, c.perUnit["b1"])
		}

		// By week: one group per week of the span, the empty one too.
		m = get("admin", c.query("&by=week"))
		if len(m.Groups) != 4 {
			t.Fatalf("weeks: %+v", m.Groups)
		}
		for w, g := range m.Groups {
			key := c.monday.AddDate(0, 0, 7*w).Format(time.DateOnly)
			if g.Key != key || g.N != c.perWeek[w] || g.Insufficient != (c.perWeek[w] < 30) || (g.Score == nil) != g.Insufficient {
				t.Errorf("week %d: %+v, want key %s n %d", w, g, key, c.perWeek[w])
			}
		}
		if c.perWeek[2] != 0 {
			t.Fatalf("the case leaves week 2 empty, has %d", c.perWeek[2])
		}
		// A larger minimum sample takes the score away.
		if m := get("admin", c.query("&unit=ra&min=101")); !m.Total.Insufficient || m.Total.Score != nil {
			t.Errorf("min=101: %+v", m.Total)
		}

		// Bad input names its field.
		for q, field := range map[string]string{
			"&from=2026-02-30": "from", "&to=tomorrow": "to", "&by=year": "by", "&min=0": "min",
		} {
			path := "/api/v1/metrics?survey=pulse" + q
			got := e.call(t, "admin", "GET", path, nil).must(t, http.StatusUnprocessableEntity).apiError(t).Error
			if got.Field != field {
				t.Errorf("%s: field %q, want %q", q, got.Field, field)
			}
		}
		got := e.call(t, "admin", "GET", "/api/v1/metrics?survey=pulse&from=2026-03-02&to=2026-03-01", nil).must(t, 422).apiError(t).Error
		if got.Field != "from" {
			t.Errorf("from after to: field %q", got.Field)
		}
		if got := e.call(t, "admin", "GET", "/api/v1/metrics", nil).must(t, 422).apiError(t).Error; got.Field != "survey" {
			t.Errorf("no survey: field %q", got.Field)
		}
		e.call(t, "admin", "GET", "/api/v1/metrics?survey=nope", nil).must(t, http.StatusNotFound)
		if got := e.call(t, "admin", "GET", "/api/v1/metrics?survey=pulse&unit=nope", nil).must(t, 404).apiError(t).Error; got.Field != "unit" {
			t.Errorf("unknown unit: field %q", got.Field)
		}
		// Analysts read the figures but do not make surveys.
		e.call(t, "analyst", "POST", "/api/v1/surveys", map[string]any{"name": "Analyst's"}).must(t, http.StatusForbidden)
	})
}

func wantFigures(t *testing.T, what string, g survey.Figures, n, promoters, passives, detractors int) {
	t.Helper()
	if g.N != n || g.Promoters == nil || *g.Promoters != promoters || g.Passives == nil || *g.Passives != passives ||
		g.Detractors == nil || *g.Detractors != detractors {
		t.Errorf("%s: %+v, want n %d = %d promoters, %d passives, %d detractors", what, g, n, promoters, passives, detractors)
	}
}

func wantScore(t *testing.T, what string, g survey.Figures, score, margin float64) {
	t.Helper()
	if g.Insufficient || g.Score == nil || g.MarginOfError == nil ||
		*g.Score != score || math.Abs(*g.MarginOfError-margin) > 0.005 {
		t.Errorf("%s: insufficient %v, score %v, margin %v; want %v ± %.2f", what, g.Insufficient, g.Score, g.MarginOfError, score, margin)
	}
}
