package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanTaxonomy(sc sqlstore.Scanner) (heed.SavedTaxonomy, error) {
	var t heed.SavedTaxonomy
	var updated int64
	var finished sql.NullInt64
	err := sc.Scan(&t.Themes, &t.Version, &updated, &t.UpdatedBy, &t.Reread.Total, &t.Reread.Done, &t.Reread.Cursor, &finished)
	t.UpdatedAt, t.Reread.FinishedAt = fromMicros(updated), nullMicros(finished)
	return t, err
}

// GetTaxonomy returns the saved taxonomy; ENotFound when none was saved.
func (q queries) GetTaxonomy(ctx context.Context) (heed.SavedTaxonomy, error) {
	t, err := scanTaxonomy(q.r.QueryRowContext(ctx, `SELECT `+sqlstore.TaxonomyColumns+` FROM taxonomy WHERE id = 1`))
	return t, rowErr(err, sqlstore.TaxonomyNotFound(), "sqlite: get taxonomy")
}

// SaveTaxonomy stores themes as version expected+1 if expected is the
// stored version (0: none stored), and restarts the re-reading.
func (q queries) SaveTaxonomy(ctx context.Context, themes string, expected int, by string, now time.Time) (heed.SavedTaxonomy, error) {
	if err := sqlstore.CheckTaxonomySave(themes, expected, by); err != nil {
		return heed.SavedTaxonomy{}, err
	}
	stmt := `INSERT INTO taxonomy (id, themes, version, updated_at, updated_by, reread_total)
		VALUES (1, ?, 1, ?, ?, (SELECT COUNT(*) FROM feedback_items)) ON CONFLICT (id) DO NOTHING
		RETURNING ` + sqlstore.TaxonomyColumns
	args := []any{themes, micros(now), by}
	if expected > 0 {
		stmt = `UPDATE taxonomy SET themes = ?, version = version + 1, updated_at = ?, updated_by = ?,
			reread_total = (SELECT COUNT(*) FROM feedback_items), reread_done = 0, reread_cursor = 0, reread_finished = NULL
			WHERE id = 1 AND version = ? RETURNING ` + sqlstore.TaxonomyColumns
		args = append(args, expected)
	}
	t, err := scanTaxonomy(q.w.QueryRowContext(ctx, stmt, args...))
	return t, rowErr(err, sqlstore.TaxonomyStale(expected), "sqlite: save taxonomy")
}

// RecordReread records a page of re-reading if the taxonomy is still at
// version and its cursor at from.
func (q queries) RecordReread(ctx context.Context, version int, from, to int64, n int, finished bool, now time.Time) error {
	var end any
	if finished {
		end = micros(now)
	}
	res, err := q.w.ExecContext(ctx, `UPDATE taxonomy SET reread_cursor = ?, reread_done = reread_done + ?, reread_finished = ?
		WHERE id = 1 AND version = ? AND reread_cursor = ? AND reread_finished IS NULL`, to, n, end, version, from)
	return rowTouched(res, err, sqlstore.RereadMoved(), "sqlite: record reread")
}
