package cases_test

import (
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/internal/testdb"
)

// TestListLate: the late filter is the store's, so a page is whole: with
// the newest case on time and an older one late, a page of one holds the
// late one (filtered after the read, it came back empty).
func TestListLate(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			f.answer(t, "C-1", 2, "late")
			f.clock.Add(24 * time.Hour)
			f.answer(t, "C-3", 2, "on time")
			f.clock.Add(25 * time.Hour) // C-1's first contact was due an hour ago, C-3's is a day off
			cs, err := f.cs.List(t.Context(), heed.System(), cases.Filter{Late: true, Limit: 1})
			if err != nil || len(cs) != 1 || cs[0].Customer != "C-1" {
				t.Fatalf("late cases = %+v, %v; want C-1's alone", cs, err)
			}
		})
	}
}
