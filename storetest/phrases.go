package storetest

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testPhrases is the contract of heed.PhraseQueries: an ignored phrase
// is listed once, with who ignored it first and when.
func testPhrases(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	got, err := s.ListIgnoredPhrases(ctx)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("ListIgnoredPhrases before any = %v, %v; want an empty list", got, err)
	}
	for _, p := range []string{"ticket machine", "café wifi", "ticket machine"} {
		if err := s.IgnorePhrase(ctx, p, "ada@example.com", T0); err != nil {
			t.Fatalf("IgnorePhrase(%q): %v", p, err)
		}
	}
	if err := s.IgnorePhrase(ctx, "ticket machine", "bob", T0.Add(time.Hour)); err != nil {
		t.Fatalf("IgnorePhrase again: %v", err)
	}
	wantErr(t, "an empty phrase", s.IgnorePhrase(ctx, " ", "bob", T0), heed.EInvalid, "phrase")
	wantErr(t, "a NUL", s.IgnorePhrase(ctx, "a\x00b", "bob", T0), heed.EInvalid, "phrase")
	wantErr(t, "a long phrase", s.IgnorePhrase(ctx, strings.Repeat("a", 201), "bob", T0), heed.EInvalid, "phrase")
	at := T0.Truncate(time.Microsecond)
	want := []heed.IgnoredPhrase{
		{Phrase: "café wifi", IgnoredAt: at, IgnoredBy: "ada@example.com"},
		{Phrase: "ticket machine", IgnoredAt: at, IgnoredBy: "ada@example.com"},
	}
	got, err = s.ListIgnoredPhrases(ctx)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ListIgnoredPhrases = %+v, %v;\nwant %+v", got, err, want)
	}
}
