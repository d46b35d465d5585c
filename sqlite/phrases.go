package sqlite

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// IgnorePhrase records phrase as ignored; a second time keeps the first.
func (q queries) IgnorePhrase(ctx context.Context, phrase, by string, now time.Time) error {
	if err := heed.CheckPhrase(phrase); err != nil {
		return err
	}
	_, err := q.w.ExecContext(ctx, `INSERT INTO ignored_phrases (phrase, ignored_at, ignored_by) VALUES (?, ?, ?)
		ON CONFLICT (phrase) DO NOTHING`, phrase, micros(now), by)
	if err != nil {
		return heed.Internal(err, "sqlite: ignore phrase")
	}
	return nil
}

// ListIgnoredPhrases returns the ignored phrases, by phrase.
func (q queries) ListIgnoredPhrases(ctx context.Context) ([]heed.IgnoredPhrase, error) {
	return queryList(ctx, q.r, `SELECT phrase, ignored_at, ignored_by FROM ignored_phrases ORDER BY phrase`, nil,
		[]heed.IgnoredPhrase{}, func(sc sqlstore.Scanner) (heed.IgnoredPhrase, error) {
			var p heed.IgnoredPhrase
			var at int64
			err := sc.Scan(&p.Phrase, &at, &p.IgnoredBy)
			p.IgnoredAt = fromMicros(at)
			return p, err
		}, "sqlite: list ignored phrases")
}
