package storetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/heedhq/heed"
)

// testResponses holds responses and their pre-aggregated counts to the
// contract. The counts are checked against the truth, a recount of what
// ListResponses shows, after every kind of write.
func testResponses(t *testing.T, open Opener) {
	t.Run("response round trip", func(t *testing.T) { testResponseRoundTrip(t, open(t)) })
	t.Run("response conflicts", func(t *testing.T) { testResponseConflicts(t, open(t)) })
	t.Run("response update", func(t *testing.T) { testResponseUpdate(t, open(t)) })
	t.Run("response scope and filters", func(t *testing.T) { testResponseScope(t, open(t)) })
	t.Run("score counts", func(t *testing.T) { testScoreCounts(t, open(t)) })
	t.Run("score count rollup", func(t *testing.T) { testScoreCountRollup(t, open(t)) })
	t.Run("score counts concurrently", func(t *testing.T) { testScoreCountsConcurrently(t, open(t)) })
	t.Run("count invitations", func(t *testing.T) { testCountInvitations(t, open(t)) })
}

func mustCreateResponse(t *testing.T, s heed.Store, r heed.Response, now time.Time) heed.Response {
	t.Helper()
	out, err := s.CreateResponse(t.Context(), r, now)
	if err != nil {
		t.Fatalf("CreateResponse(%+v): %v", r, err)
	}
	return out
}

// wantResponse compares responses as JSON shows them (answers read back
// as lists of strings either way) and their ids.
func wantResponse(t *testing.T, what string, got, want heed.Response) {
	t.Helper()
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) || got.SurveyID != want.SurveyID || got.CustomerID != want.CustomerID ||
		got.UnitID != want.UnitID {
		t.Errorf("%s =\n%s (ids %d, %d, %d)\nwant\n%s (ids %d, %d, %d)", what, gj, got.SurveyID, got.CustomerID,
			got.UnitID, wj, want.SurveyID, want.CustomerID, want.UnitID)
	}
}

func testResponseRoundTrip(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	c1 := mustGetCustomer(t, s, "c1")
	in := heed.Response{SurveyID: f.survey.ID, InvitationID: f.ids["c1"], CustomerID: c1.ID, UnitID: f.units["n1"].ID,
		Channel: heed.ChannelEmail, Score: 9, Comment: "Great <b>shop</b> & \"staff\" ☺\nline two",
		Answers: map[string]any{"visit": "buy", "also": []string{"look", "buy"}}, Hidden: map[string]string{"order": "o-1"},
		Language: "nl-BE", ExternalID: "ext-1"}
	now := T0.Add(time.Hour + 999*time.Nanosecond)
	got := mustCreateResponse(t, s, in, now)
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = got.ID, T0.Add(time.Hour), T0.Add(time.Hour)
	wantResponse(t, "CreateResponse", got, want)
	wantTimes(t, "response", got.CreatedAt, got.UpdatedAt, want.CreatedAt, want.UpdatedAt)
	want.Survey, want.Customer, want.Unit = "visit", "c1", "n1"
	for name, read := range map[string]func() (heed.Response, error){
		"GetResponse":             func() (heed.Response, error) { return s.GetResponse(ctx, heed.Scope{All: true}, got.ID) },
		"GetResponseByInvitation": func() (heed.Response, error) { return s.GetResponseByInvitation(ctx, f.ids["c1"]) },
		"GetResponseByExternalID": func() (heed.Response, error) { return s.GetResponseByExternalID(ctx, f.survey.ID, "ext-1") },
	} {
		r, err := read()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		wantResponse(t, name, r, want)
		// Lists read back as []string, as they were written.
		if also, ok := r.Answers["also"].([]string); !ok || !slices.Equal(also, []string{"look", "buy"}) {
			t.Errorf("%s: answer also = %#v; want []string{look, buy}", name, r.Answers["also"])
		}
	}
	if inv, err := s.GetInvitation(ctx, f.ids["c1"]); err != nil || inv.AnsweredAt == nil || !inv.AnsweredAt.Equal(T0.Add(time.Hour)) {
		t.Errorf("invitation answered at %v, %v; want %v", inv.AnsweredAt, err, T0.Add(time.Hour))
	}

	// An import brings its own time; an anonymous answer has no unit,
	// no customer, and only Scope.All sees it.
	imported := heed.Response{SurveyID: f.survey.ID, Channel: heed.ChannelImport, Score: 0, CreatedAt: T0.Add(-48 * time.Hour)}
	anon := mustCreateResponse(t, s, imported, now)
	wantTimes(t, "imported response", anon.CreatedAt, anon.UpdatedAt, T0.Add(-48*time.Hour), T0.Add(time.Hour))
	imported.ID, imported.Survey, imported.UpdatedAt = anon.ID, "visit", T0.Add(time.Hour)
	if r, err := s.GetResponse(ctx, heed.Scope{All: true}, anon.ID); err != nil {
		t.Errorf("GetResponse(anonymous): %v", err)
	} else {
		wantResponse(t, "anonymous response", r, imported)
	}
	for _, name := range []string{"boss", "ann"} {
		_, err := s.GetResponse(ctx, f.principal(name).Scope(), anon.ID)
		wantErr(t, "GetResponse(anonymous) by "+name, err, heed.ENotFound, "")
	}

	bad := []struct {
		change      func(r *heed.Response)
		code        heed.Code
		field, what string
	}{
		{func(r *heed.Response) { r.Answers = map[string]any{"n": 5} }, heed.EInvalid, "answers", "a number answer"},
		{func(r *heed.Response) { r.Answers = map[string]any{"n": []any{"a", 1}} }, heed.EInvalid, "answers", "a list with a number"},
		{func(r *heed.Response) { r.Comment = "nul\x00" }, heed.EInvalid, "comment", "a NUL in the comment"},
		{func(r *heed.Response) { r.Comment = "bad \xff" }, heed.EInvalid, "comment", "invalid UTF-8"},
		{func(r *heed.Response) { r.SurveyID = 0 }, heed.EInvalid, "survey", "no survey"},
		{func(r *heed.Response) { r.SurveyID += 100 }, heed.ENotFound, "", "an unknown survey"},
		{func(r *heed.Response) { r.UnitID += 100 }, heed.ENotFound, "", "an unknown unit"},
	}
	for _, tt := range bad {
		r := heed.Response{SurveyID: f.survey.ID, UnitID: f.units["n2"].ID, Channel: heed.ChannelAPI, Score: 5}
		tt.change(&r)
		_, err := s.CreateResponse(ctx, r, now)
		wantErr(t, "CreateResponse with "+tt.what, err, tt.code, tt.field)
	}
	_, err := s.GetResponse(ctx, heed.Scope{All: true}, anon.ID+100)
	wantErr(t, "GetResponse of an unknown id", err, heed.ENotFound, "")
	_, err = s.GetResponseByExternalID(ctx, f.survey.ID, "nope")
	wantErr(t, "GetResponseByExternalID of an unknown id", err, heed.ENotFound, "")
	wantScoreCounts(t, s, f.survey.ID, "after creates and refused creates")
}

func testResponseConflicts(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	other := mustCreateSurvey(t, s, heed.Survey{Key: "other", Kind: heed.SurveyCSAT})
	first := heed.Response{SurveyID: f.survey.ID, InvitationID: f.ids["c3"], UnitID: f.units["n2"].ID,
		Channel: heed.ChannelEmail, Score: 8, ExternalID: "x1"}
	mustCreateResponse(t, s, first, T0)
	again := first
	again.ExternalID, again.Score = "x2", 2
	_, err := s.CreateResponse(ctx, again, T0.Add(time.Hour))
	wantErr(t, "CreateResponse of an answered invitation", err, heed.EConflict, "invitation_id")
	dup := heed.Response{SurveyID: f.survey.ID, Channel: heed.ChannelImport, Score: 1, ExternalID: "x1"}
	_, err = s.CreateResponse(ctx, dup, T0)
	wantErr(t, "CreateResponse with a taken external id", err, heed.EConflict, "external_id")
	// Both at once: either names a real conflict.
	both := first
	both.Score = 3
	_, err = s.CreateResponse(ctx, both, T0.Add(2*time.Hour))
	wantErr(t, "CreateResponse with a taken invitation and external id", err, heed.EConflict, "")
	if inv, _ := s.GetInvitation(ctx, f.ids["c3"]); inv.AnsweredAt == nil || !inv.AnsweredAt.Equal(T0) {
		t.Errorf("invitation answered at %v after refused answers; want the first, %v", inv.AnsweredAt, T0)
	}
	// External ids are per survey; several responses may have none.
	dup.SurveyID = other.ID
	mustCreateResponse(t, s, dup, T0)
	for range 2 {
		mustCreateResponse(t, s, heed.Response{SurveyID: f.survey.ID, Channel: heed.ChannelOpen, Score: 6}, T0)
	}
	wantScoreCounts(t, s, f.survey.ID, "after refused creates")
	wantScoreCounts(t, s, other.ID, "after refused creates")
}

func testResponseUpdate(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	sv := mustCreateSurvey(t, s, fullSurvey("visit"))
	c4 := mustGetCustomer(t, s, "c4")
	answered := T0.Add(-72 * time.Hour)
	r := mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, CustomerID: c4.ID, UnitID: o.units["n2"].ID,
		Channel: heed.ChannelImport, Score: 4, Comment: "slow", Answers: map[string]any{"visit": "look"},
		Language: "en", ExternalID: "e1", CreatedAt: answered}, T0)
	mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, UnitID: o.units["n2"].ID, Channel: heed.ChannelOpen,
		Score: 4, CreatedAt: answered}, T0)

	change := r
	change.Score, change.Comment, change.Language = 10, "fast after all", "nl"
	change.Answers, change.Hidden = map[string]any{"visit": "buy", "note": "x"}, map[string]string{"order": "o-2"}
	change.Channel, change.ExternalID = "ignored", "ignored" // not a respondent's to change
	later := T0.Add(time.Hour)
	got, err := s.UpdateResponse(ctx, change, later)
	want := change
	want.Channel, want.ExternalID, want.UpdatedAt = heed.ChannelImport, "e1", later
	want.Survey, want.Customer, want.Unit = "visit", "c4", "n2"
	if err != nil {
		t.Fatalf("UpdateResponse: %v", err)
	}
	wantResponse(t, "UpdateResponse", got, want)
	if read, err := s.GetResponse(ctx, heed.Scope{All: true}, r.ID); err != nil {
		t.Errorf("GetResponse after update: %v", err)
	} else {
		wantResponse(t, "GetResponse after update", read, want)
	}
	// The count moved from 4 to 10 on the day first answered.
	day := heed.Day(answered)
	counts, err := s.ScoreCounts(ctx, heed.CountFilter{SurveyID: sv.ID, Scope: heed.Scope{All: true}, GroupBy: "day"})
	wantCounts := []heed.ScoreCount{{Day: day, Score: 4, N: 1}, {Day: day, Score: 10, N: 1}}
	if err != nil || !slices.Equal(counts, wantCounts) {
		t.Errorf("ScoreCounts after update = %+v, %v; want %+v", counts, err, wantCounts)
	}
	for _, score := range []int{10, 4, 4, 0} { // unchanged, back, unchanged, down to 0
		change.Score = score
		if _, err := s.UpdateResponse(ctx, change, later.Add(time.Hour)); err != nil {
			t.Fatalf("UpdateResponse to %d: %v", score, err)
		}
		wantScoreCounts(t, s, sv.ID, fmt.Sprintf("after updating the score to %d", score))
	}
	change.ID = r.ID + 100
	_, err = s.UpdateResponse(ctx, change, later)
	wantErr(t, "UpdateResponse of an unknown id", err, heed.ENotFound, "")
}

// seedResponses answers f.survey seven times, a day apart, as the
// scope tests need; it returns the ids by name r1..r7.
//
//	r1 c1 in n1, 9 "good"    r5 no customer, no unit, 0 "meh"
//	r2 c3 in n2, 3           r6 no customer, s1, 5
//	r3 c5 in s1, 7 "ok"      r7 c4 (bob's), no unit, 8
//	r4 c6 in north, 10
func seedResponses(t *testing.T, s heed.Store, f invitationFixture) map[string]int64 {
	t.Helper()
	rows := []struct{ customer, unit, comment string }{
		{"c1", "n1", "good"}, {"c3", "n2", ""}, {"c5", "s1", "ok"}, {"c6", "north", ""},
		{"", "", "meh"}, {"", "s1", ""}, {"c4", "", ""},
	}
	scores := []int{9, 3, 7, 10, 0, 5, 8}
	ids := map[string]int64{}
	for i, row := range rows {
		r := heed.Response{SurveyID: f.survey.ID, Channel: heed.ChannelAPI, Score: scores[i], Comment: row.comment,
			CreatedAt: T0.Add(time.Duration(i) * 24 * time.Hour)}
		if row.customer != "" {
			r.CustomerID = mustGetCustomer(t, s, row.customer).ID
		}
		if row.unit != "" {
			r.UnitID = f.units[row.unit].ID
		}
		ids[fmt.Sprintf("r%d", i+1)] = mustCreateResponse(t, s, r, T0.Add(7*24*time.Hour)).ID
	}
	return ids
}

func testResponseScope(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s)
	ids := seedResponses(t, s, f)
	names := map[int64]string{}
	for n, id := range ids {
		names[id] = n
	}
	intp := func(n int) *int { return &n }
	day := func(d int) time.Time { return T0.Add(time.Duration(d) * 24 * time.Hour) }
	all := heed.Scope{All: true}
	tests := []struct {
		name   string
		scope  heed.Scope
		filter heed.ResponseFilter
		want   []string
	}{
		{"admin", f.principal("admin").Scope(), heed.ResponseFilter{}, []string{"r7", "r6", "r5", "r4", "r3", "r2", "r1"}},
		{"manager of north", f.principal("boss").Scope(), heed.ResponseFilter{}, []string{"r4", "r2", "r1"}},
		{"frontline of n1, owner of c1 and c3", f.principal("ann").Scope(), heed.ResponseFilter{}, []string{"r2", "r1"}},
		{"frontline of n2, owner of c4", f.principal("bob").Scope(), heed.ResponseFilter{}, []string{"r7", "r2"}},
		{"frontline of s1", f.principal("sue").Scope(), heed.ResponseFilter{}, []string{"r6", "r3"}},
		{"nobody", heed.Scope{}, heed.ResponseFilter{}, nil},
		{"unit north", all, heed.ResponseFilter{Unit: "north"}, []string{"r4", "r2", "r1"}},
		{"unit n1", all, heed.ResponseFilter{Unit: "n1"}, []string{"r1"}},
		{"manager of north in south", f.principal("boss").Scope(), heed.ResponseFilter{Unit: "south"}, nil},
		{"days 1 and 2", all, heed.ResponseFilter{From: day(1), To: day(3)}, []string{"r3", "r2"}},
		{"from day 5", all, heed.ResponseFilter{From: day(5)}, []string{"r7", "r6"}},
		{"score 7 and up", all, heed.ResponseFilter{MinScore: intp(7)}, []string{"r7", "r4", "r3", "r1"}},
		{"score up to 3", all, heed.ResponseFilter{MaxScore: intp(3)}, []string{"r5", "r2"}},
		{"score 5 to 8", all, heed.ResponseFilter{MinScore: intp(5), MaxScore: intp(8)}, []string{"r7", "r6", "r3"}},
		{"with a comment", all, heed.ResponseFilter{HasComment: true}, []string{"r5", "r3", "r1"}},
		{"the survey", all, heed.ResponseFilter{SurveyID: f.survey.ID, Limit: 2}, []string{"r7", "r6"}},
		{"another survey", all, heed.ResponseFilter{SurveyID: f.survey.ID + 100}, nil},
		{"page after r3", all, heed.ResponseFilter{BeforeID: ids["r3"]}, []string{"r2", "r1"}},
	}
	for _, tt := range tests {
		rs, err := s.ListResponses(ctx, tt.scope, tt.filter)
		var got []string
		for _, r := range rs {
			got = append(got, names[r.ID])
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("%s: ListResponses = %v, %v; want %v", tt.name, got, err, tt.want)
		}
		wantResponseCounts(t, s, tt.name, tt.scope, tt.filter)
	}
	_, err := s.CountResponses(ctx, all, heed.ResponseFilter{Unit: "attic"})
	wantErr(t, "CountResponses in an unknown unit", err, heed.ENotFound, "unit")
	_, err = s.ListResponses(ctx, all, heed.ResponseFilter{Unit: "attic"})
	wantErr(t, "ListResponses in an unknown unit", err, heed.ENotFound, "unit")
	for _, limit := range []int{-1, 1001} {
		_, err := s.ListResponses(ctx, all, heed.ResponseFilter{Limit: limit})
		wantErr(t, fmt.Sprintf("ListResponses with limit %d", limit), err, heed.EInvalid, "limit")
	}
	if _, err := s.GetResponse(ctx, f.principal("boss").Scope(), ids["r1"]); err != nil {
		t.Errorf("GetResponse(r1) by the manager of north: %v", err)
	}
	_, err = s.GetResponse(ctx, f.principal("boss").Scope(), ids["r3"])
	wantErr(t, "GetResponse(r3, in s1) by the manager of north", err, heed.ENotFound, "")
	_, err = s.GetResponse(ctx, f.principal("sue").Scope(), ids["r7"])
	wantErr(t, "GetResponse(r7, bob's customer) by sue", err, heed.ENotFound, "")
}

// wantResponseCounts checks CountResponses against the truth: the rows
// ListResponses shows for the same filter, whole (CountResponses ignores
// the page), counted per survey and score.
func wantResponseCounts(t *testing.T, s heed.Store, name string, scope heed.Scope, f heed.ResponseFilter) {
	t.Helper()
	got, err := s.CountResponses(t.Context(), scope, f)
	if err != nil {
		t.Errorf("%s: CountResponses: %v", name, err)
		return
	}
	f.Limit, f.BeforeID = 1000, 0
	rs, err := s.ListResponses(t.Context(), scope, f)
	if err != nil {
		t.Fatalf("%s: ListResponses: %v", name, err)
	}
	n := map[[2]int64]int{}
	for _, r := range rs {
		n[[2]int64{r.SurveyID, int64(r.Score)}]++
	}
	want := []heed.ResponseCount{}
	for k, v := range n {
		want = append(want, heed.ResponseCount{SurveyID: k[0], Score: int(k[1]), N: v})
	}
	slices.SortFunc(want, func(a, b heed.ResponseCount) int {
		if a.SurveyID != b.SurveyID {
			return cmp.Compare(a.SurveyID, b.SurveyID)
		}
		return cmp.Compare(a.Score, b.Score)
	})
	if !slices.Equal(got, want) {
		t.Errorf("%s: CountResponses = %+v; want %+v", name, got, want)
	}
}

func testScoreCounts(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	a := mustCreateSurvey(t, s, fullSurvey("a"))
	b := mustCreateSurvey(t, s, heed.Survey{Key: "b", Kind: heed.SurveyCES})
	units := []int64{o.units["n1"].ID, o.units["n2"].ID, o.units["north"].ID, o.units["s1"].ID, 0}
	var ids []int64
	for i := range 60 {
		sv := a
		if i%7 == 0 {
			sv = b
		}
		r := mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, UnitID: units[i%len(units)], Channel: heed.ChannelAPI,
			Score: i * 7 % 11, CreatedAt: T0.Add(time.Duration(i%4*24+i%3) * time.Hour)}, T0.Add(5*24*time.Hour))
		ids = append(ids, r.ID)
	}
	wantScoreCounts(t, s, a.ID, "after creates")
	wantScoreCounts(t, s, b.ID, "after creates")
	for i, id := range ids[:30] {
		if _, err := s.UpdateResponse(ctx, heed.Response{ID: id, Score: (i * 3) % 11}, T0.Add(6*24*time.Hour)); err != nil {
			t.Fatalf("UpdateResponse: %v", err)
		}
	}
	wantScoreCounts(t, s, a.ID, "after updates")
	wantScoreCounts(t, s, b.ID, "after updates")
	_, err := s.ScoreCounts(ctx, heed.CountFilter{SurveyID: a.ID, Scope: heed.Scope{All: true}, GroupBy: "week"})
	wantErr(t, "ScoreCounts grouped by week", err, heed.EInvalid, "group_by")
}

// testScoreCountRollup checks day grouping across units and the rollup
// of a subtree by hand: four answers of 9 on one day, in n1, n2, s1 and
// no unit, and a 6 in n1 the next day.
func testScoreCountRollup(t *testing.T, s heed.Store) {
	ctx := t.Context()
	o := seedOrg(t, s)
	sv := mustCreateSurvey(t, s, fullSurvey("a"))
	d := heed.Day(T0)
	for _, u := range []int64{o.units["n1"].ID, o.units["n2"].ID, o.units["s1"].ID, 0} {
		mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, UnitID: u, Channel: heed.ChannelAPI, Score: 9}, T0)
	}
	mustCreateResponse(t, s, heed.Response{SurveyID: sv.ID, UnitID: o.units["n1"].ID, Channel: heed.ChannelAPI, Score: 6},
		T0.Add(24*time.Hour))
	north := o.units["north"].Path
	tests := []struct {
		name string
		f    heed.CountFilter
		want []heed.ScoreCount
	}{
		{"all by day", heed.CountFilter{Scope: heed.Scope{All: true}, GroupBy: "day"},
			[]heed.ScoreCount{{Day: d, Score: 9, N: 4}, {Day: d + 1, Score: 6, N: 1}}},
		{"north by day", heed.CountFilter{Scope: heed.Scope{All: true}, UnitPath: north, GroupBy: "day"},
			[]heed.ScoreCount{{Day: d, Score: 9, N: 2}, {Day: d + 1, Score: 6, N: 1}}},
		{"manager of north by unit", heed.CountFilter{Scope: o.principal("boss").Scope(), GroupBy: "unit"},
			[]heed.ScoreCount{{UnitID: o.units["n1"].ID, Score: 6, N: 1}, {UnitID: o.units["n1"].ID, Score: 9, N: 1},
				{UnitID: o.units["n2"].ID, Score: 9, N: 1}}},
		{"all by unit on day d", heed.CountFilter{Scope: heed.Scope{All: true}, FromDay: d, ToDay: d, GroupBy: "unit"},
			[]heed.ScoreCount{{Score: 9, N: 1}, {UnitID: o.units["n1"].ID, Score: 9, N: 1},
				{UnitID: o.units["n2"].ID, Score: 9, N: 1}, {UnitID: o.units["s1"].ID, Score: 9, N: 1}}},
		{"ann (n1 or owned: counts are per unit)", heed.CountFilter{Scope: o.principal("ann").Scope(), FromDay: d + 1, GroupBy: "day"},
			[]heed.ScoreCount{{Day: d + 1, Score: 6, N: 1}}},
		{"nobody", heed.CountFilter{Scope: heed.Scope{OwnerID: o.emps["ann"].Employee.ID}, GroupBy: "day"}, []heed.ScoreCount{}},
	}
	for _, tt := range tests {
		tt.f.SurveyID = sv.ID
		got, err := s.ScoreCounts(ctx, tt.f)
		if err != nil || !slices.Equal(got, tt.want) || got == nil {
			t.Errorf("%s: ScoreCounts = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
}

// testScoreCountsConcurrently has two goroutines answer one survey at
// once through the one store, with the same external ids: each id lands
// once, and so does its count.
func testScoreCountsConcurrently(t *testing.T, s heed.Store) {
	o := seedOrg(t, s)
	sv := mustCreateSurvey(t, s, fullSurvey("a"))
	const n = 20
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for range 2 {
		wg.Go(func() {
			for i := range n {
				_, err := s.CreateResponse(t.Context(), heed.Response{SurveyID: sv.ID, UnitID: o.units["n1"].ID,
					Channel: heed.ChannelAPI, Score: i % 2, ExternalID: fmt.Sprintf("e%d", i)}, T0)
				mu.Lock()
				if err == nil {
					created++
				} else if heed.ErrorCode(err) != heed.EConflict {
					t.Errorf("CreateResponse(e%d): %v", i, err)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if created != n {
		t.Errorf("%d of %d external ids created; want each once", created, n)
	}
	wantScoreCounts(t, s, sv.ID, "after concurrent creates")
}

func testCountInvitations(t *testing.T, s heed.Store) {
	ctx := t.Context()
	f := seedInvitations(t, s) // c1 (n1) at T0, c3 (n2) +1m, c6 (north) +3m in q; c5 outside
	for _, c := range []string{"c1", "c6", "c5"} {
		mustCreateResponse(t, s, heed.Response{SurveyID: f.survey.ID, InvitationID: f.ids[c], Channel: heed.ChannelEmail,
			Score: 8}, T0.Add(time.Hour))
	}
	byUnit := func(counts ...heed.InvitationCounts) []heed.InvitationCounts {
		slices.SortFunc(counts, func(a, b heed.InvitationCounts) int { return cmp.Compare(a.UnitID, b.UnitID) })
		return counts
	}
	tests := []struct {
		from, to time.Time
		want     []heed.InvitationCounts
	}{
		{T0, T0.Add(time.Hour), byUnit(heed.InvitationCounts{UnitID: f.units["n1"].ID, Invited: 1, Answered: 1},
			heed.InvitationCounts{UnitID: f.units["n2"].ID, Invited: 1},
			heed.InvitationCounts{UnitID: f.units["north"].ID, Invited: 1, Answered: 1})},
		{T0.Add(time.Minute), T0.Add(3 * time.Minute), []heed.InvitationCounts{{UnitID: f.units["n2"].ID, Invited: 1}}},
		{T0.Add(time.Hour), T0.Add(2 * time.Hour), []heed.InvitationCounts{}},
	}
	for _, tt := range tests {
		got, err := s.CountInvitations(ctx, f.program.ID, tt.from, tt.to)
		if err != nil || !slices.Equal(got, tt.want) || got == nil {
			t.Errorf("CountInvitations(%v, %v) = %+v, %v; want %+v", tt.from, tt.to, got, err, tt.want)
		}
	}
}

// wantScoreCounts checks ScoreCounts of a survey, for every kind of
// scope, subtree, span of days and grouping, against a recount of what
// ListResponses shows for the same units and days.
func wantScoreCounts(t *testing.T, s heed.Store, surveyID int64, when string) {
	t.Helper()
	ctx := t.Context()
	units, err := s.ListUnits(ctx, heed.Scope{All: true})
	if err != nil {
		t.Fatalf("ListUnits: %v", err)
	}
	keys := map[string]string{} // by path
	type view struct {
		scope heed.Scope
		path  string
	}
	views := []view{{heed.Scope{All: true}, ""}, {heed.Scope{}, ""}}
	for _, u := range units {
		keys[u.Path] = u.Key
		// Every subtree of everything; each unit's scopes alone and
		// within the subtree of the second unit (a region).
		views = append(views, view{heed.Scope{All: true}, u.Path})
		for _, scope := range []heed.Scope{{UnitPath: u.Path}, {UnitID: u.ID, OwnerID: 1}} {
			views = append(views, view{scope, ""}, view{scope, units[min(1, len(units)-1)].Path})
		}
	}
	d := heed.Day(T0)
	for _, v := range views {
		for _, span := range [][2]int{{0, 0}, {d + 1, d + 2}, {d + 2, d + 2}, {d + 3, 0}} {
			f := heed.CountFilter{SurveyID: surveyID, Scope: v.scope, UnitPath: v.path, FromDay: span[0], ToDay: span[1]}
			want := recount(t, s, f, keys[v.path])
			for _, group := range []string{"day", "unit"} {
				f.GroupBy = group
				got, err := s.ScoreCounts(ctx, f)
				if err != nil || !slices.Equal(got, want[group]) {
					t.Errorf("%s: ScoreCounts(%+v) =\n%+v, %v\nrecount\n%+v", when, f, got, err, want[group])
				}
			}
		}
	}
}

// recount counts what ListResponses shows of f, grouped by "day" and by
// "unit": the same units (counts know no owners), the unit with key unit
// and its subtree, the same days.
func recount(t *testing.T, s heed.Store, f heed.CountFilter, unit string) map[string][]heed.ScoreCount {
	t.Helper()
	scope := f.Scope
	scope.OwnerID = 0
	filter := heed.ResponseFilter{SurveyID: f.SurveyID, Unit: unit, From: heed.DayTime(f.FromDay), Limit: 25}
	if f.ToDay != 0 {
		filter.To = heed.DayTime(f.ToDay + 1)
	}
	n := map[heed.ScoreCount]int{}
	for {
		page, err := s.ListResponses(t.Context(), scope, filter)
		if err != nil {
			t.Fatalf("ListResponses(%+v): %v", filter, err)
		}
		for _, r := range page {
			n[heed.ScoreCount{Day: heed.Day(r.CreatedAt), Score: r.Score}]++
			n[heed.ScoreCount{UnitID: r.UnitID, Score: r.Score}]++
		}
		if len(page) < filter.Limit {
			break
		}
		filter.BeforeID = page[len(page)-1].ID
	}
	out := map[string][]heed.ScoreCount{"day": {}, "unit": {}}
	for key, count := range n {
		key.N = count
		if key.Day != 0 {
			out["day"] = append(out["day"], key)
		} else {
			out["unit"] = append(out["unit"], key)
		}
	}
	for _, counts := range out {
		slices.SortFunc(counts, func(a, b heed.ScoreCount) int {
			return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.UnitID, b.UnitID), cmp.Compare(a.Score, b.Score))
		})
	}
	return out
}

// BenchCreateResponse times CreateResponse as an ingest calls it: one
// response at a time, each with a customer, a unit, answers and an
// external id, spread over 90 days and every score. Package sqlite and
// package postgres may each run it.
func BenchCreateResponse(b *testing.B, s heed.Store) {
	ctx := b.Context()
	if _, err := s.UpsertUnits(ctx, []heed.Unit{{Key: "shop", Name: "Shop"}}, T0); err != nil {
		b.Fatal(err)
	}
	if _, err := s.UpsertCustomers(ctx, []heed.Customer{{ExternalID: "c1", Name: "C", Unit: "shop"}}, T0); err != nil {
		b.Fatal(err)
	}
	sv, err := s.CreateSurvey(ctx, heed.Survey{Key: "bench", Kind: heed.SurveyNPS}, T0)
	if err != nil {
		b.Fatal(err)
	}
	unit, err := s.GetUnit(ctx, "shop")
	if err != nil {
		b.Fatal(err)
	}
	c, err := s.GetCustomer(ctx, heed.Scope{All: true}, "c1")
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		r := heed.Response{SurveyID: sv.ID, CustomerID: c.ID, UnitID: unit.ID, Channel: heed.ChannelImport,
			Score: i % 11, Comment: "Friendly staff, short queue.", Answers: map[string]any{"visit": "buy"},
			ExternalID: fmt.Sprintf("bench-%d", i), CreatedAt: T0.Add(time.Duration(i%90) * 24 * time.Hour)}
		if _, err := s.CreateResponse(ctx, r, T0); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
