package storetest

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testRules is the contract of heed.RuleQueries: rules and response tags.
func testRules(t *testing.T, open Opener) {
	t.Run("defaults", func(t *testing.T) { testRuleDefaults(t, open(t)) })
	t.Run("round trip", func(t *testing.T) { testRuleRoundTrip(t, open(t)) })
	t.Run("update and delete", func(t *testing.T) { testRuleUpdate(t, open(t)) })
	t.Run("order", func(t *testing.T) { testRuleOrder(t, open(t)) })
	t.Run("tags", func(t *testing.T) { testResponseTags(t, open(t)) })
}

func ptr[T any](v T) *T { return &v }

// defaultRules are the rules every new database starts with.
func defaultRules() []heed.Rule {
	epoch := time.Unix(0, 0).UTC()
	empty := heed.RuleConditions{Surveys: []string{}, Words: []string{}, Segments: []string{}, Channels: []string{}}
	detractor, promoter := empty, empty
	detractor.Category, promoter.Category = "detractor", "promoter"
	return []heed.Rule{
		{Key: "detractor-case", Name: "Detractors open a case", Active: true, Position: 10, When: detractor,
			Then:      []heed.RuleAction{{Kind: heed.ActionOpenCase}, {Kind: heed.ActionNotifyOwner}},
			CreatedAt: epoch, UpdatedAt: epoch},
		{Key: "promoter-advocacy", Name: "Promoters are thanked and invited to review", Active: true, Position: 20,
			When: promoter, Then: []heed.RuleAction{{Kind: heed.ActionAdvocacy}}, CreatedAt: epoch, UpdatedAt: epoch},
	}
}

func testRuleDefaults(t *testing.T, s heed.Store) {
	got, err := s.ListRules(t.Context())
	want := defaultRules()
	if err != nil || len(got) != len(want) {
		t.Fatalf("ListRules on a new database = %+v, %v; want the %d default rules", got, err, len(want))
	}
	for i := range want {
		want[i].ID = got[i].ID
		if got[i].ID == 0 || !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("default rule %d =\n%+v\nwant\n%+v", i, got[i], want[i])
		}
	}
}

// fullRule sets every condition and action field, the bounds at zero
// (a pointer to 0 is a bound, not "no bound").
func fullRule(key string) heed.Rule {
	return heed.Rule{Key: key, Name: "Big <angry> & unhappy", Active: true, Position: 7,
		When: heed.RuleConditions{Surveys: []string{"visit", "call"}, Category: "detractor",
			MinScore: ptr(0), MaxScore: ptr(6), Words: []string{"refund", "café"}, Segments: []string{"gold"},
			MinValue: ptr(heed.Decimal(480005000)), Unit: "north", Channels: []string{"email", "api"}},
		Then: []heed.RuleAction{{Kind: heed.ActionOpenCase}, {Kind: heed.ActionNotifyOwner},
			{Kind: heed.ActionNotifyManagers, Levels: 2}, {Kind: heed.ActionWebhook, Webhook: 7},
			{Kind: heed.ActionTag, Tag: "angry"}, {Kind: heed.ActionAdvocacy, URL: "https://r.example/?a=1&b=<2>"}}}
}

func mustCreateRule(t *testing.T, s heed.Store, r heed.Rule, now time.Time) heed.Rule {
	t.Helper()
	out, err := s.CreateRule(t.Context(), r, now)
	if err != nil {
		t.Fatalf("CreateRule(%s): %v", r.Key, err)
	}
	return out
}

func testRuleRoundTrip(t *testing.T, s heed.Store) {
	ctx := t.Context()
	in := fullRule("angry")
	got := mustCreateRule(t, s, in, T0.Add(999*time.Nanosecond))
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0, T0
	for name, read := range map[string]func() (heed.Rule, error){
		"CreateRule": func() (heed.Rule, error) { return got, nil },
		"GetRule":    func() (heed.Rule, error) { return s.GetRule(ctx, "angry") },
	} {
		r, err := read()
		if err != nil || got.ID == 0 || !reflect.DeepEqual(r, want) {
			t.Errorf("%s = %+v, %v;\nwant %+v", name, r, err, want)
		}
	}
	wantTimes(t, "rule", got.CreatedAt, got.UpdatedAt, T0, T0)
	if list, err := s.ListRules(ctx); err != nil || len(list) != 3 || !reflect.DeepEqual(list[0], want) {
		t.Errorf("ListRules = %+v, %v; want angry (position 7) first of 3", list, err)
	}
	// A rule with nothing set reads back with empty lists and no bounds.
	bare := mustCreateRule(t, s, heed.Rule{Key: "bare"}, T0)
	b, _ := json.Marshal(bare)
	if bare.When.Surveys == nil || bare.When.Words == nil || bare.When.Segments == nil || bare.When.Channels == nil ||
		bare.Then == nil || bare.When.MinScore != nil || bare.When.MaxScore != nil || bare.When.MinValue != nil ||
		bare.Active {
		t.Errorf("bare rule = %s; want empty lists, no bounds, inactive", b)
	}

	bad := []struct {
		change      func(*heed.Rule)
		code        heed.Code
		field, what string
	}{
		{func(*heed.Rule) {}, heed.EConflict, "key", "a taken key"},
		{func(r *heed.Rule) { r.Key = "" }, heed.EInvalid, "key", "no key"},
		{func(r *heed.Rule) { r.Key = "a\x00b" }, heed.EInvalid, "key", "a NUL in the key"},
		{func(r *heed.Rule) { r.Name = "a\x00b" }, heed.EInvalid, "name", "a NUL in the name"},
		{func(r *heed.Rule) { r.When.Words = []string{"ok", "\xff"} }, heed.EInvalid, "when", "invalid UTF-8 in a word"},
		{func(r *heed.Rule) { r.When.Unit = "\x00" }, heed.EInvalid, "when", "a NUL in the unit"},
		{func(r *heed.Rule) { r.Then[4].Tag = "x\x00" }, heed.EInvalid, "then", "a NUL in a tag"},
		{func(r *heed.Rule) { r.When.MinValue = ptr(heed.Decimal(math.MaxInt64)) }, heed.EInvalid, "when",
			"a value Decimal cannot read back"},
	}
	for _, tt := range bad {
		r := fullRule("angry")
		tt.change(&r)
		_, err := s.CreateRule(ctx, r, T0)
		wantErr(t, "CreateRule with "+tt.what, err, tt.code, tt.field)
	}
	_, err := s.GetRule(ctx, "nope")
	wantErr(t, "GetRule of an unknown key", err, heed.ENotFound, "")
	if heed.ErrorMessage(err) != `no rule "nope"` {
		t.Errorf("GetRule of an unknown key: message %q", heed.ErrorMessage(err))
	}
	_, err = s.GetRule(ctx, "a\x00b")
	wantErr(t, "GetRule of a key no store can hold", err, heed.ENotFound, "")
}

func testRuleUpdate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	orig := mustCreateRule(t, s, fullRule("angry"), T0)
	later := T0.Add(time.Hour)
	up := orig
	up.Name, up.Active, up.Position = "Calmer", false, 30
	up.When = heed.RuleConditions{Category: "passive", MaxScore: ptr(8), MinValue: ptr(heed.Decimal(-12345))}
	up.Then, up.CreatedAt = nil, later // a caller's CreatedAt is ignored
	got, err := s.UpdateRule(ctx, up, later)
	want := up
	want.When.Surveys, want.When.Words, want.When.Segments, want.When.Channels = []string{}, []string{}, []string{}, []string{}
	want.Then, want.CreatedAt, want.UpdatedAt = []heed.RuleAction{}, T0, later
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateRule = %+v, %v;\nwant %+v", got, err, want)
	}
	if read, err := s.GetRule(ctx, "angry"); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("GetRule after update = %+v, %v", read, err)
	}
	_, err = s.UpdateRule(ctx, heed.Rule{Key: "nope"}, later)
	wantErr(t, "UpdateRule of an unknown key", err, heed.ENotFound, "")
	_, err = s.UpdateRule(ctx, heed.Rule{Key: "angry", Name: "\x00"}, later)
	wantErr(t, "UpdateRule with a NUL", err, heed.EInvalid, "name")

	if err := s.DeleteRule(ctx, "angry"); err != nil {
		t.Fatalf("DeleteRule: %v", err)
	}
	_, err = s.GetRule(ctx, "angry")
	wantErr(t, "GetRule after delete", err, heed.ENotFound, "")
	for _, key := range []string{"angry", "a\x00b"} {
		wantErr(t, "DeleteRule of an unknown key", s.DeleteRule(ctx, key), heed.ENotFound, "")
	}
	if list, _ := s.ListRules(ctx); len(list) != 2 {
		t.Errorf("rules after delete = %+v; want the 2 defaults", list)
	}
	// The key is free again.
	mustCreateRule(t, s, fullRule("angry"), later)
}

func testRuleOrder(t *testing.T, s heed.Store) {
	ctx := t.Context()
	// Ties on position go by key in byte order ("Zed" before "aa"), on
	// PostgreSQL too, whatever the database's collation.
	for _, r := range []struct {
		key string
		pos int
	}{{"aa", 10}, {"Zed", 10}, {"first", -5}, {"b", 20}, {"last", 99}} {
		mustCreateRule(t, s, heed.Rule{Key: r.key, Position: r.pos}, T0)
	}
	list, err := s.ListRules(ctx)
	var keys []string
	for _, r := range list {
		keys = append(keys, r.Key)
	}
	want := []string{"first", "Zed", "aa", "detractor-case", "b", "promoter-advocacy", "last"}
	if err != nil || !slices.Equal(keys, want) {
		t.Errorf("ListRules = %v, %v; want %v", keys, err, want)
	}
}

func testResponseTags(t *testing.T, s heed.Store) {
	ctx := t.Context()
	sv := mustCreateSurvey(t, s, heed.Survey{Key: "v", Kind: heed.SurveyNPS, Name: "V"})
	r1 := mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, Channel: heed.ChannelAPI, Score: 2}, T0)
	r2 := mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, Channel: heed.ChannelAPI, Score: 9}, T0)
	for _, tag := range []string{"vip", "angry", "vip", "Angry", "café"} {
		if err := s.TagResponse(ctx, r1.ID, tag, T0); err != nil {
			t.Fatalf("TagResponse(%s): %v", tag, err)
		}
	}
	if tags, err := s.ListResponseTags(ctx, r1.ID); err != nil || !slices.Equal(tags, []string{"Angry", "angry", "café", "vip"}) {
		t.Errorf("ListResponseTags = %q, %v; want each tag once, in byte order", tags, err)
	}
	if tags, err := s.ListResponseTags(ctx, r2.ID); err != nil || tags == nil || len(tags) != 0 {
		t.Errorf("ListResponseTags of an untagged response = %#v, %v; want an empty list", tags, err)
	}
	wantErr(t, "TagResponse with no tag", s.TagResponse(ctx, r1.ID, "", T0), heed.EInvalid, "tag")
	wantErr(t, "TagResponse with a NUL", s.TagResponse(ctx, r1.ID, "a\x00", T0), heed.EInvalid, "tag")
	wantErr(t, "TagResponse of an unknown response", s.TagResponse(ctx, r2.ID+100, "x", T0), heed.ENotFound, "")
}

// testWebhooks is the contract of heed.WebhookQueries: webhooks, their
// deliveries and their sending locks.
func testWebhooks(t *testing.T, open Opener) {
	t.Run("crud", func(t *testing.T) { testWebhookCRUD(t, open(t)) })
	t.Run("deliveries", func(t *testing.T) { testDeliveries(t, open(t)) })
	t.Run("list deliveries", func(t *testing.T) { testListDeliveries(t, open(t)) })
	t.Run("lock", func(t *testing.T) { testWebhookLock(t, open(t)) })
	t.Run("lock concurrently", func(t *testing.T) { testWebhookLockConcurrently(t, open(t)) })
}

func fullWebhook() heed.Webhook {
	return heed.Webhook{URL: "https://hooks.example/in?x=1&y=<2>", Events: []string{heed.EventCaseOpened, heed.EventCaseClosed},
		Format: heed.FormatSlack, Active: true, Secret: "whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", Description: "Ops channel"}
}

func mustCreateWebhook(t *testing.T, s heed.Store, w heed.Webhook) heed.Webhook {
	t.Helper()
	out, err := s.CreateWebhook(t.Context(), w, T0)
	if err != nil {
		t.Fatalf("CreateWebhook: %v", err)
	}
	return out
}

func testWebhookCRUD(t *testing.T, s heed.Store) {
	ctx := t.Context()
	in := fullWebhook()
	got, err := s.CreateWebhook(ctx, in, T0.Add(999*time.Nanosecond))
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0, T0
	if err != nil || got.ID == 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("CreateWebhook = %+v, %v;\nwant %+v", got, err, want)
	}
	bare := mustCreateWebhook(t, s, heed.Webhook{URL: "https://b.example", Format: heed.FormatStandard, Secret: "s"})
	if bare.Events == nil || len(bare.Events) != 0 || bare.Active {
		t.Errorf("bare webhook = %+v; want no events (an empty list), inactive", bare)
	}
	if w, err := s.GetWebhook(ctx, got.ID); err != nil || !reflect.DeepEqual(w, want) {
		t.Errorf("GetWebhook = %+v, %v;\nwant %+v", w, err, want)
	}
	if list, err := s.ListWebhooks(ctx); err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], want) ||
		list[1].ID != bare.ID {
		t.Errorf("ListWebhooks = %+v, %v; want both, oldest first", list, err)
	}

	// An update changes everything but the secret and the lock.
	if ok, err := s.LockWebhook(ctx, got.ID, "sender-a", T0.Add(time.Hour), T0); !ok || err != nil {
		t.Fatalf("LockWebhook = %v, %v", ok, err)
	}
	later := T0.Add(time.Minute)
	up := heed.Webhook{ID: got.ID, URL: "https://hooks.example/v2", Events: nil, Format: heed.FormatStandard,
		Active: false, Secret: "whsec_other", Description: ""}
	updated, err := s.UpdateWebhook(ctx, up, later)
	want = up
	want.Events, want.Secret, want.CreatedAt, want.UpdatedAt = []string{}, in.Secret, T0, later
	if err != nil || !reflect.DeepEqual(updated, want) {
		t.Errorf("UpdateWebhook = %+v, %v;\nwant %+v", updated, err, want)
	}
	if w, err := s.GetWebhook(ctx, got.ID); err != nil || !reflect.DeepEqual(w, want) {
		t.Errorf("GetWebhook after update = %+v, %v", w, err)
	}
	if ok, err := s.LockWebhook(ctx, got.ID, "sender-b", T0.Add(time.Hour), later); ok || err != nil {
		t.Errorf("LockWebhook by another after an update = %v, %v; want still held", ok, err)
	}
	_, err = s.UpdateWebhook(ctx, heed.Webhook{ID: got.ID + 100, URL: "x"}, later)
	wantErr(t, "UpdateWebhook of an unknown id", err, heed.ENotFound, "")
	_, err = s.CreateWebhook(ctx, heed.Webhook{URL: "https://a.example/\x00"}, T0)
	wantErr(t, "CreateWebhook with a NUL", err, heed.EInvalid, "url")
	_, err = s.UpdateWebhook(ctx, heed.Webhook{ID: got.ID, Events: []string{"\xff"}}, T0)
	wantErr(t, "UpdateWebhook with invalid UTF-8", err, heed.EInvalid, "events")

	// Deleting a webhook deletes its deliveries, and only its.
	d := mustCreateDelivery(t, s, heed.WebhookDelivery{WebhookID: got.ID, MessageID: "msg_1", Event: heed.EventCaseOpened}, T0)
	other := mustCreateDelivery(t, s, heed.WebhookDelivery{WebhookID: bare.ID, MessageID: "msg_2", Event: heed.EventCaseOpened}, T0)
	if err := s.DeleteWebhook(ctx, got.ID); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
	_, err = s.GetWebhook(ctx, got.ID)
	wantErr(t, "GetWebhook after delete", err, heed.ENotFound, "")
	if heed.ErrorMessage(err) != fmt.Sprintf("no webhook with id %d", got.ID) {
		t.Errorf("GetWebhook after delete: message %q", heed.ErrorMessage(err))
	}
	_, err = s.GetDelivery(ctx, d.ID)
	wantErr(t, "GetDelivery of a deleted webhook's delivery", err, heed.ENotFound, "")
	if _, err := s.GetDelivery(ctx, other.ID); err != nil {
		t.Errorf("GetDelivery of another webhook's delivery: %v", err)
	}
	wantErr(t, "DeleteWebhook again", s.DeleteWebhook(ctx, got.ID), heed.ENotFound, "")
	if list, err := s.ListWebhooks(ctx); err != nil || len(list) != 1 {
		t.Errorf("ListWebhooks after delete = %+v, %v", list, err)
	}
}

func mustCreateDelivery(t *testing.T, s heed.Store, d heed.WebhookDelivery, now time.Time) heed.WebhookDelivery {
	t.Helper()
	out, err := s.CreateDelivery(t.Context(), d, now)
	if err != nil {
		t.Fatalf("CreateDelivery(%s): %v", d.MessageID, err)
	}
	return out
}

// wantDelivery checks the delivery stored under id is want.
func wantDelivery(t *testing.T, s heed.Store, what string, want heed.WebhookDelivery) {
	t.Helper()
	got, err := s.GetDelivery(t.Context(), want.ID)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("%s: delivery =\n%+v, %v\nwant\n%+v", what, got, err, want)
	}
}

// wantNext checks the webhook's first pending delivery is the one with
// id (0: none): PendingDeliveries starts with it, or is empty, and lists
// pending deliveries only, in ID order; asked for one, it gives that one.
func wantNext(t *testing.T, s heed.Store, what string, webhook, id int64) {
	t.Helper()
	ds, err := s.PendingDeliveries(t.Context(), webhook, 100)
	switch {
	case err != nil || ds == nil:
		t.Errorf("%s: PendingDeliveries = %v, %v", what, ds, err)
	case id == 0 && len(ds) != 0, id != 0 && (len(ds) == 0 || ds[0].ID != id):
		t.Errorf("%s: PendingDeliveries starts %v; want %d first (0: none)", what, ds, id)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i].ID <= ds[i-1].ID || ds[i].State != heed.DeliveryPending {
			t.Errorf("%s: PendingDeliveries not pending in ID order: %v", what, ds)
		}
	}
	one, err := s.PendingDeliveries(t.Context(), webhook, 1)
	if err != nil || id == 0 && len(one) != 0 || id != 0 && (len(one) != 1 || one[0].ID != id) {
		t.Errorf("%s: PendingDeliveries(1) = %v, %v; want just %d (0: none)", what, one, err, id)
	}
}

func testDeliveries(t *testing.T, s heed.Store) {
	ctx := t.Context()
	w := mustCreateWebhook(t, s, fullWebhook())
	now := T0.Add(999 * time.Nanosecond)
	d1 := mustCreateDelivery(t, s, heed.WebhookDelivery{WebhookID: w.ID, MessageID: "msg_1", Event: heed.EventCaseOpened,
		Payload: json.RawMessage(` {"type": "case.opened", "data": {"id": 42, "note": "<&>"}} `),
		State:   heed.DeliveryDelivered, Attempts: 9, LastStatus: 500}, now) // state and counts a caller gives are ignored
	want1 := heed.WebhookDelivery{ID: d1.ID, WebhookID: w.ID, MessageID: "msg_1", Event: heed.EventCaseOpened,
		Payload: json.RawMessage(`{"type":"case.opened","data":{"id":42,"note":"<&>"}}`), State: heed.DeliveryPending,
		NextAt: T0, CreatedAt: T0, UpdatedAt: T0}
	if !reflect.DeepEqual(d1, want1) {
		t.Errorf("CreateDelivery =\n%+v\nwant\n%+v", d1, want1)
	}
	wantDelivery(t, s, "created", want1)
	d2 := mustCreateDelivery(t, s, heed.WebhookDelivery{WebhookID: w.ID, MessageID: "msg_2", Event: heed.EventCaseClosed,
		CaseID: 42, NextAt: T0.Add(time.Hour)}, T0)
	if d2.CaseID != 42 || !d2.NextAt.Equal(T0.Add(time.Hour)) || string(d2.Payload) != `{}` {
		t.Errorf("CreateDelivery with a case and a time = %+v; want case 42, due in an hour, payload {}", d2)
	}

	// The oldest pending delivery goes first, due or not, until delivered.
	wantNext(t, s, "new", w.ID, d1.ID)
	t1 := T0.Add(time.Minute)
	if err := s.RecordDelivery(ctx, d1.ID, heed.DeliveryResult{State: heed.DeliveryPending, Status: 503,
		Error: "service unavailable", NextAt: T0.Add(5 * time.Minute)}, t1); err != nil {
		t.Fatalf("RecordDelivery: %v", err)
	}
	want1.Attempts, want1.LastStatus, want1.LastError = 1, 503, "service unavailable"
	want1.NextAt, want1.UpdatedAt = T0.Add(5*time.Minute), t1
	wantDelivery(t, s, "after a failed attempt", want1)
	wantNext(t, s, "after a failed attempt", w.ID, d1.ID)

	t2 := T0.Add(6 * time.Minute)
	if err := s.RecordDelivery(ctx, d1.ID, heed.DeliveryResult{State: heed.DeliveryDelivered, Status: 204}, t2); err != nil {
		t.Fatalf("RecordDelivery: %v", err)
	}
	want1.State, want1.Attempts, want1.LastStatus, want1.LastError = heed.DeliveryDelivered, 2, 204, ""
	want1.DeliveredAt, want1.UpdatedAt = &t2, t2
	wantDelivery(t, s, "after delivery", want1)
	wantNext(t, s, "after the first was delivered", w.ID, d2.ID)

	if err := s.RecordDelivery(ctx, d2.ID, heed.DeliveryResult{State: heed.DeliveryGivenUp, Error: "timeout"}, t2); err != nil {
		t.Fatalf("RecordDelivery: %v", err)
	}
	want2 := d2
	want2.State, want2.Attempts, want2.LastError, want2.UpdatedAt = heed.DeliveryGivenUp, 1, "timeout", t2
	wantDelivery(t, s, "given up", want2)
	wantNext(t, s, "all done", w.ID, 0)

	// Redelivery starts again from scratch, delivered or given up.
	t3 := T0.Add(2 * time.Hour)
	for _, id := range []int64{d2.ID, d1.ID} {
		if err := s.RedeliverDelivery(ctx, id, t3); err != nil {
			t.Fatalf("RedeliverDelivery(%d): %v", id, err)
		}
	}
	want2.State, want2.Attempts, want2.NextAt, want2.UpdatedAt = heed.DeliveryPending, 0, t3, t3
	wantDelivery(t, s, "given up and redelivered", want2)
	want1.State, want1.Attempts, want1.NextAt, want1.DeliveredAt, want1.UpdatedAt = heed.DeliveryPending, 0, t3, nil, t3
	wantDelivery(t, s, "delivered and redelivered", want1)
	wantNext(t, s, "redelivered", w.ID, d1.ID)

	// Asking for no deliveries, or fewer, is a mistake, not an empty list.
	for _, n := range []int{0, -1} {
		_, err := s.PendingDeliveries(ctx, w.ID, n)
		wantErr(t, fmt.Sprintf("PendingDeliveries(%d)", n), err, heed.EInvalid, "n")
	}

	// A pending result with no time is due at once.
	if err := s.RecordDelivery(ctx, d1.ID, heed.DeliveryResult{State: heed.DeliveryPending, Status: 500}, t3); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.GetDelivery(ctx, d1.ID); !d.NextAt.Equal(t3) {
		t.Errorf("next attempt at %v; want now, %v", d.NextAt, t3)
	}

	missing := d2.ID + 100
	wantErr(t, "RecordDelivery of an unknown id", s.RecordDelivery(ctx, missing,
		heed.DeliveryResult{State: heed.DeliveryDelivered}, t3), heed.ENotFound, "")
	wantErr(t, "RecordDelivery of an unknown state", s.RecordDelivery(ctx, d1.ID,
		heed.DeliveryResult{State: "lost"}, t3), heed.EInvalid, "state")
	wantErr(t, "RedeliverDelivery of an unknown id", s.RedeliverDelivery(ctx, missing, t3), heed.ENotFound, "")
	_, err := s.GetDelivery(ctx, missing)
	wantErr(t, "GetDelivery of an unknown id", err, heed.ENotFound, "")
	_, err = s.CreateDelivery(ctx, heed.WebhookDelivery{WebhookID: w.ID + 100, MessageID: "m"}, T0)
	wantErr(t, "CreateDelivery for an unknown webhook", err, heed.ENotFound, "")
	_, err = s.CreateDelivery(ctx, heed.WebhookDelivery{WebhookID: w.ID, MessageID: "m", Payload: json.RawMessage(`{`)}, T0)
	wantErr(t, "CreateDelivery with a broken payload", err, heed.EInvalid, "payload")
	wantNext(t, s, "another webhook", w.ID+100, 0)
}

func testListDeliveries(t *testing.T, s heed.Store) {
	ctx := t.Context()
	a := mustCreateWebhook(t, s, fullWebhook())
	b := mustCreateWebhook(t, s, fullWebhook())
	// a: 0 1 2 3 4, b: 5 6; cases 7 on 1, 3 and 6; 2 and 5 given up.
	var ids []int64
	for i := range 7 {
		d := heed.WebhookDelivery{WebhookID: a.ID, MessageID: fmt.Sprintf("msg_%d", i), Event: heed.EventCaseUpdated}
		if i >= 5 {
			d.WebhookID = b.ID
		}
		if i == 1 || i == 3 || i == 6 {
			d.CaseID = 7
		}
		ids = append(ids, mustCreateDelivery(t, s, d, T0.Add(time.Duration(i)*time.Second)).ID)
	}
	for _, i := range []int{2, 5} {
		if err := s.RecordDelivery(ctx, ids[i], heed.DeliveryResult{State: heed.DeliveryGivenUp}, T0); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, ids[i])
		}
		return out
	}
	tests := []struct {
		f    heed.DeliveryFilter
		want []int64
	}{
		{heed.DeliveryFilter{}, pick(6, 5, 4, 3, 2, 1, 0)},
		{heed.DeliveryFilter{WebhookID: a.ID}, pick(4, 3, 2, 1, 0)},
		{heed.DeliveryFilter{State: heed.DeliveryGivenUp}, pick(5, 2)},
		{heed.DeliveryFilter{WebhookID: a.ID, State: heed.DeliveryPending}, pick(4, 3, 1, 0)},
		{heed.DeliveryFilter{CaseID: 7}, pick(6, 3, 1)},
		{heed.DeliveryFilter{CaseID: 7, WebhookID: a.ID}, pick(3, 1)},
		{heed.DeliveryFilter{Limit: 2}, pick(6, 5)},
		{heed.DeliveryFilter{Limit: 2, BeforeID: ids[5]}, pick(4, 3)},
		{heed.DeliveryFilter{WebhookID: a.ID, BeforeID: ids[1]}, pick(0)},
		{heed.DeliveryFilter{CaseID: 8}, []int64{}},
	}
	for _, tt := range tests {
		list, err := s.ListDeliveries(ctx, tt.f)
		got := []int64{}
		for _, d := range list {
			got = append(got, d.ID)
		}
		if err != nil || list == nil || !slices.Equal(got, tt.want) {
			t.Errorf("ListDeliveries(%+v) = %v (nil: %v), %v; want %v", tt.f, got, list == nil, err, tt.want)
		}
	}
	_, err := s.ListDeliveries(ctx, heed.DeliveryFilter{Limit: -1})
	wantErr(t, "ListDeliveries with a negative limit", err, heed.EInvalid, "limit")
	_, err = s.ListDeliveries(ctx, heed.DeliveryFilter{State: "lost"})
	wantErr(t, "ListDeliveries of an unknown state", err, heed.EInvalid, "state")
}

func testWebhookLock(t *testing.T, s heed.Store) {
	ctx := t.Context()
	w := mustCreateWebhook(t, s, fullWebhook())
	other := mustCreateWebhook(t, s, fullWebhook())
	lock := func(id int64, owner string, until, now time.Duration) bool {
		t.Helper()
		ok, err := s.LockWebhook(ctx, id, owner, T0.Add(until), T0.Add(now))
		if err != nil {
			t.Fatalf("LockWebhook(%d, %s): %v", id, owner, err)
		}
		return ok
	}
	steps := []struct {
		what       string
		id         int64
		owner      string
		until, now time.Duration
		want       bool
	}{
		{"a free lock", w.ID, "a", time.Minute, 0, true},
		{"a lock held by another", w.ID, "b", 2 * time.Minute, 30 * time.Second, false},
		{"another webhook's lock", other.ID, "b", time.Minute, 30 * time.Second, true},
		{"one's own lock, extended", w.ID, "a", 2 * time.Minute, 30 * time.Second, true},
		{"a lock held until later", w.ID, "b", 3 * time.Minute, 90 * time.Second, false},
		{"a lock at its very end", w.ID, "b", 3 * time.Minute, 2 * time.Minute, false},
		{"an expired lock", w.ID, "b", 3 * time.Minute, 2*time.Minute + time.Microsecond, true},
		{"a lock taken over", w.ID, "a", 4 * time.Minute, 2*time.Minute + time.Second, false},
	}
	for _, st := range steps {
		if got := lock(st.id, st.owner, st.until, st.now); got != st.want {
			t.Errorf("LockWebhook: %s (owner %s): got %v; want %v", st.what, st.owner, got, st.want)
		}
	}
	// Unlocking by someone who does not hold the lock changes nothing.
	if err := s.UnlockWebhook(ctx, w.ID, "a"); err != nil {
		t.Fatalf("UnlockWebhook by a non-holder: %v", err)
	}
	if lock(w.ID, "a", 4*time.Minute, 2*time.Minute+time.Second) {
		t.Error("LockWebhook after a non-holder unlocked: got the lock; want still b's")
	}
	if err := s.UnlockWebhook(ctx, w.ID, "b"); err != nil {
		t.Fatalf("UnlockWebhook: %v", err)
	}
	if !lock(w.ID, "a", 4*time.Minute, 2*time.Minute+time.Second) {
		t.Error("LockWebhook after unlock: refused; want the lock")
	}
	missing := other.ID + 100
	_, err := s.LockWebhook(ctx, missing, "a", T0.Add(time.Minute), T0)
	wantErr(t, "LockWebhook of an unknown webhook", err, heed.ENotFound, "")
	wantErr(t, "UnlockWebhook of an unknown webhook", s.UnlockWebhook(ctx, missing, "a"), heed.ENotFound, "")
	_, err = s.LockWebhook(ctx, w.ID, "", T0.Add(time.Minute), T0)
	wantErr(t, "LockWebhook for no one", err, heed.EInvalid, "owner")
	if err := s.UnlockWebhook(ctx, w.ID, "x\x00"); err != nil {
		t.Errorf("UnlockWebhook by an owner no store can hold: %v; want nothing done", err)
	}
}

// testWebhookLockConcurrently races senders for one lock at one instant,
// as processes sharing a PostgreSQL database do: exactly one must win.
func testWebhookLockConcurrently(t *testing.T, s heed.Store) {
	ctx := t.Context()
	const rounds, senders = 5, 12
	for round := range rounds {
		w := mustCreateWebhook(t, s, fullWebhook())
		start := make(chan struct{})
		var mu sync.Mutex
		var winners []string
		var wg sync.WaitGroup
		for i := range senders {
			owner := fmt.Sprintf("sender-%d", i)
			wg.Go(func() {
				<-start
				ok, err := s.LockWebhook(ctx, w.ID, owner, T0.Add(time.Minute), T0)
				if err != nil {
					t.Errorf("LockWebhook(%s): %v", owner, err)
				}
				if ok {
					mu.Lock()
					winners = append(winners, owner)
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
		if len(winners) != 1 {
			t.Errorf("round %d: %d senders got the lock (%v); want exactly one", round, len(winners), winners)
		}
	}
}
