package feedback_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

// TestDriversFindThePlantedTheme is the check, through the whole
// pipeline — answers recorded, comments read by textan, counts from the
// store, statistics from metrics: a theme planted in detractors' comments
// comes out as the top negative driver, significant; one planted in
// promoters' comments as a positive one; one at the same rate everywhere
// as no driver at all.
func TestDriversFindThePlantedTheme(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			ctx := t.Context()
			sv, err := f.lp.Surveys.CreateSurvey(ctx, heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Store visit"})
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(7, 11))
			var in []survey.ResponseInput
			for i := range 900 {
				score := []int{10, 9, 9, 10, 8, 7, 8, 6, 3, 5}[r.IntN(10)] // 40% promoters, 30% passives, 30% detractors
				var comment string
				switch {
				case score <= 6 && r.Float64() < 0.5:
					comment = "The queue at the till was endless."
				case score >= 9 && r.Float64() < 0.4:
					comment = "Friendly and helpful staff."
				default:
					comment = "It was a visit."
				}
				if r.Float64() < 0.15 {
					comment += " Parking was easy."
				}
				at := t0.Add(-time.Duration(i) * time.Hour)
				in = append(in, survey.ResponseInput{Survey: sv.Key, Unit: "n1", Score: &score, Comment: comment,
					ExternalID: fmt.Sprint(i), AnsweredAt: &at})
			}
			if _, err := f.lp.Surveys.RecordResponses(ctx, heed.System(), "", "", in); err != nil {
				t.Fatal(err)
			}
			rep, err := f.fb.Themes(ctx, heed.System(), feedback.ThemeQuery{Survey: sv.Key, From: t0.AddDate(0, 0, -60), To: t0.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Responses != 900 || rep.NPS == nil || len(rep.Themes) < 3 {
				t.Fatalf("report: %d responses, NPS %v, %d themes", rep.Responses, rep.NPS, len(rep.Themes))
			}
			top := rep.Themes[0]
			if top.Theme != "waiting" || top.Driver == nil || !top.Driver.Significant || top.Driver.Impact >= 0 {
				t.Fatalf("the top driver is %+v (driver %+v); want waiting, negative, significant", top, top.Driver)
			}
			byKey := map[string]feedback.ThemeRow{}
			for _, row := range rep.Themes {
				byKey[row.Theme] = row
			}
			if st := byKey["staff"]; st.Driver == nil || !st.Driver.Significant || st.Driver.Impact <= 0 || *st.Sentiment <= 0 {
				t.Errorf("staff: %+v (driver %+v); want a significant positive driver", st, st.Driver)
			}
			if pk := byKey["store"]; pk.Driver == nil || pk.Driver.Significant {
				t.Errorf("parking (store): %+v (driver %+v); want no significant effect", pk, pk.Driver)
			}
			if w := byKey["waiting"]; w.Name != "Waiting and speed" || w.Sentiment == nil || *w.Sentiment >= 0 || w.Negative == 0 {
				t.Errorf("waiting's volume and sentiment: %+v", w)
			}

			// The north's manager reads the same; the south's sees nothing.
			south, err := f.fb.Themes(ctx, f.who(t, "sam@co.example"), feedback.ThemeQuery{Survey: sv.Key, From: t0.AddDate(0, 0, -60), To: t0.Add(time.Hour)})
			if err != nil || south.Responses != 0 || len(south.Themes) != 0 {
				t.Errorf("the south's manager: %+v, %v", south, err)
			}
			_, err = f.fb.Themes(ctx, heed.System(), feedback.ThemeQuery{Survey: "nope"})
			if heed.ErrorCode(err) != heed.ENotFound || heed.ErrorField(err) != "survey" {
				t.Errorf("an unknown survey: %v", err)
			}
		})
	}
}
