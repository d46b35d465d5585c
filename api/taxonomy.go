package api

import (
	"context"

	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// The organisation's theme taxonomy: read by anyone signed in, replaced
// by admins; a change re-reads past feedback in the background.

type taxonomyOutput struct {
	Body feedback.TaxonomyView
}

func (s *server) getTaxonomy(ctx context.Context, _ *struct{}) (*taxonomyOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.cfg.Feedback.Taxonomy(ctx, p)
	if err != nil {
		return nil, err
	}
	return &taxonomyOutput{Body: v}, nil
}

type putTaxonomyInput struct {
	Body struct {
		Version int            `json:"version" minimum:"0" doc:"The version read: a save since then is a conflict (409); 0 while the default was never changed"`
		Themes  []textan.Theme `json:"themes" minItems:"1" doc:"Every theme: a key (a-z, 0-9, _), a name, and the terms that find it (a word, a word's start with *, or a phrase)"`
	}
}

func (s *server) putTaxonomy(ctx context.Context, in *putTaxonomyInput) (*taxonomyOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	v, err := s.cfg.Feedback.SaveTaxonomy(ctx, p, in.Body.Themes, in.Body.Version)
	if err != nil {
		return nil, err
	}
	return &taxonomyOutput{Body: v}, nil
}
