package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

// TODO(store): stubs to be replaced by the real implementation.

func (q queries) CreateSession(ctx context.Context, s heed.Session) error { return errNotImplemented }

func (q queries) GetSession(ctx context.Context, tokenHash string, now time.Time) (heed.Session, error) {
	return heed.Session{}, errNotImplemented
}

func (q queries) DeleteSession(ctx context.Context, tokenHash string) error { return errNotImplemented }

func (q queries) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	return 0, errNotImplemented
}

func (q queries) CreateAPIToken(ctx context.Context, t heed.APIToken) (heed.APIToken, error) {
	return heed.APIToken{}, errNotImplemented
}

func (q queries) GetAPIToken(ctx context.Context, tokenHash string) (heed.APIToken, error) {
	return heed.APIToken{}, errNotImplemented
}

func (q queries) ListAPITokens(ctx context.Context) ([]heed.APIToken, error) {
	return nil, errNotImplemented
}

func (q queries) RevokeAPIToken(ctx context.Context, id int64, now time.Time) error {
	return errNotImplemented
}

func (q queries) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	return errNotImplemented
}

func (q queries) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	return errNotImplemented
}

func (q queries) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	return 0, errNotImplemented
}

func (q queries) ClearLoginFailures(ctx context.Context, key string) error { return errNotImplemented }
