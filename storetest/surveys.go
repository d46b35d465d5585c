package storetest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testSurveys holds surveys, programs, reward codes, invitations and
// responses (see testResponses) to the contract.
func testSurveys(t *testing.T, open Opener) {
	t.Run("survey round trip", func(t *testing.T) { testSurveyRoundTrip(t, open(t)) })
	t.Run("survey update", func(t *testing.T) { testSurveyUpdate(t, open(t)) })
	t.Run("programs", func(t *testing.T) { testPrograms(t, open(t)) })
	t.Run("reward codes", func(t *testing.T) { testRewardCodes(t, open(t)) })
	t.Run("reward codes concurrently", func(t *testing.T) { testRewardCodesConcurrently(t, open(t)) })
	t.Run("invitations", func(t *testing.T) { testInvitations(t, open(t)) })
	t.Run("invitation scope", func(t *testing.T) { testInvitationScope(t, open(t)) })
	t.Run("sample candidates", func(t *testing.T) { testSampleCandidates(t, open(t)) })
	testResponses(t, open)
}

// fullSurvey sets every field a caller can set.
func fullSurvey(key string) heed.Survey {
	return heed.Survey{Key: key, Kind: heed.SurveyNPS, Name: "Store visit", Language: "en",
		Texts: map[string]heed.SurveyText{
			"en": {Title: "How was it?", Score: "Recommend us?", Low: "Never", High: "Surely", Reason: "Why?",
				Submit: "Send", Thanks: "Thanks <b>&</b>!", Subject: "Tell us", Intro: "Hi", Reminder: "Again",
				RewardTxt: "Your code", Questions: map[string]map[string]string{"visit": {"label": "Why come?", "buy": "To buy"}}},
			"nl": {Title: "Hoe was het?"},
		},
		Questions: []heed.Question{{ID: "visit", Type: heed.QuestionSingle, Required: true, Options: []string{"buy", "look"}},
			{ID: "note", Type: heed.QuestionText}},
		Hidden: []string{"order"}, Origins: []string{"https://shop.example"}, OpenLink: true, Reward: true}
}

func mustCreateSurvey(t *testing.T, s heed.Store, sv heed.Survey) heed.Survey {
	t.Helper()
	out, err := s.CreateSurvey(t.Context(), sv, T0)
	if err != nil {
		t.Fatalf("CreateSurvey(%s): %v", sv.Key, err)
	}
	return out
}

func testSurveyRoundTrip(t *testing.T, s heed.Store) {
	ctx := t.Context()
	in := fullSurvey("visit")
	// Stores keep microseconds: the nanoseconds of now are dropped.
	got, err := s.CreateSurvey(ctx, in, T0.Add(999*time.Nanosecond))
	if err != nil {
		t.Fatalf("CreateSurvey: %v", err)
	}
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0, T0
	wantTimes(t, "survey", got.CreatedAt, got.UpdatedAt, T0, T0)
	for name, read := range map[string]func() (heed.Survey, error){
		"CreateSurvey":  func() (heed.Survey, error) { return got, nil },
		"GetSurvey":     func() (heed.Survey, error) { return s.GetSurvey(ctx, "visit") },
		"GetSurveyByID": func() (heed.Survey, error) { return s.GetSurveyByID(ctx, got.ID) },
	} {
		sv, err := read()
		if err != nil || got.ID == 0 || !reflect.DeepEqual(sv, want) {
			t.Errorf("%s = %+v, %v;\nwant %+v", name, sv, err, want)
		}
	}

	// A survey with nothing set reads back with empty lists, not null.
	bare := mustCreateSurvey(t, s, heed.Survey{Key: "bare", Kind: heed.SurveyCES, Name: "Bare"})
	b, _ := json.Marshal(bare)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"texts", "questions", "hidden", "origins"} {
		if v := m[k]; v == nil || fmt.Sprint(v) != "map[]" && fmt.Sprint(v) != "[]" {
			t.Errorf("bare survey %s = %v in %s; want empty, not null", k, v, b)
		}
	}
	list, err := s.ListSurveys(ctx)
	if err != nil || len(list) != 2 || list[0].Key != "bare" || !reflect.DeepEqual(list[1], want) {
		t.Errorf("ListSurveys = %+v, %v; want bare then visit", list, err)
	}

	bad := []struct {
		sv          heed.Survey
		code        heed.Code
		field, what string
	}{
		{fullSurvey("visit"), heed.EConflict, "key", "a taken key"},
		{heed.Survey{Kind: heed.SurveyNPS}, heed.EInvalid, "key", "no key"},
		{heed.Survey{Key: "x", Kind: "stars"}, heed.EInvalid, "kind", "an unknown kind"},
	}
	for _, tt := range bad {
		_, err := s.CreateSurvey(ctx, tt.sv, T0)
		wantErr(t, "CreateSurvey with "+tt.what, err, tt.code, tt.field)
	}
	for _, err := range []error{
		func() error { _, err := s.GetSurvey(ctx, "nope"); return err }(),
		func() error { _, err := s.GetSurveyByID(ctx, got.ID+100); return err }(),
		// A key no store can hold (PostgreSQL refuses NUL in text) names
		// no survey either: a public link with %00 in it is a 404.
		func() error { _, err := s.GetSurvey(ctx, "a\x00b"); return err }(),
		func() error { _, err := s.GetCustomer(ctx, heed.Scope{All: true}, "c\x00"); return err }(),
	} {
		wantErr(t, "reading an unknown survey", err, heed.ENotFound, "")
	}
}

func testSurveyUpdate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	orig := mustCreateSurvey(t, s, fullSurvey("visit"))
	later := T0.Add(time.Hour)
	changed := orig
	changed.Name, changed.Kind = "Renamed", "" // "" keeps the kind
	changed.Texts = map[string]heed.SurveyText{"fr": {Title: "Alors?"}}
	changed.Questions, changed.Origins, changed.OpenLink = nil, []string{"https://a.example", "https://b.example"}, false
	got, err := s.UpdateSurvey(ctx, changed, later)
	want := changed
	want.Kind, want.Questions, want.UpdatedAt = heed.SurveyNPS, []heed.Question{}, later
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateSurvey = %+v, %v;\nwant %+v", got, err, want)
	}
	if read, err := s.GetSurvey(ctx, "visit"); err != nil || !reflect.DeepEqual(read, want) {
		t.Errorf("GetSurvey after update = %+v, %v", read, err)
	}
	changed.Kind = heed.SurveyCSAT
	_, err = s.UpdateSurvey(ctx, changed, later)
	wantErr(t, "UpdateSurvey changing the kind", err, heed.EInvalid, "kind")
	_, err = s.UpdateSurvey(ctx, heed.Survey{Key: "nope", Kind: heed.SurveyNPS}, later)
	wantErr(t, "UpdateSurvey of an unknown key", err, heed.ENotFound, "")
	if read, _ := s.GetSurvey(ctx, "visit"); read.Kind != heed.SurveyNPS {
		t.Errorf("kind after a refused change = %s", read.Kind)
	}
}

// fullProgram sets every field a caller can set.
func fullProgram(key, survey string) heed.Program {
	return heed.Program{Key: key, Name: "Quarterly", Survey: survey, Channel: "email", Active: true,
		Units: []string{"north", "s1"}, Segments: []string{"gold"}, Attributes: map[string]string{"tier": "a"},
		Target: 120, Period: "quarter", Margin: 7.5, ProgramDays: 183, GlobalDays: 30, ReminderDays: -1,
		ExpiryDays: 14, Seed: 42}
}

func mustCreateProgram(t *testing.T, s heed.Store, p heed.Program) heed.Program {
	t.Helper()
	out, err := s.CreateProgram(t.Context(), p, T0)
	if err != nil {
		t.Fatalf("CreateProgram(%s): %v", p.Key, err)
	}
	return out
}

func testPrograms(t *testing.T, s heed.Store) {
	ctx := t.Context()
	mustCreateSurvey(t, s, fullSurvey("visit"))
	mustCreateSurvey(t, s, heed.Survey{Key: "other", Kind: heed.SurveyCSAT})
	in := fullProgram("q", "visit")
	got := mustCreateProgram(t, s, in)
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0, T0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CreateProgram = %+v;\nwant %+v", got, want)
	}
	for name, read := range map[string]func() (heed.Program, error){
		"GetProgram":     func() (heed.Program, error) { return s.GetProgram(ctx, "q") },
		"GetProgramByID": func() (heed.Program, error) { return s.GetProgramByID(ctx, got.ID) },
	} {
		if p, err := read(); err != nil || !reflect.DeepEqual(p, want) {
			t.Errorf("%s = %+v, %v", name, p, err)
		}
	}
	bare := mustCreateProgram(t, s, heed.Program{Key: "a-bare", Survey: "other"})
	if bare.Units == nil || bare.Segments == nil || bare.Attributes == nil || bare.Active || bare.LastRunAt != nil {
		t.Errorf("bare program = %+v; want empty lists and map, inactive, never run", bare)
	}
	if list, err := s.ListPrograms(ctx); err != nil || len(list) != 2 || list[0].Key != "a-bare" || list[1].Key != "q" {
		t.Errorf("ListPrograms = %+v, %v; want a-bare, q", list, err)
	}

	_, err := s.CreateProgram(ctx, in, T0)
	wantErr(t, "CreateProgram with a taken key", err, heed.EConflict, "key")
	_, err = s.CreateProgram(ctx, fullProgram("z", "nope"), T0)
	wantErr(t, "CreateProgram of an unknown survey", err, heed.ENotFound, "survey")
	_, err = s.CreateProgram(ctx, heed.Program{Survey: "visit"}, T0)
	wantErr(t, "CreateProgram without a key", err, heed.EInvalid, "key")

	up := got
	up.Name, up.Survey, up.Active, up.Units, up.Margin = "Renamed", "other", false, nil, 0
	later := T0.Add(time.Hour)
	updated, err := s.UpdateProgram(ctx, up, later)
	want = up
	want.Units, want.UpdatedAt = []string{}, later
	if err != nil || !reflect.DeepEqual(updated, want) {
		t.Errorf("UpdateProgram = %+v, %v;\nwant %+v", updated, err, want)
	}
	up.Survey = "nope"
	_, err = s.UpdateProgram(ctx, up, later)
	wantErr(t, "UpdateProgram to an unknown survey", err, heed.ENotFound, "survey")
	_, err = s.UpdateProgram(ctx, fullProgram("nope", "visit"), later)
	wantErr(t, "UpdateProgram of an unknown key", err, heed.ENotFound, "")

	ran := T0.Add(2 * time.Hour)
	if err := s.MarkProgramRun(ctx, got.ID, ran); err != nil {
		t.Fatalf("MarkProgramRun: %v", err)
	}
	if p, err := s.GetProgram(ctx, "q"); err != nil || p.LastRunAt == nil || !p.LastRunAt.Equal(ran) || !p.UpdatedAt.Equal(later) {
		t.Errorf("after MarkProgramRun: %+v, %v; want last run %v, updated_at kept", p, err, ran)
	}
	wantErr(t, "MarkProgramRun of an unknown id", s.MarkProgramRun(ctx, got.ID+100, ran), heed.ENotFound, "")
	_, err = s.GetProgramByID(ctx, got.ID+100)
	wantErr(t, "GetProgramByID of an unknown id", err, heed.ENotFound, "")
}

func testRewardCodes(t *testing.T, s heed.Store) {
	ctx := t.Context()
	a, b := mustCreateSurvey(t, s, fullSurvey("a")), mustCreateSurvey(t, s, fullSurvey("b"))
	add := func(sv heed.Survey, want int, codes ...string) {
		t.Helper()
		if n, err := s.AddRewardCodes(ctx, sv.ID, codes, T0); err != nil || n != want {
			t.Errorf("AddRewardCodes(%s, %v) = %d, %v; want %d", sv.Key, codes, n, err, want)
		}
	}
	add(a, 3, "A1", "A2", "A3", "A1")
	add(a, 1, "A2", "A4")
	add(b, 2, "A1", "B1") // pools are per survey
	counts := func(sv heed.Survey, total, left int) {
		t.Helper()
		if n, l, err := s.CountRewardCodes(ctx, sv.ID); err != nil || n != total || l != left {
			t.Errorf("CountRewardCodes(%s) = %d, %d, %v; want %d, %d", sv.Key, n, l, err, total, left)
		}
	}
	counts(a, 4, 4)
	take := func(sv heed.Survey, resp int64, want string) {
		t.Helper()
		if code, err := s.TakeRewardCode(ctx, sv.ID, resp, T0); err != nil || code != want {
			t.Errorf("TakeRewardCode(%s, %d) = %q, %v; want %q", sv.Key, resp, code, err, want)
		}
	}
	take(a, 101, "A1") // the oldest first
	take(a, 102, "A2")
	take(a, 101, "A1") // the response keeps its code
	take(b, 201, "A1")
	counts(a, 4, 2)
	counts(b, 2, 1)
	take(a, 103, "A3")
	take(a, 104, "A4")
	_, err := s.TakeRewardCode(ctx, a.ID, 105, T0)
	wantErr(t, "TakeRewardCode from an empty pool", err, heed.ENotFound, "")
	take(a, 102, "A2")
	_, err = s.AddRewardCodes(ctx, a.ID+b.ID+100, []string{"X"}, T0)
	wantErr(t, "AddRewardCodes to an unknown survey", err, heed.ENotFound, "")
	_, err = s.AddRewardCodes(ctx, a.ID, []string{"ok", " "}, T0)
	wantErr(t, "AddRewardCodes with a blank code", err, heed.EInvalid, "codes")
	counts(a, 4, 0)
}

// testRewardCodesConcurrently has two goroutines take codes from one
// pool at once through the one store: every code is given once.
func testRewardCodesConcurrently(t *testing.T, s heed.Store) {
	ctx := t.Context()
	sv := mustCreateSurvey(t, s, fullSurvey("a"))
	const n = 40
	codes := make([]string, n)
	for i := range codes {
		codes[i] = fmt.Sprintf("C%02d", i)
	}
	if _, err := s.AddRewardCodes(ctx, sv.ID, codes, T0); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	given := map[string]int64{}
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := range n / 2 {
				resp := int64(1000*(g+1) + i)
				code, err := s.TakeRewardCode(ctx, sv.ID, resp, T0)
				mu.Lock()
				if prev, dup := given[code]; err != nil || dup {
					t.Errorf("TakeRewardCode(%d) = %q, %v; given before to %d", resp, code, err, prev)
				}
				given[code] = resp
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if total, left, err := s.CountRewardCodes(ctx, sv.ID); len(given) != n || total != n || left != 0 || err != nil {
		t.Errorf("after %d takes: %d codes given, count %d/%d left, %v", n, len(given), left, total, err)
	}
}

// invitationFixture is seedOrg with a survey, a program and invitations
// of customers c1 (n1), c3 (n2), c5 (s1) and c6 (north), created a
// minute apart in that order; c5's outside the program.
type invitationFixture struct {
	org
	survey  heed.Survey
	program heed.Program
	ids     map[string]int64 // by customer
}

func seedInvitations(t *testing.T, s heed.Store) invitationFixture {
	t.Helper()
	f := invitationFixture{org: seedOrg(t, s), ids: map[string]int64{}}
	f.survey = mustCreateSurvey(t, s, fullSurvey("visit"))
	f.program = mustCreateProgram(t, s, fullProgram("q", "visit"))
	for i, c := range []string{"c1", "c3", "c5", "c6"} {
		inv := newInvitation(t, s, f.survey, c, T0.Add(time.Duration(i)*time.Minute))
		if c != "c5" {
			inv.ProgramID = f.program.ID
		}
		f.ids[c] = mustCreateInvitation(t, s, inv)
	}
	return f
}

// newInvitation is an email invitation of customer to survey at created,
// with the customer's unit left for the store to fill in.
func newInvitation(t *testing.T, s heed.Store, sv heed.Survey, customer string, created time.Time) heed.Invitation {
	c := mustGetCustomer(t, s, customer)
	return heed.Invitation{SurveyID: sv.ID, CustomerID: c.ID, Channel: "email", Language: "en",
		TokenHash: fmt.Sprintf("hash-%s-%d", customer, created.UnixMicro()), Delivery: heed.DeliveryQueued,
		CreatedAt: created, ExpiresAt: created.Add(30 * 24 * time.Hour)}
}

func mustCreateInvitation(t *testing.T, s heed.Store, inv heed.Invitation) int64 {
	t.Helper()
	id, err := s.CreateInvitation(t.Context(), inv)
	if err != nil {
		t.Fatalf("CreateInvitation: %v", err)
	}
	return id
}

func testInvitations(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	c1 := mustGetCustomer(t, s, "c1")
	in := newInvitation(t, s, f.survey, "c1", T0.Add(time.Hour))
	in.ProgramID, in.UnitID = f.program.ID, f.units["north"].ID // not the customer's: as given
	in.Hidden, in.Channel, in.Language, in.Error = map[string]string{"order": "o-1"}, "link", "nl-BE", "x"
	in.TokenHash, in.Delivery = "token-hash-1", heed.DeliveryNone
	id := mustCreateInvitation(t, s, in)
	want := in
	want.ID, want.Survey, want.Program, want.Customer = id, "visit", "q", "c1"
	for name, read := range map[string]func() (heed.Invitation, error){
		"GetInvitation":        func() (heed.Invitation, error) { return s.GetInvitation(ctx, id) },
		"GetInvitationByToken": func() (heed.Invitation, error) { return s.GetInvitationByToken(ctx, "token-hash-1") },
	} {
		if got, err := read(); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %+v, %v;\nwant %+v", name, got, err, want)
		}
	}
	// Without a program or a unit: none, and the customer's unit.
	if got, err := s.GetInvitation(ctx, f.ids["c5"]); err != nil || got.Program != "" || got.ProgramID != 0 ||
		got.UnitID != f.units["s1"].ID || got.Customer != "c5" {
		t.Errorf("invitation of c5 = %+v, %v; want no program, unit s1", got, err)
	}
	_, err := s.CreateInvitation(ctx, in)
	wantErr(t, "CreateInvitation with a taken token", err, heed.EConflict, "token")
	_, err = s.GetInvitationByToken(ctx, "no-such-hash")
	wantErr(t, "GetInvitationByToken of an unknown token", err, heed.ENotFound, "")
	bad := in
	bad.TokenHash, bad.CustomerID = "other", c1.ID+1000
	_, err = s.CreateInvitation(ctx, bad)
	wantErr(t, "CreateInvitation of an unknown customer", err, heed.ENotFound, "")

	// Delivery: sent_at only from "sent", kept through a later failure.
	sent := T0.Add(2 * time.Hour)
	steps := []struct {
		d      heed.Delivery
		msg    string
		at     time.Time
		sentAt *time.Time
	}{
		{heed.DeliveryQueued, "", T0.Add(time.Hour), nil},
		{heed.DeliveryFailed, "421 try later", T0.Add(90 * time.Minute), nil},
		{heed.DeliverySent, "", sent, &sent},
		{heed.DeliveryBounced, "550 no such user", T0.Add(3 * time.Hour), &sent},
	}
	for _, st := range steps {
		if err := s.SetDelivery(ctx, id, st.d, st.msg, st.at); err != nil {
			t.Fatalf("SetDelivery(%s): %v", st.d, err)
		}
		got, _ := s.GetInvitation(ctx, id)
		if got.Delivery != st.d || got.Error != st.msg || !reflect.DeepEqual(got.SentAt, st.sentAt) {
			t.Errorf("after SetDelivery(%s): delivery %s, error %q, sent %v; want sent %v", st.d, got.Delivery, got.Error, got.SentAt, st.sentAt)
		}
	}
	wantErr(t, "SetDelivery of an unknown state", s.SetDelivery(ctx, id, "lost", "", T0), heed.EInvalid, "delivery")

	opened, reminded := T0.Add(4*time.Hour), T0.Add(5*time.Hour)
	for _, at := range []time.Time{opened, opened.Add(time.Hour)} {
		if err := s.MarkOpened(ctx, id, at); err != nil {
			t.Fatalf("MarkOpened: %v", err)
		}
	}
	if err := s.MarkReminded(ctx, id, reminded); err != nil {
		t.Fatalf("MarkReminded: %v", err)
	}
	got, _ := s.GetInvitation(ctx, id)
	if got.OpenedAt == nil || !got.OpenedAt.Equal(opened) || got.RemindedAt == nil || !got.RemindedAt.Equal(reminded) ||
		got.AnsweredAt != nil {
		t.Errorf("opened %v, reminded %v, answered %v; want first open %v, reminded %v, not answered",
			got.OpenedAt, got.RemindedAt, got.AnsweredAt, opened, reminded)
	}
	for name, err := range map[string]error{
		"SetDelivery":   s.SetDelivery(ctx, id+1000, heed.DeliverySent, "", T0),
		"MarkOpened":    s.MarkOpened(ctx, id+1000, T0),
		"MarkReminded":  s.MarkReminded(ctx, id+1000, T0),
		"GetInvitation": func() error { _, err := s.GetInvitation(ctx, id+1000); return err }(),
	} {
		wantErr(t, name+" of an unknown invitation", err, heed.ENotFound, "")
	}
}

func testInvitationScope(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	list := func(scope heed.Scope, filter heed.InvitationFilter) []string {
		t.Helper()
		invs, err := s.ListInvitations(ctx, scope, filter)
		if err != nil {
			t.Fatalf("ListInvitations(%+v, %+v): %v", scope, filter, err)
		}
		var out []string
		for _, inv := range invs {
			out = append(out, inv.Customer)
		}
		return out
	}
	if err := s.SetDelivery(ctx, f.ids["c3"], heed.DeliverySent, "", T0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		scope  heed.Scope
		filter heed.InvitationFilter
		want   []string
	}{
		{"admin", f.principal("admin").Scope(), heed.InvitationFilter{}, []string{"c6", "c5", "c3", "c1"}},
		{"manager of north", f.principal("boss").Scope(), heed.InvitationFilter{}, []string{"c6", "c3", "c1"}},
		{"frontline of n1, owner of c1 and c3", f.principal("ann").Scope(), heed.InvitationFilter{}, []string{"c3", "c1"}},
		{"frontline of s1", f.principal("sue").Scope(), heed.InvitationFilter{}, []string{"c5"}},
		{"nobody", heed.Scope{}, heed.InvitationFilter{}, nil},
		{"program", heed.Scope{All: true}, heed.InvitationFilter{ProgramID: f.program.ID}, []string{"c6", "c3", "c1"}},
		{"survey, page after c3", heed.Scope{All: true}, heed.InvitationFilter{SurveyID: f.survey.ID, BeforeID: f.ids["c3"]}, []string{"c1"}},
		{"other survey", heed.Scope{All: true}, heed.InvitationFilter{SurveyID: f.survey.ID + 100}, nil},
		{"limit", heed.Scope{All: true}, heed.InvitationFilter{Limit: 2}, []string{"c6", "c5"}},
		{"delivery", heed.Scope{All: true}, heed.InvitationFilter{Delivery: heed.DeliverySent}, []string{"c3"}},
	}
	for _, tt := range tests {
		if got := list(tt.scope, tt.filter); !slices.Equal(got, tt.want) {
			t.Errorf("%s: invitations of %v; want %v", tt.name, got, tt.want)
		}
	}
	for _, limit := range []int{-1, 1001} {
		_, err := s.ListInvitations(ctx, heed.Scope{All: true}, heed.InvitationFilter{Limit: limit})
		wantErr(t, fmt.Sprintf("ListInvitations with limit %d", limit), err, heed.EInvalid, "limit")
	}
}

func testSampleCandidates(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s) // q asked c1, c3, c6; another way asked c5
	other := mustCreateProgram(t, s, heed.Program{Key: "other", Survey: "visit"})
	for _, c := range []string{"c1", "c2"} { // other asks c1 later than q, and c2
		inv := newInvitation(t, s, f.survey, c, T0.Add(time.Hour))
		inv.ProgramID = other.ID
		mustCreateInvitation(t, s, inv)
	}
	mustUpsertCustomers(t, s, T0,
		heed.Customer{ExternalID: "c1", Name: "Alice Adams", Unit: "n1", Owner: "ann@acme.example", Segment: "gold",
			Email: "alice@example.com", Language: "nl", Consent: true, Attributes: json.RawMessage(`{"tier":"a"}`)},
		heed.Customer{ExternalID: "c5", Name: "Eva Evans", Unit: "s1", Owner: "sue@acme.example", Segment: "gold"})

	cands, err := s.SampleCandidates(ctx, f.program)
	if err != nil {
		t.Fatalf("SampleCandidates: %v", err)
	}
	// q's population: north and s1, segment gold: c1 and c5.
	c1, c5 := mustGetCustomer(t, s, "c1"), mustGetCustomer(t, s, "c5")
	want := []heed.SampleCandidate{
		{CustomerID: c1.ID, ExternalID: "c1", UnitID: f.units["n1"].ID, Email: "alice@example.com", Language: "nl",
			Segment: "gold", Attributes: json.RawMessage(`{"tier":"a"}`), Consent: true,
			LastAskedByProgram: T0, LastAskedAny: T0.Add(time.Hour)},
		{CustomerID: c5.ID, ExternalID: "c5", UnitID: f.units["s1"].ID, Segment: "gold",
			Attributes: json.RawMessage(`{}`), LastAskedAny: T0.Add(2 * time.Minute)},
	}
	if !reflect.DeepEqual(cands, want) {
		t.Errorf("SampleCandidates(q) =\n%+v\nwant\n%+v", cands, want)
	}

	// Everyone, by id; asked by other: c1 and c2.
	cands, err = s.SampleCandidates(ctx, other)
	if err != nil || len(cands) != 6 {
		t.Fatalf("SampleCandidates(other) = %d candidates, %v; want all 6", len(cands), err)
	}
	for i, c := range cands {
		if i > 0 && c.CustomerID <= cands[i-1].CustomerID {
			t.Errorf("candidates not in customer id order: %d after %d", c.CustomerID, cands[i-1].CustomerID)
		}
		asked := c.ExternalID == "c1" || c.ExternalID == "c2"
		if asked != c.LastAskedByProgram.Equal(T0.Add(time.Hour)) || asked != !c.LastAskedByProgram.IsZero() {
			t.Errorf("%s last asked by other at %v", c.ExternalID, c.LastAskedByProgram)
		}
		if c.ExternalID == "c4" && !c.LastAskedAny.IsZero() {
			t.Errorf("c4, never asked, last asked at %v", c.LastAskedAny)
		}
	}
	p := f.program
	p.Units = []string{"north", "attic"}
	_, err = s.SampleCandidates(ctx, p)
	wantErr(t, "SampleCandidates in an unknown unit", err, heed.ENotFound, "units")
}
