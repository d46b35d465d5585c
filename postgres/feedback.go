package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanFeedback(sc sqlstore.Scanner) (heed.FeedbackItem, error) {
	var it heed.FeedbackItem
	var kind, turns string
	var rating *int32
	err := sc.Scan(&it.ID, &kind, &it.Source, &it.ExternalID, &it.Title, &it.Text, &turns, &rating, &it.Platform,
		&it.At, &it.CustomerID, &it.Customer, &it.CustomerName, &it.Author, &it.UnitID, &it.Unit, &it.ResponseID,
		&it.Language, &it.Sentiment, &it.Label, &it.CreatedAt, &it.UpdatedAt, &it.CustomerUnitID, &it.CustomerUnitPath,
		&it.CustomerOwnerID)
	if err != nil {
		return heed.FeedbackItem{}, err
	}
	it.Kind = heed.FeedbackKind(kind)
	if rating != nil {
		r := int(*rating)
		it.Rating = &r
	}
	it.At, it.CreatedAt, it.UpdatedAt = it.At.UTC(), it.CreatedAt.UTC(), it.UpdatedAt.UTC()
	it.Themes = []heed.FeedbackTheme{}
	it.Turns, err = sqlstore.DecodeTurns(turns)
	return it, err
}

// UpsertFeedback writes the items in one transaction (see
// heed.FeedbackQueries).
func (q queries) UpsertFeedback(ctx context.Context, items []heed.FeedbackItem, now time.Time) ([]heed.FeedbackUpsert, error) {
	out := make([]heed.FeedbackUpsert, 0, len(items))
	err := q.withTx(ctx, func(q queries) error {
		out = out[:0]
		for i, it := range items {
			res, err := q.upsertFeedback(ctx, it, now)
			if err != nil {
				return fmt.Errorf("feedback item %d: %w", i+1, err)
			}
			out = append(out, res)
		}
		return nil
	})
	return out, err
}

func (q queries) upsertFeedback(ctx context.Context, it heed.FeedbackItem, now time.Time) (heed.FeedbackUpsert, error) {
	row, err := sqlstore.CheckFeedback(it)
	if err != nil {
		return heed.FeedbackUpsert{}, err
	}
	res, inserted, err := q.writeFeedback(ctx, it, row, now)
	if err == nil && !inserted {
		// Another batch inserted the same item meanwhile: it is there
		// now, so this is an update.
		res, _, err = q.writeFeedback(ctx, it, row, now)
	}
	return res, err
}

// writeFeedback updates the stored item (locked: two batches sending the
// same item take turns) or inserts it; inserted is false when an insert
// found the key taken by a batch that committed in between.
func (q queries) writeFeedback(ctx context.Context, it heed.FeedbackItem, row sqlstore.FeedbackRow, now time.Time) (heed.FeedbackUpsert, bool, error) {
	old, err := q.feedbackOn(ctx, q.db, heed.Scope{All: true}, `f.source = $1 AND f.external_id = $2 FOR UPDATE OF f`,
		it.Source, it.ExternalID)
	switch {
	case err == nil && sqlstore.SameFeedback(old, it):
		return heed.FeedbackUpsert{ID: old.ID}, true, nil
	case err == nil:
		_, err = q.db.Exec(ctx, `UPDATE feedback_items SET kind = $1, title = $2, text = $3, turns = $4, rating = $5,
			platform = $6, said_at = $7, customer_id = $8, author = $9, unit_id = $10, response_id = $11, language = $12,
			sentiment = $13, label = $14, updated_at = $15 WHERE id = $16`,
			string(it.Kind), it.Title, it.Text, row.Turns, it.Rating, it.Platform, row.At,
			sqlstore.NullID(it.CustomerID), it.Author, sqlstore.NullID(it.UnitID), sqlstore.NullID(it.ResponseID),
			it.Language, it.Sentiment, it.Label, utc(now), old.ID)
		if err = feedbackWriteErr(err); err != nil {
			return heed.FeedbackUpsert{}, true, err
		}
		return heed.FeedbackUpsert{ID: old.ID, Changed: true}, true, q.writeThemes(ctx, old.ID, it.Themes, true)
	case !heed.IsNotFound(err):
		return heed.FeedbackUpsert{}, true, err
	}
	var id int64
	err = q.db.QueryRow(ctx, `INSERT INTO feedback_items (kind, source, external_id, title, text, turns, rating,
		platform, said_at, customer_id, author, unit_id, response_id, language, sentiment, label, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
		ON CONFLICT (source, external_id) DO NOTHING RETURNING id`,
		string(it.Kind), it.Source, it.ExternalID, it.Title, it.Text, row.Turns, it.Rating, it.Platform, row.At,
		sqlstore.NullID(it.CustomerID), it.Author, sqlstore.NullID(it.UnitID), sqlstore.NullID(it.ResponseID),
		it.Language, it.Sentiment, it.Label, utc(now)).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return heed.FeedbackUpsert{}, false, nil
	}
	if err = feedbackWriteErr(err); err != nil {
		return heed.FeedbackUpsert{}, true, err
	}
	return heed.FeedbackUpsert{ID: id, Created: true, Changed: true}, true, q.writeThemes(ctx, id, it.Themes, false)
}

func feedbackWriteErr(err error) error {
	switch {
	case err == nil:
		return nil
	case missingReference(err):
		return sqlstore.MissingReference("feedback item")
	}
	return heed.Internal(err, "postgres: write feedback item")
}

// writeThemes stores an item's themes, replacing the old ones.
func (q queries) writeThemes(ctx context.Context, id int64, themes []heed.FeedbackTheme, replace bool) error {
	if replace {
		if _, err := q.db.Exec(ctx, `DELETE FROM feedback_themes WHERE item_id = $1`, id); err != nil {
			return heed.Internal(err, "postgres: clear feedback themes")
		}
	}
	for _, th := range themes {
		_, err := q.db.Exec(ctx, `INSERT INTO feedback_themes (item_id, theme, sentiment, mentions) VALUES ($1, $2, $3, $4)
			ON CONFLICT (item_id, theme) DO NOTHING`, id, th.Theme, th.Sentiment, th.Mentions)
		if err != nil {
			return heed.Internal(err, "postgres: write feedback theme")
		}
	}
	return nil
}

// GetFeedback returns one item inside scope.
func (q queries) GetFeedback(ctx context.Context, scope heed.Scope, id int64) (heed.FeedbackItem, error) {
	return q.feedbackOn(ctx, q.db, scope, `f.id = $1`, id)
}

// GetFeedbackBySource returns the item with (source, externalID).
func (q queries) GetFeedbackBySource(ctx context.Context, source, externalID string) (heed.FeedbackItem, error) {
	return q.feedbackOn(ctx, q.db, heed.Scope{All: true}, `f.source = $1 AND f.external_id = $2`, source, externalID)
}

// feedbackOn reads the one item cond selects inside scope, with its
// themes. cond comes last, so it may end with a locking clause.
func (q queries) feedbackOn(ctx context.Context, db querier, scope heed.Scope, cond string, args ...any) (heed.FeedbackItem, error) {
	a := newArgs()
	for _, v := range args {
		a.Add(v)
	}
	stmt := sqlstore.FeedbackSelect + ` WHERE ` + sqlstore.ScopeWhere(scope, a, sqlstore.FeedbackScope()) + ` AND ` + cond
	it, err := scanFeedback(db.QueryRow(ctx, stmt, a.Values()...))
	if err != nil {
		return heed.FeedbackItem{}, rowErr(err, sqlstore.FeedbackNotFound(), "postgres: get feedback item")
	}
	items := []heed.FeedbackItem{it}
	if err := q.loadThemes(ctx, db, items); err != nil {
		return heed.FeedbackItem{}, err
	}
	return items[0], nil
}

// ListFeedback returns one page of the items inside scope, newest first.
func (q queries) ListFeedback(ctx context.Context, scope heed.Scope, f heed.FeedbackFilter) ([]heed.FeedbackItem, error) {
	limit, err := sqlstore.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	args := newArgs()
	where, err := sqlstore.FeedbackWhere(ctx, scope, f, args, q.unitPath, utcArg, "ILIKE")
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.FeedbackSelect + ` WHERE ` + where + ` ORDER BY f.id DESC LIMIT ` + args.Add(limit)
	items, err := queryList(ctx, q.db, stmt, args.Values(), []heed.FeedbackItem{}, scanFeedback, "postgres: list feedback")
	if err != nil {
		return nil, err
	}
	return items, q.loadThemes(ctx, q.db, items)
}

// loadThemes fills in the themes of items, in one query.
func (q queries) loadThemes(ctx context.Context, db querier, items []heed.FeedbackItem) error {
	if len(items) == 0 {
		return nil
	}
	at := make(map[int64]int, len(items))
	ids := make([]int64, len(items))
	for i, it := range items {
		at[it.ID], ids[i] = i, it.ID
	}
	rows, err := db.Query(ctx, `SELECT item_id, theme, sentiment, mentions FROM feedback_themes
		WHERE item_id = ANY($1) ORDER BY item_id, theme`, ids)
	if err != nil {
		return heed.Internal(err, "postgres: read feedback themes")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var th heed.FeedbackTheme
		if err := rows.Scan(&id, &th.Theme, &th.Sentiment, &th.Mentions); err != nil {
			return heed.Internal(err, "postgres: read feedback themes")
		}
		items[at[id]].Themes = append(items[at[id]].Themes, th)
	}
	if err := rows.Err(); err != nil {
		return heed.Internal(err, "postgres: read feedback themes")
	}
	return nil
}

// CountThemeScores counts the responses f selects per theme their
// comment mentions and score.
func (q queries) CountThemeScores(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.ThemeScoreCount, error) {
	f.BeforeID = 0
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return utc(t) })
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.db, sqlstore.ThemeScoresSQL(where), args.Values(), []heed.ThemeScoreCount{},
		func(sc sqlstore.Scanner) (heed.ThemeScoreCount, error) {
			var c heed.ThemeScoreCount
			err := sc.Scan(&c.Theme, &c.Score, &c.N)
			return c, err
		}, "postgres: count theme scores")
}

// ThemeStats sums the items f selects per theme.
func (q queries) ThemeStats(ctx context.Context, scope heed.Scope, f heed.FeedbackFilter) ([]heed.ThemeStat, error) {
	f.Theme, f.Query, f.BeforeID = "", "", 0
	args := newArgs()
	where, err := sqlstore.FeedbackWhere(ctx, scope, f, args, q.unitPath, utcArg, "ILIKE")
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.db, sqlstore.ThemeStatsSQL(where), args.Values(), []heed.ThemeStat{},
		func(sc sqlstore.Scanner) (heed.ThemeStat, error) {
			var st heed.ThemeStat
			err := sc.Scan(&st.Theme, &st.Items, &st.Read, &st.Sentiment, &st.Negative, &st.Positive)
			return st, err
		}, "postgres: theme stats")
}
