package heed

import (
	"context"
	"time"
)

// SavedTaxonomy is the organisation's theme taxonomy as stored, with how
// far the re-reading of past feedback its last save queued has come.
// None is stored until an admin first saves one: the default applies.
type SavedTaxonomy struct {
	// Themes is the JSON list of themes (package textan's Theme); ""
	// when reset to the default. The root package keeps it opaque: the
	// feedback service checks and compiles it.
	Themes    string
	Version   int // 1 for the first save, one more for each
	UpdatedAt time.Time
	UpdatedBy string // the principal's name
	Reread    Reread
}

// Reread is the progress of re-reading past feedback with a taxonomy.
type Reread struct {
	Total int // the items there were when the taxonomy was saved
	Done  int // re-read so far
	// Cursor is the lowest item id re-read: the walk goes newest first
	// and goes on below it; 0 before the first page.
	Cursor     int64
	FinishedAt *time.Time // nil while under way
}

// TaxonomyQueries reads and writes the organisation's theme taxonomy.
type TaxonomyQueries interface {
	// GetTaxonomy returns the saved taxonomy; ENotFound when none was
	// ever saved (the default applies).
	GetTaxonomy(ctx context.Context) (SavedTaxonomy, error)
	// SaveTaxonomy stores themes (JSON; "" for the default) as version
	// expected+1 and starts its re-reading afresh: none done, the items
	// stored now to do. EConflict (field "version") when the stored
	// version is not expected (0: none saved yet).
	SaveTaxonomy(ctx context.Context, themes string, expected int, by string, now time.Time) (SavedTaxonomy, error)
	// RecordReread records one page of re-reading with version: n more
	// items done, the cursor moved from `from` to `to`, and finished
	// when the walk has reached the oldest item. EConflict when the
	// taxonomy is no longer at version or its cursor not at from:
	// another save, or another run, came in between.
	RecordReread(ctx context.Context, version int, from, to int64, n int, finished bool, now time.Time) error
}
