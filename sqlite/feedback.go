package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

func scanFeedback(sc sqlstore.Scanner) (heed.FeedbackItem, error) {
	var it heed.FeedbackItem
	var kind, turns string
	var rating sql.NullInt64
	var sentiment sql.NullFloat64
	var said, created, updated int64
	err := sc.Scan(&it.ID, &kind, &it.Source, &it.ExternalID, &it.Title, &it.Text, &turns, &rating, &it.Platform,
		&said, &it.CustomerID, &it.Customer, &it.CustomerName, &it.Author, &it.UnitID, &it.Unit, &it.ResponseID,
		&it.Language, &sentiment, &it.Label, &created, &updated, &it.CustomerUnitID, &it.CustomerUnitPath, &it.CustomerOwnerID)
	if err != nil {
		return heed.FeedbackItem{}, err
	}
	it.Kind = heed.FeedbackKind(kind)
	if rating.Valid {
		r := int(rating.Int64)
		it.Rating = &r
	}
	if sentiment.Valid {
		it.Sentiment = &sentiment.Float64
	}
	it.At, it.CreatedAt, it.UpdatedAt = fromMicros(said), fromMicros(created), fromMicros(updated)
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
	old, err := q.feedbackOn(ctx, q.w, heed.Scope{All: true}, `f.source = ? AND f.external_id = ?`, it.Source, it.ExternalID)
	switch {
	case err == nil && sqlstore.SameFeedback(old, it):
		return heed.FeedbackUpsert{ID: old.ID}, nil
	case err == nil:
		_, err = q.w.ExecContext(ctx, `UPDATE feedback_items SET kind = ?, title = ?, text = ?, turns = ?, rating = ?,
			platform = ?, said_at = ?, customer_id = ?, author = ?, unit_id = ?, response_id = ?, language = ?,
			sentiment = ?, label = ?, updated_at = ? WHERE id = ?`,
			string(it.Kind), it.Title, it.Text, row.Turns, it.Rating, it.Platform, micros(row.At),
			sqlstore.NullID(it.CustomerID), it.Author, sqlstore.NullID(it.UnitID), sqlstore.NullID(it.ResponseID),
			it.Language, it.Sentiment, it.Label, micros(now), old.ID)
		if err = feedbackWriteErr(err); err != nil {
			return heed.FeedbackUpsert{}, err
		}
		return heed.FeedbackUpsert{ID: old.ID, Changed: true}, q.writeThemes(ctx, old.ID, it.Themes, true)
	case !heed.IsNotFound(err):
		return heed.FeedbackUpsert{}, err
	}
	var id int64
	err = q.w.QueryRowContext(ctx, `INSERT INTO feedback_items (kind, source, external_id, title, text, turns, rating,
		platform, said_at, customer_id, author, unit_id, response_id, language, sentiment, label, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(it.Kind), it.Source, it.ExternalID, it.Title, it.Text, row.Turns, it.Rating, it.Platform, micros(row.At),
		sqlstore.NullID(it.CustomerID), it.Author, sqlstore.NullID(it.UnitID), sqlstore.NullID(it.ResponseID),
		it.Language, it.Sentiment, it.Label, micros(now), micros(now)).Scan(&id)
	if err = feedbackWriteErr(err); err != nil {
		return heed.FeedbackUpsert{}, err
	}
	return heed.FeedbackUpsert{ID: id, Created: true, Changed: true}, q.writeThemes(ctx, id, it.Themes, false)
}

func feedbackWriteErr(err error) error {
	switch {
	case err == nil:
		return nil
	case missingReference(err):
		return sqlstore.MissingReference("feedback item")
	}
	return heed.Internal(err, "sqlite: write feedback item")
}

// writeThemes stores an item's themes, replacing the old ones.
func (q queries) writeThemes(ctx context.Context, id int64, themes []heed.FeedbackTheme, replace bool) error {
	if replace {
		if _, err := q.w.ExecContext(ctx, `DELETE FROM feedback_themes WHERE item_id = ?`, id); err != nil {
			return heed.Internal(err, "sqlite: clear feedback themes")
		}
	}
	for _, th := range themes {
		_, err := q.w.ExecContext(ctx, `INSERT INTO feedback_themes (item_id, theme, sentiment, mentions) VALUES (?, ?, ?, ?)
			ON CONFLICT (item_id, theme) DO NOTHING`, id, th.Theme, th.Sentiment, th.Mentions)
		if err != nil {
			return heed.Internal(err, "sqlite: write feedback theme")
		}
	}
	return nil
}

// GetFeedback returns one item inside scope.
func (q queries) GetFeedback(ctx context.Context, scope heed.Scope, id int64) (heed.FeedbackItem, error) {
	return q.feedbackOn(ctx, q.r, scope, `f.id = ?`, id)
}

// GetFeedbackBySource returns the item with (source, externalID).
func (q queries) GetFeedbackBySource(ctx context.Context, source, externalID string) (heed.FeedbackItem, error) {
	return q.feedbackOn(ctx, q.r, heed.Scope{All: true}, `f.source = ? AND f.external_id = ?`, source, externalID)
}

// feedbackOn reads the one item cond selects inside scope, with its themes.
func (q queries) feedbackOn(ctx context.Context, db querier, scope heed.Scope, cond string, args ...any) (heed.FeedbackItem, error) {
	a := newArgs()
	for _, v := range args {
		a.Add(v)
	}
	stmt := sqlstore.FeedbackSelect + ` WHERE ` + cond + ` AND ` + sqlstore.ScopeWhere(scope, a, sqlstore.FeedbackScope())
	it, err := scanFeedback(db.QueryRowContext(ctx, stmt, a.Values()...))
	if err != nil {
		return heed.FeedbackItem{}, rowErr(err, sqlstore.FeedbackNotFound(), "sqlite: get feedback item")
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
	where, err := sqlstore.FeedbackWhere(ctx, scope, f, args, q.unitPath, microsArg, "LIKE")
	if err != nil {
		return nil, err
	}
	stmt := sqlstore.FeedbackSelect + ` WHERE ` + where + ` ORDER BY f.id DESC LIMIT ` + args.Add(limit)
	items, err := queryList(ctx, q.r, stmt, args.Values(), []heed.FeedbackItem{}, scanFeedback, "sqlite: list feedback")
	if err != nil {
		return nil, err
	}
	return items, q.loadThemes(ctx, q.r, items)
}

// loadThemes fills in the themes of items, in one query.
func (q queries) loadThemes(ctx context.Context, db querier, items []heed.FeedbackItem) error {
	if len(items) == 0 {
		return nil
	}
	at := make(map[int64]int, len(items))
	marks := make([]string, len(items))
	args := make([]any, len(items))
	for i, it := range items {
		at[it.ID], marks[i], args[i] = i, "?", it.ID
	}
	rows, err := db.QueryContext(ctx, `SELECT item_id, theme, sentiment, mentions FROM feedback_themes
		WHERE item_id IN (`+strings.Join(marks, ",")+`) ORDER BY item_id, theme`, args...)
	if err != nil {
		return heed.Internal(err, "sqlite: read feedback themes")
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var th heed.FeedbackTheme
		var s sql.NullFloat64
		if err := rows.Scan(&id, &th.Theme, &s, &th.Mentions); err != nil {
			return heed.Internal(err, "sqlite: read feedback themes")
		}
		if s.Valid {
			th.Sentiment = &s.Float64
		}
		items[at[id]].Themes = append(items[at[id]].Themes, th)
	}
	if err := rows.Err(); err != nil {
		return heed.Internal(err, "sqlite: read feedback themes")
	}
	return nil
}

// CountThemeScores counts the responses f selects per theme their
// comment mentions and score.
func (q queries) CountThemeScores(ctx context.Context, scope heed.Scope, f heed.ResponseFilter) ([]heed.ThemeScoreCount, error) {
	f.BeforeID = 0
	args := newArgs()
	where, err := sqlstore.ResponseWhere(ctx, scope, f, args, q.unitPath, func(t time.Time) any { return micros(t) })
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.r, sqlstore.ThemeScoresSQL(where), args.Values(), []heed.ThemeScoreCount{},
		func(sc sqlstore.Scanner) (heed.ThemeScoreCount, error) {
			var c heed.ThemeScoreCount
			err := sc.Scan(&c.Theme, &c.Score, &c.N)
			return c, err
		}, "sqlite: count theme scores")
}

// ThemeStats sums the items f selects per theme.
func (q queries) ThemeStats(ctx context.Context, scope heed.Scope, f heed.FeedbackFilter) ([]heed.ThemeStat, error) {
	f.Theme, f.Query, f.BeforeID = "", "", 0
	args := newArgs()
	where, err := sqlstore.FeedbackWhere(ctx, scope, f, args, q.unitPath, microsArg, "LIKE")
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.r, sqlstore.ThemeStatsSQL(where), args.Values(), []heed.ThemeStat{},
		func(sc sqlstore.Scanner) (heed.ThemeStat, error) {
			var st heed.ThemeStat
			err := sc.Scan(&st.Theme, &st.Items, &st.Read, &st.Sentiment, &st.Negative, &st.Positive)
			return st, err
		}, "sqlite: theme stats")
}
