package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

type inviteResults struct {
	Results []survey.InviteResult
}

// linkRE is a personal link: the public URL, /s/ and a token of 24
// random bytes in unpadded base64url.
var linkRE = regexp.MustCompile(`^` + regexp.QuoteMeta(publicURL) + `/s/([A-Za-z0-9_-]{32})$`)

func TestInvitations(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv, _, _ := surveyFixtures(t, e)
		path := "/api/v1/surveys/" + sv + "/invitations"

		var res inviteResults
		e.call(t, "admin", "POST", path, map[string]any{
			"customers": []string{"c-a1", "c-b1", "nope", "c-a1"}, "hidden": map[string]string{"order": "O-17"},
		}).must(t, http.StatusOK).decode(t, &res)
		want := []struct{ customer, skipped string }{{"c-a1", ""}, {"c-b1", ""}, {"nope", survey.SkipNotFound}, {"c-a1", survey.SkipDuplicate}}
		if len(res.Results) != len(want) {
			t.Fatalf("results %+v", res.Results)
		}
		made := map[int64]string{} // invitation id → customer
		for i, w := range want {
			r := res.Results[i]
			if r.Customer != w.customer || r.Skipped != w.skipped || (w.skipped == "") != (r.InvitationID != 0 && r.URL != "") {
				t.Errorf("result %d: %+v, want customer %s skipped %q", i, r, w.customer, w.skipped)
				continue
			}
			if w.skipped != "" {
				continue
			}
			made[r.InvitationID] = r.Customer
			// The link has the expected form and opens its invitation.
			m := linkRE.FindStringSubmatch(r.URL)
			if m == nil {
				t.Errorf("url %q is not %s/s/<token>", r.URL, publicURL)
				continue
			}
			link, err := e.surveys.OpenLink(context.Background(), m[1], "")
			if err != nil || link.State != survey.LinkOpen || link.Invitation.ID != r.InvitationID || link.Invitation.Hidden["order"] != "O-17" {
				t.Errorf("link of %s: state %s, invitation %+v, err %v", r.Customer, link.State, link.Invitation, err)
			}
		}

		// Frontline staff invite their own customers; others are not
		// found. Analysts change nothing.
		e.call(t, "fl-a1", "POST", path, map[string]any{"customers": []string{"c-a1", "c-b1"}}).must(t, http.StatusOK).decode(t, &res)
		if res.Results[0].InvitationID == 0 || res.Results[1].Skipped != survey.SkipNotFound {
			t.Errorf("frontline A1: %+v", res.Results)
		}
		made[res.Results[0].InvitationID] = "c-a1"
		e.call(t, "analyst", "POST", path, map[string]any{"customers": []string{"c-a1"}}).must(t, http.StatusForbidden)

		// Email needs consent and an address; the fixtures have neither.
		e.call(t, "admin", "POST", path, map[string]any{"customers": []string{"c-a1"}, "channel": "email"}).must(t, http.StatusOK).decode(t, &res)
		if res.Results[0].Skipped != survey.SkipNoConsent {
			t.Errorf("email without consent: %+v", res.Results)
		}
		for _, c := range []struct {
			body   map[string]any
			status int
			field  string
		}{
			{map[string]any{"customers": []string{"c-a1"}, "hidden": map[string]string{"store": "x"}}, 422, "hidden.store"},
			{map[string]any{"customers": []string{"c-a1"}, "channel": "sms"}, 422, "channel"},
			{map[string]any{"customers": []string{}}, 422, "customers"},
			{map[string]any{"customers": manyCustomers(survey.MaxInvite + 1)}, 413, "customers"},
		} {
			got := e.call(t, "admin", "POST", path, c.body).must(t, c.status).apiError(t).Error
			if got.Field != c.field {
				t.Errorf("%.80v: field %q, want %q", c.body, got.Field, c.field)
			}
		}
		e.call(t, "admin", "POST", "/api/v1/surveys/nope/invitations", map[string]any{"customers": []string{"c-a1"}}).must(t, http.StatusNotFound)

		// Listed newest first, every one once across pages; each sees
		// only the invitations of customers they see.
		all := listInvitations(t, e, "admin", url.Values{"survey": {sv}, "limit": {"2"}})
		var wantIDs []int64
		for id := range made {
			wantIDs = append(wantIDs, id)
		}
		slices.Sort(wantIDs)
		slices.Reverse(wantIDs)
		var gotIDs []int64
		for _, inv := range all {
			gotIDs = append(gotIDs, inv.ID)
			if inv.Customer != made[inv.ID] || inv.Survey != sv || inv.Channel != heed.ChannelLink || inv.Delivery != heed.DeliveryNone {
				t.Errorf("invitation %+v, want customer %s by link", inv, made[inv.ID])
			}
		}
		if !slices.Equal(gotIDs, wantIDs) {
			t.Errorf("admin lists %v, want %v (newest first)", gotIDs, wantIDs)
		}
		for token, want := range map[string]string{"mgr-ra": "c-a1", "fl-b1": "c-b1"} {
			for _, inv := range listInvitations(t, e, token, url.Values{}) {
				if inv.Customer != want {
					t.Errorf("%s sees the invitation of %s", token, inv.Customer)
				}
			}
		}
		if got := listInvitations(t, e, "admin", url.Values{"delivery": {"queued"}}); len(got) != 0 {
			t.Errorf("queued: %+v, want none (links send nothing)", got)
		}
		e.call(t, "admin", "GET", "/api/v1/invitations?survey=nope", nil).must(t, http.StatusNotFound)
		e.call(t, "admin", "GET", "/api/v1/invitations?cursor=bogus", nil).must(t, http.StatusBadRequest)
		got := e.call(t, "admin", "GET", "/api/v1/invitations?delivery=lost", nil).must(t, http.StatusUnprocessableEntity).apiError(t).Error
		if got.Field != "delivery" {
			t.Errorf("bad delivery: field %q", got.Field)
		}
	})
}

func TestPrograms(t *testing.T) {
	forEngine(t, func(t *testing.T, engine string) {
		e := newOrgEnv(t, engine)
		sv, _, _ := surveyFixtures(t, e)
		// Customers who may be emailed: three in region A, two in B.
		var custs []heed.Customer
		for i, u := range []string{"a1", "a1", "a2", "b1", "b2"} {
			custs = append(custs, heed.Customer{ExternalID: fmt.Sprintf("mail-%d", i), Unit: u, Consent: true,
				Email: fmt.Sprintf("mail%d@example.com", i)})
		}
		if _, err := e.dir.UpsertCustomers(context.Background(), heed.System(), custs); err != nil {
			t.Fatal(err)
		}

		var pr heed.Program
		e.call(t, "admin", "POST", "/api/v1/programs", map[string]any{
			"name": "Region A weekly", "survey": sv, "units": []string{"ra"}, "target": 700, "period": "week", "seed": 7,
		}).must(t, http.StatusCreated).decode(t, &pr)
		if pr.Key != "region-a-weekly" || pr.Channel != heed.ChannelEmail || pr.ProgramDays != survey.DefaultProgramDays ||
			pr.ExpiryDays != survey.DefaultExpiryDays || pr.Seed != 7 || pr.Active {
			t.Errorf("created %+v", pr)
		}
		got := e.call(t, "admin", "POST", "/api/v1/programs", map[string]any{"name": "No target", "survey": sv}).must(t, 422).apiError(t).Error
		if got.Field != "target" {
			t.Errorf("no target: field %q", got.Field)
		}
		e.call(t, "admin", "POST", "/api/v1/programs", map[string]any{"name": "X", "survey": sv, "target": 1, "period": "year"}).must(t, 422)
		e.call(t, "mgr-ra", "POST", "/api/v1/programs", map[string]any{"name": "Mine", "survey": sv, "target": 1}).must(t, http.StatusForbidden)

		var list struct{ Programs []heed.Program }
		e.call(t, "fl-a1", "GET", "/api/v1/programs", nil).must(t, http.StatusOK).decode(t, &list)
		if len(list.Programs) != 2 {
			t.Errorf("programs %+v", list.Programs)
		}
		a := e.call(t, "analyst", "GET", "/api/v1/programs/"+pr.Key, nil).must(t, http.StatusOK)
		var body map[string]any
		a.decode(t, &body)
		body["active"] = true
		var upd heed.Program
		e.call(t, "admin", "PUT", "/api/v1/programs/"+pr.Key, body).must(t, http.StatusOK).decode(t, &upd)
		if !upd.Active || upd.Seed != 7 || upd.Target != 700 {
			t.Errorf("updated %+v", upd)
		}
		e.call(t, "admin", "PUT", "/api/v1/programs/nope", body).must(t, http.StatusUnprocessableEntity) // key in body differs
		delete(body, "key")
		e.call(t, "admin", "PUT", "/api/v1/programs/nope", body).must(t, http.StatusNotFound)

		// Only admins run programs, dry or not.
		run := "/api/v1/programs/" + pr.Key + "/run"
		for _, token := range []string{"fl-a1", "mgr-ra", "analyst"} {
			e.call(t, token, "POST", run+"?dry_run=true", nil).must(t, http.StatusForbidden)
			e.call(t, token, "POST", run, nil).must(t, http.StatusForbidden)
		}
		// A dry run says whom it would ask and asks nobody: the
		// population is region A's customers, of whom those with
		// consent and an address are eligible.
		var rep survey.SampleReport
		e.call(t, "admin", "POST", run+"?dry_run=true", nil).must(t, http.StatusOK).decode(t, &rep)
		inRegion := len(customersOf("ra", "a1", "a2", "a1t")) + 1 + 3 // + the one owned elsewhere, in a2, + mail-0..2
		if !rep.DryRun || rep.Invited != 0 || rep.Population != inRegion || rep.Eligible != 3 || len(rep.Chosen) == 0 {
			t.Errorf("dry run %+v", rep)
		}
		if got := listInvitations(t, e, "admin", url.Values{"program": {pr.Key}}); len(got) != 0 {
			t.Errorf("a dry run invited %d", len(got))
		}
		// A real run invites whom the dry run chose, by email.
		var real survey.SampleReport
		e.call(t, "admin", "POST", run, nil).must(t, http.StatusOK).decode(t, &real)
		if real.DryRun || real.Invited != len(rep.Chosen) || !slices.Equal(real.Chosen, rep.Chosen) {
			t.Errorf("run %+v, dry run chose %v", real, rep.Chosen)
		}
		invs := listInvitations(t, e, "admin", url.Values{"program": {pr.Key}, "delivery": {"queued"}})
		var invited []string
		for _, inv := range invs {
			invited = append(invited, inv.Customer)
			if inv.Channel != heed.ChannelEmail || inv.Program != pr.Key {
				t.Errorf("invitation %+v", inv)
			}
		}
		sameKeys(t, "invited by the run", invited, real.Chosen)
		e.call(t, "admin", "POST", "/api/v1/programs/nope/run", nil).must(t, http.StatusNotFound)
	})
}

// listInvitations walks every page of GET /invitations with the query q.
func listInvitations(t *testing.T, e *env, token string, q url.Values) []heed.Invitation {
	t.Helper()
	var all []heed.Invitation
	for page := 0; ; page++ {
		if page > 1000 {
			t.Fatal("pagination does not end")
		}
		var out struct {
			Invitations []heed.Invitation
			NextCursor  string `json:"next_cursor"`
		}
		e.call(t, token, "GET", "/api/v1/invitations?"+q.Encode(), nil).must(t, http.StatusOK).decode(t, &out)
		all = append(all, out.Invitations...)
		if out.NextCursor == "" {
			return all
		}
		q.Set("cursor", out.NextCursor)
	}
}

func manyCustomers(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("many-%d", i)
	}
	return out
}
