package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanTaxonomy(sc sqlstore.Scanner) (heed.SavedTaxonomy, error) {
	var t heed.SavedTaxonomy
	err := sc.Scan(&t.Themes, &t.Version, &t.UpdatedAt, &t.UpdatedBy, &t.Reread.Total, &t.Reread.Done, &t.Reread.Cursor,
		&t.Reread.FinishedAt)
	t.UpdatedAt, t.Reread.FinishedAt = utc(t.UpdatedAt), utcPtr(t.Reread.FinishedAt)
	return t, err
}

// GetTaxonomy returns the saved taxonomy; ENotFound when none was saved.
func (q queries) GetTaxonomy(ctx context.Context) (heed.SavedTaxonomy, error) {
	t, err := scanTaxonomy(q.db.QueryRow(ctx, `SELECT `+sqlstore.TaxonomyColumns+` FROM taxonomy WHERE id = 1`))
	return t, rowErr(err, sqlstore.TaxonomyNotFound(), "postgres: get taxonomy")
}

// SaveTaxonomy stores themes as version expected+1 if expected is the
// stored version (0: none stored), and restarts the re-reading. Two
// concurrent first saves: ON CONFLICT waits for the other to commit,
// then this one inserts nothing and is stale.
func (q queries) SaveTaxonomy(ctx context.Context, themes string, expected int, by string, now time.Time) (heed.SavedTaxonomy, error) {
	if err := sqlstore.CheckTaxonomySave(themes, expected, by); err != nil {
		return heed.SavedTaxonomy{}, err
	}
	stmt := `INSERT INTO taxonomy (id, themes, version, updated_at, updated_by, reread_total)
		VALUES (1, $1, 1, $2, $3, (SELECT COUNT(*) FROM feedback_items)) ON CONFLICT (id) DO NOTHING
		RETURNING ` + sqlstore.TaxonomyColumns
	args := []any{themes, utc(now), by}
	if expected > 0 {
		stmt = `UPDATE taxonomy SET themes = $1, version = version + 1, updated_at = $2, updated_by = $3,
			reread_total = (SELECT COUNT(*) FROM feedback_items), reread_done = 0, reread_cursor = 0, reread_finished = NULL
			WHERE id = 1 AND version = $4 RETURNING ` + sqlstore.TaxonomyColumns
		args = append(args, expected)
	}
	t, err := scanTaxonomy(q.db.QueryRow(ctx, stmt, args...))
	return t, rowErr(err, sqlstore.TaxonomyStale(expected), "postgres: save taxonomy")
}

// RecordReread records a page of re-reading if the taxonomy is still at
// version and its cursor at from; a concurrent save or page commits
// first and this one then matches no row.
func (q queries) RecordReread(ctx context.Context, version int, from, to int64, n int, finished bool, now time.Time) error {
	var end *time.Time
	if finished {
		t := utc(now)
		end = &t
	}
	tag, err := q.db.Exec(ctx, `UPDATE taxonomy SET reread_cursor = $1, reread_done = reread_done + $2, reread_finished = $3
		WHERE id = 1 AND version = $4 AND reread_cursor = $5 AND reread_finished IS NULL`, to, n, end, version, from)
	return rowTouched(tag, err, sqlstore.RereadMoved(), "postgres: record reread")
}
