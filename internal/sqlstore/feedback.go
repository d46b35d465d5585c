package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/heedhq/heed"
)

// Limits of a feedback item, the same on both engines.
const (
	maxFeedbackText = 100_000 // bytes of text: a long ticket thread, not a book
	maxFeedbackKey  = 200     // bytes of a source or an external id
)

// FeedbackRow is what both stores write of an item: checked, its turns
// encoded, its time settled to the microsecond.
type FeedbackRow struct {
	Turns string
	At    time.Time
}

// CheckFeedback checks an item before it is written. Errors name the
// field.
func CheckFeedback(it heed.FeedbackItem) (FeedbackRow, error) {
	switch {
	case !it.Kind.Valid():
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "kind", "unknown kind %q", it.Kind)
	case strings.TrimSpace(it.Source) == "" || len(it.Source) > maxFeedbackKey:
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "source", "a source is 1 to %d bytes", maxFeedbackKey)
	case strings.TrimSpace(it.ExternalID) == "" || len(it.ExternalID) > maxFeedbackKey:
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "external_id", "an external id is 1 to %d bytes", maxFeedbackKey)
	case len(it.Text) > maxFeedbackText:
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "text", "text is longer than %d bytes", maxFeedbackText)
	case it.Rating != nil && (*it.Rating < 1 || *it.Rating > 5):
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "rating", "a rating is 1 to 5 stars, not %d", *it.Rating)
	case it.At.IsZero():
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "at", "an item needs the time it was said")
	case it.Sentiment != nil && (*it.Sentiment < -1 || *it.Sentiment > 1):
		return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "sentiment", "sentiment is -1 to 1")
	}
	if err := CheckText("kind", string(it.Kind), "source", it.Source, "external_id", it.ExternalID, "title", it.Title,
		"text", it.Text, "platform", it.Platform, "author", it.Author, "language", it.Language, "label", it.Label); err != nil {
		return FeedbackRow{}, err
	}
	for i, t := range it.Turns {
		if err := CheckText(fmt.Sprintf("turns[%d].speaker", i), t.Speaker, fmt.Sprintf("turns[%d].text", i), t.Text); err != nil {
			return FeedbackRow{}, err
		}
	}
	for i, th := range it.Themes {
		if th.Theme == "" || CheckText(fmt.Sprintf("themes[%d]", i), th.Theme) != nil {
			return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, fmt.Sprintf("themes[%d]", i), "a theme needs a key")
		}
	}
	turns := "[]"
	if len(it.Turns) > 0 {
		b, err := json.Marshal(it.Turns)
		if err != nil {
			return FeedbackRow{}, heed.FieldErrorf(heed.EInvalid, "turns", "cannot be encoded: %v", err)
		}
		turns = string(b)
	}
	return FeedbackRow{Turns: turns, At: it.At.UTC().Truncate(time.Microsecond)}, nil
}

// DecodeTurns reads the stored turns.
func DecodeTurns(s string) ([]heed.Turn, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	var t []heed.Turn
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, fmt.Errorf("decode turns: %w", err)
	}
	return t, nil
}

// SameFeedback reports whether an upsert would change nothing of what
// was stored: the same words, said by the same customer in the same
// unit at the same time, read the same way. old is as the stores read
// it back, its themes by key.
func SameFeedback(old, new heed.FeedbackItem) bool {
	return old.Kind == new.Kind && old.Title == new.Title && old.Text == new.Text &&
		slices.Equal(old.Turns, new.Turns) && eqPtr(old.Rating, new.Rating) && old.Platform == new.Platform &&
		old.At.Equal(new.At.UTC().Truncate(time.Microsecond)) && old.CustomerID == new.CustomerID &&
		old.Author == new.Author && old.UnitID == new.UnitID && old.ResponseID == new.ResponseID &&
		old.Language == new.Language && eqPtr(old.Sentiment, new.Sentiment) && old.Label == new.Label &&
		sameThemes(old.Themes, new.Themes)
}

// sameThemes compares stored themes, by key, with new ones in any order.
func sameThemes(old, new []heed.FeedbackTheme) bool {
	if len(old) != len(new) {
		return false
	}
	byKey := slices.SortedFunc(slices.Values(new), func(a, b heed.FeedbackTheme) int { return strings.Compare(a.Theme, b.Theme) })
	return slices.EqualFunc(old, byKey, func(a, b heed.FeedbackTheme) bool {
		return a.Theme == b.Theme && a.Mentions == b.Mentions && eqPtr(a.Sentiment, b.Sentiment)
	})
}

func eqPtr[T comparable](a, b *T) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// FeedbackSelect reads items with their customer's external id and name
// and their unit's key, in the columns of the engines' scanFeedback.
const FeedbackSelect = `SELECT f.id, f.kind, f.source, f.external_id, f.title, f.text, f.turns, f.rating, f.platform,
	f.said_at, COALESCE(f.customer_id, 0), COALESCE(c.external_id, ''), COALESCE(c.name, ''), f.author,
	COALESCE(f.unit_id, 0), COALESCE(u.key, ''), COALESCE(f.response_id, 0), f.language, f.sentiment, f.label,
	f.created_at, f.updated_at, COALESCE(c.unit_id, 0), COALESCE(cu.path, ''), COALESCE(c.owner_id, 0)
	FROM feedback_items f LEFT JOIN customers c ON c.id = f.customer_id LEFT JOIN units u ON u.id = f.unit_id
	LEFT JOIN units cu ON cu.id = c.unit_id`

// FeedbackScope names the columns a scope checks in FeedbackSelect: the
// item's unit, or its customer's owner.
func FeedbackScope() ScopeColumns {
	return ScopeColumns{UnitID: "f.unit_id", UnitPath: "u.path", OwnerID: "c.owner_id"}
}

// FeedbackWhere is the condition of a feedback list: the scope, f's
// unit subtree (ENotFound on field "unit" for an unknown key) and
// filters; times go through timeArg, the engine's encoding, and like is
// the engine's case-insensitive match ("LIKE" on SQLite, "ILIKE" on
// PostgreSQL).
func FeedbackWhere(ctx context.Context, s heed.Scope, f heed.FeedbackFilter, a *Args, unitPath PathLookup,
	timeArg func(time.Time) any, like string) (string, error) {
	where, err := ListWhere(ctx, s, f.Unit, a, FeedbackScope(), unitPath)
	if err != nil {
		return "", err
	}
	conds := []string{where}
	add := func(cond string, v any) { conds = append(conds, cond+a.Add(v)) }
	if f.Kind != "" {
		add("f.kind = ", string(f.Kind))
	}
	if f.Source != "" {
		add("f.source = ", f.Source)
	}
	if f.CustomerID != 0 {
		add("f.customer_id = ", f.CustomerID)
	}
	if f.Theme != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM feedback_themes t WHERE t.item_id = f.id AND t.theme = "+a.Add(f.Theme)+")")
	}
	if f.Label != "" {
		add("f.label = ", f.Label)
	}
	if f.MinRating != nil {
		add("f.rating >= ", *f.MinRating)
	}
	if f.MaxRating != nil {
		add("f.rating <= ", *f.MaxRating)
	}
	if !f.From.IsZero() {
		add("f.said_at >= ", timeArg(f.From))
	}
	if !f.To.IsZero() {
		add("f.said_at < ", timeArg(f.To))
	}
	for _, w := range strings.Fields(f.Query) {
		conds = append(conds, "f.text "+like+" "+a.Add("%"+escapeLike(w)+"%")+` ESCAPE '\'`)
	}
	if f.BeforeID > 0 {
		add("f.id < ", f.BeforeID)
	}
	return strings.Join(conds, " AND "), nil
}

// ThemeScoresSQL is the statement of CountThemeScores over the where of
// ResponseWhere: theme, score, count.
func ThemeScoresSQL(where string) string {
	return `SELECT t.theme, r.score, COUNT(*) FROM feedback_themes t
	JOIN feedback_items f ON f.id = t.item_id JOIN responses r ON r.id = f.response_id
	JOIN surveys s ON s.id = r.survey_id LEFT JOIN customers c ON c.id = r.customer_id LEFT JOIN units u ON u.id = r.unit_id
	WHERE ` + where + ` GROUP BY t.theme, r.score ORDER BY t.theme, r.score`
}

// ThemeStatsSQL is the statement of ThemeStats over the where of
// FeedbackWhere: theme, items, read, sentiment sum, negative, positive.
func ThemeStatsSQL(where string) string {
	return `SELECT t.theme, COUNT(*), COUNT(t.sentiment), COALESCE(SUM(t.sentiment), 0),
	SUM(CASE WHEN t.sentiment <= -0.05 THEN 1 ELSE 0 END), SUM(CASE WHEN t.sentiment >= 0.05 THEN 1 ELSE 0 END)
	FROM feedback_themes t JOIN feedback_items f ON f.id = t.item_id
	LEFT JOIN customers c ON c.id = f.customer_id LEFT JOIN units u ON u.id = f.unit_id
	WHERE ` + where + ` GROUP BY t.theme ORDER BY t.theme`
}

// escapeLike makes a word match itself in LIKE: % and _ taken literally.
func escapeLike(w string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)
}

// FeedbackNotFound is the error for an item nobody in scope can see.
func FeedbackNotFound() error { return heed.Errorf(heed.ENotFound, "no such feedback item") }
