package api

import (
	"context"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

type tokensOutput struct {
	Body struct {
		Tokens []heed.APIToken `json:"tokens"`
	}
}

func (s *server) listTokens(ctx context.Context, _ *struct{}) (*tokensOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	toks, err := s.cfg.Accounts.ListTokens(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &tokensOutput{}
	out.Body.Tokens = nonNil(toks)
	return out, nil
}

type createTokenInput struct {
	Body struct {
		Name     string `json:"name" doc:"What the token is for"`
		Role     string `json:"role,omitempty" doc:"A role of its own: frontline, manager, analyst or admin (or give employee)"`
		Employee string `json:"employee,omitempty" doc:"Act as this employee (email), seeing exactly what they see"`
		Unit     string `json:"unit,omitempty" doc:"The unit of a manager or frontline role token"`
	}
}

type createTokenOutput struct {
	Body struct {
		Token  heed.APIToken `json:"token"`
		Secret string        `json:"secret" doc:"The bearer token; shown only in this answer"`
	}
}

func (s *server) createToken(ctx context.Context, in *createTokenInput) (*createTokenOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	secret, tok, err := s.cfg.Accounts.CreateToken(ctx, p, accounts.NewToken{
		Name: in.Body.Name, Role: heed.Role(in.Body.Role), Employee: in.Body.Employee, Unit: in.Body.Unit,
	})
	if err != nil {
		return nil, err
	}
	out := &createTokenOutput{}
	out.Body.Token, out.Body.Secret = tok, secret
	return out, nil
}

type tokenID struct {
	ID int64 `path:"id" doc:"The token's id"`
}

func (s *server) revokeToken(ctx context.Context, in *tokenID) (*struct{}, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.cfg.Accounts.RevokeToken(ctx, p, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
