package web_test

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// seedSurvey creates an NPS survey with the given key through the
// service, as the CLI or API would.
func (e *env) seedSurvey(key string, kind heed.SurveyKind) heed.Survey {
	e.t.Helper()
	sv, err := e.sv.CreateSurvey(context.Background(), heed.System(), heed.Survey{Key: key, Name: "Survey " + key, Kind: kind})
	if err != nil {
		e.t.Fatalf("seed survey %s: %v", key, err)
	}
	return sv
}

// answer is one response to seed.
type answer struct {
	unit    string
	score   int
	comment string
	at      time.Time
}

// seedAnswers records answers through the service, as an import would.
func (e *env) seedAnswers(surveyKey string, as []answer) {
	e.t.Helper()
	in := make([]survey.ResponseInput, len(as))
	for i, a := range as {
		score, at := a.score, a.at
		in[i] = survey.ResponseInput{Survey: surveyKey, Unit: a.unit, Score: &score, Comment: a.comment, AnsweredAt: &at}
	}
	for len(in) > 0 {
		n := min(len(in), survey.MaxBatch)
		if _, err := e.sv.RecordResponses(context.Background(), heed.System(), "", heed.ChannelImport, in[:n]); err != nil {
			e.t.Fatalf("seed answers: %v", err)
		}
		in = in[n:]
	}
}

// weekDay is noon on the Tuesday of the week weeksAgo weeks before this
// one (UTC), always in the past for weeksAgo >= 1.
func weekDay(weeksAgo int) time.Time {
	now := time.Now().UTC()
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, -7*weeksAgo+1).Add(12 * time.Hour)
}

// many makes n answers of one score in a unit at a time.
func many(n int, unit string, score int, at time.Time) []answer {
	out := make([]answer, n)
	for i := range out {
		out[i] = answer{unit: unit, score: score, at: at}
	}
	return out
}

// countMatches counts the matches of a regular expression in a page.
func countMatches(p page, expr string) int {
	return len(regexp.MustCompile(expr).FindAllStringIndex(p.body, -1))
}

// between returns the part of s from the first from to the next to after
// it, or "" (for checking one section of a page).
func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j]
}

// survey reads a survey as saved.
func (e *env) survey(key string) heed.Survey {
	e.t.Helper()
	sv, err := e.sv.GetSurvey(context.Background(), heed.System(), key)
	if err != nil {
		e.t.Fatalf("get survey %s: %v", key, err)
	}
	return sv
}
