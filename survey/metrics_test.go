package survey_test

import (
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

// record posts answers with the given scores to a unit, answered at day.
func record(t *testing.T, f *fixture, sv heed.Survey, unit string, day time.Time, scores ...int) {
	t.Helper()
	var in []survey.ResponseInput
	for _, s := range scores {
		in = append(in, survey.ResponseInput{Survey: sv.Key, Unit: unit, Score: ptr(s), AnsweredAt: ptr(day)})
	}
	if _, err := f.svc.RecordResponses(t.Context(), heed.System(), "", "", in); err != nil {
		t.Fatal(err)
	}
}

func repeat(score, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = score
	}
	return out
}

func TestMetricsWorkedCase(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine, nil, 0)
			ctx := t.Context()
			sv := f.nps(t)
			day := t0.AddDate(0, 0, -10)
			// North One: 50 promoters, 30 passives, 20 detractors.
			record(t, f, sv, "n1", day, append(append(repeat(10, 25), repeat(9, 25)...), append(repeat(8, 30), repeat(3, 20)...)...)...)
			// North Two: 10 answers, all promoters; South One: 40 detractors.
			record(t, f, sv, "n2", day.AddDate(0, 0, -21), repeat(9, 10)...)
			record(t, f, sv, "s1", day, repeat(0, 40)...)

			m, err := f.svc.Metrics(ctx, heed.System(), survey.MetricsQuery{Survey: sv.Key, Unit: "n1"})
			if err != nil {
				t.Fatal(err)
			}
			g := m.Total
			if g.N != 100 || *g.Promoters != 50 || *g.Passives != 30 || *g.Detractors != 20 || *g.Score != 30 || *g.MarginOfError != 15.31 {
				t.Fatalf("n1 = %+v; want n 100, 50/30/20, NPS 30 ± 15.31", g)
			}
			// The region rolls up its stores; by unit it lists them.
			m, err = f.svc.Metrics(ctx, heed.System(), survey.MetricsQuery{Survey: sv.Key, Unit: "north", By: "unit"})
			if err != nil {
				t.Fatal(err)
			}
			if m.Total.N != 110 || len(m.Groups) != 2 {
				t.Fatalf("north = n %d, %d groups; want 110 answers in 2 stores", m.Total.N, len(m.Groups))
			}
			if n2 := m.Groups[1]; n2.Key != "n2" || n2.N != 10 || !n2.Insufficient || n2.Score != nil || *n2.Promoters != 10 {
				t.Errorf("n2 = %+v; want 10 answers flagged insufficient, without a score", n2)
			}
			// By week: one group per week of the span, empty weeks too.
			m, err = f.svc.Metrics(ctx, heed.System(), survey.MetricsQuery{Survey: sv.Key, Unit: "north", By: "week",
				From: t0.AddDate(0, 0, -35), To: t0})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Groups) != 6 {
				t.Fatalf("%d weekly groups over 36 days; want 6: %+v", len(m.Groups), m.Groups)
			}
			weeks := map[string]int{}
			for _, w := range m.Groups {
				weeks[w.Key] = w.N
			}
			if weeks[monday(day)] != 100 || weeks[monday(day.AddDate(0, 0, -21))] != 10 {
				t.Errorf("weeks = %v; want 100 in the week of %s and 10 three weeks earlier", weeks, monday(day))
			}
			// A manager of the south sees neither the north nor its figures.
			sam := f.manager(t, "sam@co.example")
			if _, err := f.svc.Metrics(ctx, sam, survey.MetricsQuery{Survey: sv.Key, Unit: "north"}); heed.ErrorCode(err) != heed.ENotFound {
				t.Errorf("south manager asking for north: %v; want not found", err)
			}
			m, err = f.svc.Metrics(ctx, sam, survey.MetricsQuery{Survey: sv.Key})
			if err != nil || m.Total.N != 40 || *m.Total.Score != -100 {
				t.Errorf("south manager's own figures = %+v, %v; want 40 answers, NPS −100", m.Total, err)
			}
		})
	}
}

func monday(d time.Time) string {
	wd := (int(d.Weekday()) + 6) % 7
	return d.AddDate(0, 0, -wd).Format(time.DateOnly)
}

func TestMetricsQueryErrors(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 0)
	sv := f.nps(t)
	for _, c := range []struct {
		q     survey.MetricsQuery
		field string
	}{
		{survey.MetricsQuery{Survey: sv.Key, By: "day"}, "by"},
		{survey.MetricsQuery{Survey: sv.Key, From: t0, To: t0.AddDate(0, 0, -1)}, "from"},
		{survey.MetricsQuery{Survey: sv.Key, Unit: "nowhere"}, "unit"},
	} {
		if _, err := f.svc.Metrics(t.Context(), heed.System(), c.q); heed.ErrorField(err) != c.field {
			t.Errorf("%+v: %v; want an error on %s", c.q, err, c.field)
		}
	}

}
