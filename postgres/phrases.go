package postgres

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
	_, err := q.db.Exec(ctx, `INSERT INTO ignored_phrases (phrase, ignored_at, ignored_by) VALUES ($1, $2, $3)
		ON CONFLICT (phrase) DO NOTHING`, phrase, utc(now), by)
	if err != nil {
		return heed.Internal(err, "postgres: ignore phrase")
	}
	return nil
}

// ListIgnoredPhrases returns the ignored phrases, by phrase (byte order,
// as SQLite sorts).
func (q queries) ListIgnoredPhrases(ctx context.Context) ([]heed.IgnoredPhrase, error) {
	return queryList(ctx, q.db, `SELECT phrase, ignored_at, ignored_by FROM ignored_phrases ORDER BY phrase COLLATE "C"`, nil,
		[]heed.IgnoredPhrase{}, func(sc sqlstore.Scanner) (heed.IgnoredPhrase, error) {
			var p heed.IgnoredPhrase
			err := sc.Scan(&p.Phrase, &p.IgnoredAt, &p.IgnoredBy)
			p.IgnoredAt = utc(p.IgnoredAt)
			return p, err
		}, "postgres: list ignored phrases")
}
