package survey_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/survey"
)

func TestSurveyDefaults(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 0)
	sv := f.nps(t)
	if sv.Key != "store-visit" || sv.Language != "en" || len(sv.Questions) != 0 {
		t.Fatalf("survey = %+v; want key store-visit, language en, no extra questions", sv)
	}
	for _, lang := range []string{"en", "nl", "de"} {
		if sv.Texts[lang].Score == "" || sv.Texts[lang].Reason == "" {
			t.Errorf("texts[%s] = %+v; want the default score and reason questions", lang, sv.Texts[lang])
		}
	}
	if got := sv.Texts["en"].Score; got != "How likely is it that you would recommend us to a friend or colleague?" {
		t.Errorf("English score question = %q", got)
	}
	if got := sv.Texts["en"].Reason; got != "What are the reasons behind your score?" {
		t.Errorf("English reason question = %q", got)
	}
	_, err := f.svc.CreateSurvey(t.Context(), heed.System(), heed.Survey{Kind: heed.SurveyNPS, Name: "Store visit"})
	if heed.ErrorCode(err) != heed.EConflict || heed.ErrorField(err) != "key" {
		t.Errorf("second survey with the same key: %v; want conflict on key", err)
	}
	_, err = f.svc.CreateSurvey(t.Context(), heed.System(), heed.Survey{Kind: "star", Name: "Stars"})
	if heed.ErrorField(err) != "kind" {
		t.Errorf("kind star: %v; want an error on kind", err)
	}
	_, err = f.svc.CreateSurvey(t.Context(), heed.System(), heed.Survey{Name: "Q", Questions: []heed.Question{{ID: "why", Type: heed.QuestionSingle, Options: []string{"a"}}}})
	if heed.ErrorField(err) != "questions[0].options" {
		t.Errorf("single question with one option: %v; want an error on questions[0].options", err)
	}
	analyst := heed.Principal{Kind: heed.KindEmployee, Role: heed.RoleAnalyst}
	if _, err := f.svc.CreateSurvey(t.Context(), analyst, heed.Survey{Name: "Nope"}); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("analyst creating a survey: %v; want forbidden", err)
	}
}

func TestLanguage(t *testing.T) {
	sv := heed.Survey{Language: "en", Texts: survey.DefaultTexts(heed.SurveyNPS)}
	for _, c := range []struct{ customer, accept, want string }{
		{"nl-BE", "de", "nl"},
		{"", "de-CH,de;q=0.9,en;q=0.5", "de"},
		{"fr", "", "en"},
		{"fr", "fr-FR,nl;q=0.5", "nl"},
		{"", "", "en"},
	} {
		if got := survey.Language(sv, c.customer, c.accept); got != c.want {
			t.Errorf("Language(customer %q, Accept-Language %q) = %q; want %q", c.customer, c.accept, got, c.want)
		}
	}
}

func TestAnswerThroughPersonalLink(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine, nil, 6)
			ctx := t.Context()
			sv := f.nps(t)
			res, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{
				Customers: []string{"C-00002", "C-00002", "C-99999"}, Hidden: map[string]string{"order": "A-1001"}})
			if err != nil {
				t.Fatal(err)
			}
			if res[0].URL == "" || res[1].Skipped != survey.SkipDuplicate || res[2].Skipped != survey.SkipNotFound {
				t.Fatalf("invite results = %+v", res)
			}
			token := tokenOf(t, res[0].URL)
			l, err := f.svc.OpenLink(ctx, token, "en")
			if err != nil || l.State != survey.LinkOpen || l.Invitation.Customer != "C-00002" || l.Lang != "nl" {
				t.Fatalf("OpenLink = %+v, %v; want open, customer C-00002, Dutch (the customer's language)", l, err)
			}
			if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(11)}); heed.ErrorField(err) != "score" {
				t.Errorf("score 11: %v; want an error on score", err)
			}
			long := strings.Repeat("é", survey.MaxComment+1)
			if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(9), Comment: &long}); heed.ErrorField(err) != "comment" {
				t.Errorf("comment of 5,001 characters: %v; want an error on comment", err)
			}
			if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(9), Answers: map[string][]string{"colour": {"red"}}}); heed.ErrorField(err) != "answers.colour" {
				t.Errorf("unknown question: %v; want an error on answers.colour", err)
			}
			rc, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(6)})
			if err != nil || !rc.Created || rc.Response.Score != 6 || rc.Response.Hidden["order"] != "A-1001" {
				t.Fatalf("first answer = %+v, %v", rc, err)
			}
			f.clock.Add(23 * time.Hour)
			reason := "Queue was <long>, staff friendly"
			rc2, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(8), Comment: &reason})
			if err != nil || rc2.Created || rc2.Response.ID != rc.Response.ID {
				t.Fatalf("change within 24 h = %+v, %v; want the same response updated", rc2, err)
			}
			list, err := f.svc.ListResponses(ctx, heed.System(), sv.Key, heed.ResponseFilter{})
			if err != nil || len(list) != 1 || list[0].Score != 8 || list[0].Comment != reason || list[0].Unit != "n2" {
				t.Fatalf("responses = %+v, %v; want one, score 8, the comment as typed, unit n2", list, err)
			}
			f.clock.Add(2 * time.Hour)
			if l, _ := f.svc.OpenLink(ctx, token, ""); l.State != survey.LinkClosed {
				t.Errorf("after 25 h the link is %s; want closed", l.State)
			}
			if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(10)}); !errors.Is(err, survey.ErrClosed) {
				t.Errorf("answer after 25 h: %v; want ErrClosed", err)
			}
			m, err := f.svc.Metrics(ctx, heed.System(), survey.MetricsQuery{Survey: sv.Key, Min: 1})
			if err != nil || m.Total.N != 1 || *m.Total.Passives != 1 || *m.Total.Detractors != 0 {
				t.Fatalf("metrics after a change from 6 to 8 = %+v, %v; want one passive, no detractor", m.Total, err)
			}
		})
	}
}

func TestLinkStates(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 3)
	ctx := t.Context()
	sv := f.nps(t)
	res, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: []string{"C-00001"}})
	if err != nil {
		t.Fatal(err)
	}
	if l, err := f.svc.OpenLink(ctx, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ""); err != nil || l.State != survey.LinkUnknown {
		t.Errorf("unknown token: %+v, %v; want state unknown", l.State, err)
	}
	f.clock.Add(31 * 24 * time.Hour)
	token := tokenOf(t, res[0].URL)
	if l, _ := f.svc.OpenLink(ctx, token, ""); l.State != survey.LinkExpired {
		t.Errorf("after 31 days the link is %s; want expired", l.State)
	}
	if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(10)}); !errors.Is(err, survey.ErrExpired) {
		t.Errorf("answer to an expired link: %v; want ErrExpired", err)
	}
}

func TestUnsubscribe(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 3)
	ctx := t.Context()
	sv := f.nps(t)
	res, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: []string{"C-00001"}, Channel: "email"})
	if err != nil || res[0].URL == "" {
		t.Fatalf("invite: %+v, %v", res, err)
	}
	if _, err := f.svc.Unsubscribe(ctx, tokenOf(t, res[0].URL)); err != nil {
		t.Fatal(err)
	}
	c, err := f.store.GetCustomer(ctx, heed.Scope{All: true}, "C-00001")
	if err != nil || c.Consent {
		t.Fatalf("customer after unsubscribing: consent %v, %v; want false", c.Consent, err)
	}
	again, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: []string{"C-00001"}, Channel: "email"})
	if err != nil || again[0].Skipped != survey.SkipNoConsent {
		t.Errorf("email invitation after unsubscribing: %+v, %v; want skipped no_consent", again, err)
	}
}

func TestOpenLinkAndWidget(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 0)
	ctx := t.Context()
	sv, err := f.svc.CreateSurvey(ctx, heed.System(), heed.Survey{Name: "Receipt", Kind: heed.SurveyCSAT,
		Hidden: []string{"store"}, OpenLink: true, Origins: []string{"https://shop.example"}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := f.svc.AnswerOpen(ctx, sv.Key, heed.ChannelOpen, "", map[string]string{"store": "s1", "utm_source": "receipt"}, survey.Answer{Score: ptr(4)})
	if err != nil || rc.Response.Unit != "s1" || rc.Response.Hidden["utm_source"] != "" {
		t.Fatalf("open answer = %+v, %v; want unit s1 and undeclared fields dropped", rc.Response, err)
	}
	if _, err := f.svc.AnswerOpen(ctx, sv.Key, heed.ChannelOpen, "", nil, survey.Answer{Score: ptr(6)}); heed.ErrorField(err) != "score" {
		t.Errorf("CSAT score 6: %v; want an error on score", err)
	}
	if _, err := f.svc.AnswerOpen(ctx, sv.Key, heed.ChannelWidget, "https://evil.example", nil, survey.Answer{Score: ptr(5)}); heed.ErrorCode(err) != heed.EForbidden {
		t.Errorf("widget answer from another origin: %v; want forbidden", err)
	}
	if _, err := f.svc.AnswerOpen(ctx, sv.Key, heed.ChannelWidget, "https://SHOP.example", nil, survey.Answer{Score: ptr(5)}); err != nil {
		t.Errorf("widget answer from the configured origin: %v", err)
	}
}

func TestRecordResponses(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 6)
	ctx := t.Context()
	sv := f.nps(t)
	in := []survey.ResponseInput{
		{Survey: sv.Key, Customer: "C-00001", Score: ptr(10), ExternalID: "app-1"},
		{Survey: sv.Key, Customer: "C-00002", Score: ptr(11)},
		{Survey: "nope", Score: ptr(3)},
		{Survey: sv.Key, Unit: "s1", Score: ptr(3), Answers: map[string]any{"colour": "red"}},
	}
	_, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in)
	var rows heed.RowErrors
	if !errors.As(err, &rows) || len(rows) != 3 || rows[0].Line != 2 || rows[0].Field != "score" ||
		rows[1].Field != "survey" || rows[2].Field != "answers.colour" {
		t.Fatalf("batch with three bad items: %v (%+v); want three row errors naming items 2, 3, 4 and their fields", err, rows)
	}
	if list, _ := f.svc.ListResponses(ctx, heed.System(), "", heed.ResponseFilter{}); len(list) != 0 {
		t.Fatalf("a rejected batch wrote %d responses", len(list))
	}
	recs, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in[:1])
	if err != nil || !recs[0].Created {
		t.Fatalf("good item: %+v, %v", recs, err)
	}
	in[0].Score = ptr(7)
	recs2, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in[:1])
	if err != nil || recs2[0].Created || recs2[0].ID != recs[0].ID {
		t.Fatalf("re-sent external id: %+v, %v; want the same response updated", recs2, err)
	}
	m, err := f.svc.Metrics(ctx, heed.System(), survey.MetricsQuery{Survey: sv.Key, Min: 1})
	if err != nil || m.Total.N != 1 || *m.Total.Passives != 1 {
		t.Fatalf("metrics = %+v, %v; want one passive (10 changed to 7)", m.Total, err)
	}
}

// TestReviewFixes holds the rules added after review: subject lines
// without line breaks, programs over existing units, re-sends that keep
// who and when, stale answers not blocking a change.
func TestReviewFixes(t *testing.T) {
	f := newFixture(t, "sqlite", nil, 3)
	ctx := t.Context()
	sv := f.nps(t)
	sv.Texts["en"] = heed.SurveyText{Subject: "How was it?\nTell us"}
	if _, err := f.svc.UpdateSurvey(ctx, heed.System(), sv); heed.ErrorField(err) != "texts.en.subject" {
		t.Errorf("a subject with a line break: %v; want an error on texts.en.subject", err)
	}
	for _, err := range []error{
		func() error { _, err := f.svc.CreateSurvey(ctx, heed.System(), heed.Survey{Name: "New"}); return err }(),
		func() error {
			_, err := f.svc.CreateProgram(ctx, heed.System(), heed.Program{Name: "New", Survey: sv.Key, Target: 10})
			return err
		}(),
	} {
		if heed.ErrorField(err) != "key" {
			t.Errorf("a survey or program keyed \"new\" (the page that creates one): %v; want an error on key", err)
		}
	}
	_, err := f.svc.CreateProgram(ctx, heed.System(), heed.Program{Name: "P", Survey: sv.Key, Target: 10, Units: []string{"n1", "nope"}})
	if heed.ErrorField(err) != "units[1]" {
		t.Errorf("a program over an unknown unit: %v; want an error on units[1]", err)
	}
	in := []survey.ResponseInput{{Survey: sv.Key, Customer: "C-00001", Score: ptr(9), ExternalID: "x1"}}
	if _, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in); err != nil {
		t.Fatal(err)
	}
	in[0].Customer = "C-00002"
	if _, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in); heed.ErrorField(err) != "customer" {
		t.Errorf("a re-send for another customer: %v; want an error on customer", err)
	}
	nul := "bad\x00text"
	in[0].Customer, in[0].Comment = "C-00001", nul
	if _, err := f.svc.RecordResponses(ctx, heed.System(), "", "", in); err == nil || !strings.Contains(err.Error(), "comment") {
		t.Errorf("a comment with a NUL: %v; want an error naming comment", err)
	}

	// A question answered, then removed by the admin: the respondent can
	// still change their score.
	sv2, err := f.svc.CreateSurvey(ctx, heed.System(), heed.Survey{Name: "Q", Questions: []heed.Question{{ID: "why", Type: heed.QuestionSingle, Options: []string{"a", "b"}}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Invite(ctx, heed.System(), sv2.Key, survey.InviteRequest{Customers: []string{"C-00003"}})
	if err != nil {
		t.Fatal(err)
	}
	token := tokenOf(t, res[0].URL)
	if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(5), Answers: map[string][]string{"why": {"a"}}}); err != nil {
		t.Fatal(err)
	}
	sv2.Questions = nil
	if _, err := f.svc.UpdateSurvey(ctx, heed.System(), sv2); err != nil {
		t.Fatal(err)
	}
	rc, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: ptr(8)})
	if err != nil || rc.Response.Score != 8 || rc.Response.Answers["why"] != nil {
		t.Errorf("change after the question was removed = %+v, %v; want score 8 and the stale answer dropped", rc.Response, err)
	}
}
