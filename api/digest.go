package api

import (
	"context"

	"github.com/heedhq/heed/cases"
)

// The managers' daily digest, read on demand: what the morning email
// says, for any day.

type digestInput struct {
	For string `query:"for" doc:"Whose digest (an employee's email); default: the token's own employee. Admins may read anyone's."`
	Day string `query:"day" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"The day (YYYY-MM-DD, the server's time zone); default: yesterday"`
}

type digestOutput struct {
	Body cases.Digest
}

func (s *server) getDigest(ctx context.Context, in *digestInput) (*digestOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	d, err := s.cfg.Cases.DigestFor(ctx, p, in.For, in.Day)
	if err != nil {
		return nil, err
	}
	return &digestOutput{Body: d}, nil
}
