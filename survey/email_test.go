package survey_test

import (
	"context"
	"io"
	"log/slog"

	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
	"github.com/heedhq/heed/mail/sink"
	"github.com/heedhq/heed/survey"
)

// mailer connects the service to a real SMTP server started by the test.
func mailer(t *testing.T, opts ...sink.Option) (*sink.Server, mail.Sender) {
	t.Helper()
	srv, err := sink.Start("127.0.0.1:0", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cfg, err := mail.ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	m, err := mail.NewSMTP(cfg, "Northwind <survey@northwind.example>")
	if err != nil {
		t.Fatal(err)
	}
	return srv, m
}

// runPool runs a job pool with the survey handlers until the test ends.
func runPool(t *testing.T, f *fixture) {
	t.Helper()
	pool := jobs.NewPool(f.store, jobs.PoolConfig{Workers: 4, PollInterval: 20 * time.Millisecond,
		BackoffBase: 20 * time.Millisecond, Now: f.clock.Now}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.svc.RegisterJobs(pool)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- pool.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

var scoreLink = regexp.MustCompile(`(http://heed\.test/s/[A-Za-z0-9_-]+)\?score=(\d+)`)

func TestProgramEmailsEndToEnd(t *testing.T) {
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			srv, m := mailer(t, sink.FailNext(3, 451)) // the first three sends are refused for now
			f := newFixture(t, engine, m, 300)
			f.clock.Live()
			ctx := t.Context()
			sv := f.nps(t)
			pr, err := f.svc.CreateProgram(ctx, heed.System(), heed.Program{Name: "Visits", Survey: sv.Key, Target: 3000, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := f.svc.Sample(ctx, heed.System(), pr.Key, false)
			if err != nil || rep.Invited == 0 || rep.Invited != len(rep.Chosen) {
				t.Fatalf("program run = %+v, %v; want some invitations", rep, err)
			}
			again, err := f.svc.Sample(ctx, heed.System(), pr.Key, false)
			if err != nil || again.Invited != 0 || again.PeriodSoFar != rep.Invited {
				t.Fatalf("second run the same day = %+v, %v; want nobody new", again, err)
			}
			runPool(t, f)
			msgs, err := srv.WaitFor(waitCtx(t), rep.Invited)
			if err != nil {
				t.Fatalf("waiting for %d invitations: %v", rep.Invited, err)
			}
			time.Sleep(300 * time.Millisecond) // a duplicate would arrive now
			msgs = srv.Messages()
			if len(msgs) != rep.Invited {
				t.Fatalf("%d messages for %d invitations; want exactly one each", len(msgs), rep.Invited)
			}
			byTo := map[string]bool{}
			for _, msg := range msgs {
				if byTo[msg.To[0]] {
					t.Fatalf("%s got two invitations", msg.To[0])
				}
				byTo[msg.To[0]] = true
			}
			msg := msgs[0]
			if !strings.HasPrefix(msg.Header.Get("List-Unsubscribe"), "<http://heed.test/s/") ||
				msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
				t.Errorf("unsubscribe headers: %q, %q", msg.Header.Get("List-Unsubscribe"), msg.Header.Get("List-Unsubscribe-Post"))
			}
			links := scoreLink.FindAllStringSubmatch(msg.Text, -1)
			if len(links) != 11 || !strings.Contains(msg.HTML, "?score=10") {
				t.Fatalf("the email has %d score links in its text part; want 0–10:\n%s", len(links), msg.Text)
			}
			// One click: the link of score 9 opens this customer's survey.
			token := tokenOf(t, links[9][1])
			l, err := f.svc.OpenLink(ctx, token, "")
			if err != nil || l.State != survey.LinkOpen {
				t.Fatalf("the link in the email: %+v, %v", l, err)
			}
			c, err := f.store.GetCustomer(ctx, heed.Scope{All: true}, l.Invitation.Customer)
			if err != nil || c.Email != msg.To[0] || l.Survey.Key != sv.Key {
				t.Fatalf("the link opens %s's %s survey; the email went to %s", c.Email, l.Survey.Key, msg.To[0])
			}
			score, _ := strconv.Atoi(links[9][2])
			reason := "Great advice on boots"
			if _, err := f.svc.AnswerLink(ctx, token, survey.Answer{Score: &score, Comment: &reason}); err != nil {
				t.Fatal(err)
			}
			thanks, err := srv.WaitFor(waitCtx(t), rep.Invited+1)
			if err != nil {
				t.Fatal(err)
			}
			if last := thanks[len(thanks)-1]; last.To[0] != c.Email || !strings.Contains(last.Text, survey.Texts(sv, l.Lang).Thanks) {
				t.Errorf("thank-you email to %v: %q", last.To, last.Text)
			}
			invs, err := f.svc.ListInvitations(ctx, heed.System(), "", pr.Key, heed.InvitationFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, inv := range invs {
				if inv.Delivery != heed.DeliverySent || inv.SentAt == nil {
					t.Fatalf("invitation %d: delivery %s; want sent", inv.ID, inv.Delivery)
				}
			}
		})
	}
}

func TestBouncedInvitationAndReminders(t *testing.T) {
	srv, m := mailer(t, sink.RejectRecipient("c1@mail.example", 550))
	f := newFixture(t, "sqlite", m, 3)
	f.clock.Live()
	ctx := t.Context()
	sv := f.nps(t)
	res, err := f.svc.Invite(ctx, heed.System(), sv.Key, survey.InviteRequest{Customers: []string{"C-00001", "C-00002", "C-00003"}, Channel: "email"})
	if err != nil {
		t.Fatal(err)
	}
	runPool(t, f)
	if _, err := srv.WaitFor(waitCtx(t), 2); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the bounce to be recorded", func() bool {
		inv, err := f.store.GetInvitation(ctx, res[0].InvitationID)
		return err == nil && inv.Delivery == heed.DeliveryBounced && strings.Contains(inv.Error, "550")
	})
	// C-00002 answers; three days later only C-00003 is reminded.
	if _, err := f.svc.AnswerLink(ctx, tokenOf(t, res[1].URL), survey.Answer{Score: ptr(10)}); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(3*24*time.Hour + time.Minute)
	msgs, err := srv.WaitFor(waitCtx(t), 4) // 2 invitations, 1 thank-you, 1 reminder
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	msgs = srv.Messages()
	var reminders []string
	for _, msg := range msgs {
		if msg.Subject == survey.Texts(sv, "de").Reminder {
			reminders = append(reminders, msg.To[0])
		}
	}
	if len(msgs) != 4 || len(reminders) != 1 || reminders[0] != "c3@mail.example" {
		t.Fatalf("%d messages, reminders to %v; want 4 and one reminder to c3 (German: %q)", len(msgs), reminders, survey.Texts(sv, "de").Reminder)
	}
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
