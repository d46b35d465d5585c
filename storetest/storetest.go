// Package storetest is the contract every heed.Store implementation must
// meet. Package sqlite and package postgres each run Run against a fresh
// database, so both engines are held to exactly the same behaviour.
package storetest

import (
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// Opener returns a new, empty, migrated store, cleaned up when t ends.
type Opener func(t testing.TB) heed.Store

// Run runs the whole contract suite.
func Run(t *testing.T, open Opener) {
	t.Run("migrate", func(t *testing.T) { testMigrate(t, open) })
	t.Run("org", func(t *testing.T) { testOrg(t, open) })
	t.Run("counts", func(t *testing.T) { testCounts(t, open) })
	t.Run("accounts", func(t *testing.T) { testAccounts(t, open) })
	t.Run("jobs", func(t *testing.T) { testJobs(t, open) })
	t.Run("job keys", func(t *testing.T) { testJobKeys(t, open) })
	t.Run("surveys", func(t *testing.T) { testSurveys(t, open) })
	t.Run("cases", func(t *testing.T) { testCases(t, open) })
	t.Run("rules", func(t *testing.T) { testRules(t, open) })
	t.Run("webhooks", func(t *testing.T) { testWebhooks(t, open) })
	t.Run("feedback", func(t *testing.T) { testFeedback(t, open) })
	t.Run("events", func(t *testing.T) { testEvents(t, open) })
	t.Run("inbound sources", func(t *testing.T) { testInbound(t, open) })
	t.Run("taxonomy", func(t *testing.T) { testTaxonomy(t, open) })
	t.Run("ignored phrases", func(t *testing.T) { testPhrases(t, open) })
}

// T0 is the fixed "now" of contract tests; stores keep microseconds.
var T0 = time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)

func testMigrate(t *testing.T, open Opener) {
	s := open(t) // already migrated once
	ctx := t.Context()
	v1, err := s.SchemaVersion(ctx)
	if err != nil || v1 < 1 {
		t.Fatalf("SchemaVersion after migrate = %d, %v; want >= 1", v1, err)
	}
	v2, err := s.Migrate(ctx)
	if err != nil || v2 != v1 {
		t.Fatalf("second Migrate = %d, %v; want %d and no error", v2, err, v1)
	}
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}
