package storetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testInbound is the contract of heed.InboundQueries.
func testInbound(t *testing.T, open Opener) {
	t.Run("round trip", func(t *testing.T) { testInboundRoundTrip(t, open(t)) })
	t.Run("update, secret and delete", func(t *testing.T) { testInboundUpdate(t, open(t)) })
	t.Run("order", func(t *testing.T) { testInboundOrder(t, open(t)) })
}

// fullInbound sets every field, with text that needs escaping in JSON
// and in HTML.
func fullInbound(key string) heed.InboundSource {
	return heed.InboundSource{Key: key, Name: "Zendesk <tickets> & café", Kind: heed.FeedbackTicket, System: "zendesk",
		Active: true, Items: "tickets",
		Mapping: map[string]string{"external_id": "ticket.id", "text": "ticket.description",
			"email": "ticket.requester.email?", "rating": "data.0.stars"},
		Fixed:  map[string]string{"platform": "zendesk \"eu\"", "language": "en"},
		Secret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}
}

func mustCreateInbound(t *testing.T, s heed.Store, src heed.InboundSource, now time.Time) heed.InboundSource {
	t.Helper()
	out, err := s.CreateInboundSource(t.Context(), src, now)
	if err != nil {
		t.Fatalf("CreateInboundSource(%s): %v", src.Key, err)
	}
	return out
}

func testInboundRoundTrip(t *testing.T, s heed.Store) {
	ctx := t.Context()
	got := mustCreateInbound(t, s, fullInbound("zendesk"), T0.Add(999*time.Nanosecond))
	want := fullInbound("zendesk")
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0, T0
	read, err := s.GetInboundSource(ctx, "zendesk")
	for name, src := range map[string]heed.InboundSource{"CreateInboundSource": got, "GetInboundSource": read} {
		if got.ID == 0 || !reflect.DeepEqual(src, want) {
			t.Errorf("%s = %+v;\nwant %+v", name, src, want)
		}
	}
	if err != nil {
		t.Fatalf("GetInboundSource: %v", err)
	}
	wantTimes(t, "inbound source", got.CreatedAt, got.UpdatedAt, T0, T0)
	if list, err := s.ListInboundSources(ctx); err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], want) {
		t.Errorf("ListInboundSources = %+v, %v; want the one source", list, err)
	}
	// Nothing mapped or fixed reads back as empty maps, not nil.
	bare := mustCreateInbound(t, s, heed.InboundSource{Key: "bare", Secret: "whsec_x"}, T0)
	if bare.Mapping == nil || bare.Fixed == nil || len(bare.Mapping)+len(bare.Fixed) != 0 || bare.Active {
		t.Errorf("bare source = %+v; want empty maps, inactive", bare)
	}

	bad := []struct {
		change      func(*heed.InboundSource)
		code        heed.Code
		field, what string
	}{
		{func(*heed.InboundSource) {}, heed.EConflict, "key", "a taken key"},
		{func(src *heed.InboundSource) { src.Key = "" }, heed.EInvalid, "key", "no key"},
		{func(src *heed.InboundSource) { src.Key = "a\x00b" }, heed.EInvalid, "key", "a NUL in the key"},
		{func(src *heed.InboundSource) { src.Name = "\xff" }, heed.EInvalid, "name", "invalid UTF-8 in the name"},
		{func(src *heed.InboundSource) { src.Items = "a\x00" }, heed.EInvalid, "items", "a NUL in the items path"},
		{func(src *heed.InboundSource) { src.Mapping["text"] = "a\x00" }, heed.EInvalid, "mapping.text", "a NUL in a path"},
		{func(src *heed.InboundSource) { src.Fixed["x\x00"] = "y" }, heed.EInvalid, "fixed", "a NUL in a field name"},
	}
	for _, tt := range bad {
		src := fullInbound("zendesk")
		tt.change(&src)
		_, err := s.CreateInboundSource(ctx, src, T0)
		wantErr(t, "CreateInboundSource with "+tt.what, err, tt.code, tt.field)
	}
	_, err = s.GetInboundSource(ctx, "nope")
	wantErr(t, "GetInboundSource of an unknown key", err, heed.ENotFound, "")
	if heed.ErrorMessage(err) != `no inbound source "nope"` {
		t.Errorf("GetInboundSource of an unknown key: message %q", heed.ErrorMessage(err))
	}
	_, err = s.GetInboundSource(ctx, "a\x00b")
	wantErr(t, "GetInboundSource of a key no store can hold", err, heed.ENotFound, "")
}

func testInboundUpdate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	orig := mustCreateInbound(t, s, fullInbound("zendesk"), T0)
	later := T0.Add(time.Hour)
	up := orig
	up.Name, up.Kind, up.System, up.Active, up.Items = "Trustpilot", heed.FeedbackReview, "trustpilot", false, ""
	up.Mapping, up.Fixed = map[string]string{"text": "review.text"}, nil
	up.Secret, up.CreatedAt = "whsec_ignored", later // an update keeps the secret and the creation time
	got, err := s.UpdateInboundSource(ctx, up, later)
	want := up
	want.Fixed, want.Secret, want.CreatedAt, want.UpdatedAt = map[string]string{}, orig.Secret, T0, later
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateInboundSource = %+v, %v;\nwant %+v", got, err, want)
	}
	if read, err := s.GetInboundSource(ctx, "zendesk"); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("GetInboundSource after update = %+v, %v", read, err)
	}
	_, err = s.UpdateInboundSource(ctx, heed.InboundSource{Key: "nope"}, later)
	wantErr(t, "UpdateInboundSource of an unknown key", err, heed.ENotFound, "")
	_, err = s.UpdateInboundSource(ctx, heed.InboundSource{Key: "zendesk", System: "\x00"}, later)
	wantErr(t, "UpdateInboundSource with a NUL", err, heed.EInvalid, "system")

	// A new secret changes nothing else.
	evenLater := later.Add(time.Hour)
	rotated, err := s.SetInboundSecret(ctx, "zendesk", "whsec_bmV3", evenLater)
	want.Secret, want.UpdatedAt = "whsec_bmV3", evenLater
	if err != nil || !reflect.DeepEqual(rotated, want) {
		t.Errorf("SetInboundSecret = %+v, %v;\nwant %+v", rotated, err, want)
	}
	for _, key := range []string{"nope", "a\x00b"} {
		_, err = s.SetInboundSecret(ctx, key, "whsec_bmV3", later)
		wantErr(t, "SetInboundSecret of an unknown key", err, heed.ENotFound, "")
	}

	if err := s.DeleteInboundSource(ctx, "zendesk"); err != nil {
		t.Fatalf("DeleteInboundSource: %v", err)
	}
	_, err = s.GetInboundSource(ctx, "zendesk")
	wantErr(t, "GetInboundSource after delete", err, heed.ENotFound, "")
	for _, key := range []string{"zendesk", "a\x00b"} {
		wantErr(t, "DeleteInboundSource of an unknown key", s.DeleteInboundSource(ctx, key), heed.ENotFound, "")
	}
	// The key is free again.
	mustCreateInbound(t, s, fullInbound("zendesk"), later)
}

func testInboundOrder(t *testing.T, s heed.Store) {
	// By key in byte order, on PostgreSQL too, whatever the database's
	// collation: "-" before digits before "_" before letters.
	for _, key := range []string{"zen", "a_b", "a-c", "a1", "Zed"} {
		mustCreateInbound(t, s, heed.InboundSource{Key: key, Secret: "whsec_x"}, T0)
	}
	list, err := s.ListInboundSources(t.Context())
	var keys []string
	for _, src := range list {
		keys = append(keys, src.Key)
	}
	want := []string{"Zed", "a-c", "a1", "a_b", "zen"}
	if err != nil || !slices.Equal(keys, want) {
		t.Errorf("ListInboundSources = %v, %v; want %v", keys, err, want)
	}
}
