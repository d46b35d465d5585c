package api

import (
	"context"
	"net/http"
	"time"

	"github.com/heedhq/heed/feedback"
)

// Emerging themes: phrases said often in a week that no theme finds,
// for an admin to add to a theme (PUT /taxonomy) or ignore.

type emergingInput struct {
	WeekEnding time.Time `query:"week_ending" timeFormat:"2006-01-02" doc:"The week's last day (UTC), included; default: the 7 days up to now"`
}

type emergingOutput struct {
	Body struct {
		Phrases []feedback.EmergingPhrase `json:"phrases"`
	}
}

func (s *server) getEmerging(ctx context.Context, in *emergingInput) (*emergingOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	end := in.WeekEnding
	if !end.IsZero() {
		end = end.AddDate(0, 0, 1) // the API's day is inclusive
	}
	list, err := s.cfg.Feedback.Emerging(ctx, p, end)
	if err != nil {
		return nil, err
	}
	out := &emergingOutput{}
	out.Body.Phrases = list
	return out, nil
}

type ignorePhraseInput struct {
	Body struct {
		Phrase string `json:"phrase" minLength:"1" maxLength:"200" doc:"The phrase not to surface again"`
	}
}

func (s *server) ignorePhrase(ctx context.Context, in *ignorePhraseInput) (*struct{}, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return nil, s.cfg.Feedback.IgnorePhrase(ctx, p, in.Body.Phrase)
}

// emergingRoutes registers the emerging themes' routes.
func emergingRoutes(s *server) {
	register(s, route(http.MethodGet, "/emerging-themes", "get-emerging-themes",
		"Phrases said often in a week that no theme finds, new or growing against the four weeks before, with example items"), s.getEmerging)
	register(s, limit(route(http.MethodPost, "/emerging-themes/ignore", "ignore-emerging-theme",
		"Stop surfacing a phrase as an emerging theme (admins)"), maxItemBody), s.ignorePhrase)
}
