package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/testdb"
	"github.com/heedhq/heed/mail/sink"
)

// sendingRun prepares a database with `invitations` program invitations
// whose emails are queued, through the CLI as an operator would.
func sendingRun(t *testing.T, bin string, env []string, invitations int) {
	t.Helper()
	dir := t.TempDir()
	var units, custs strings.Builder
	units.WriteString("key,name,parent\nco,Company,\nshop,Shop,co\n")
	custs.WriteString("external_id,name,email,unit,consent,language\n")
	for i := 1; i <= invitations; i++ {
		fmt.Fprintf(&custs, "K-%03d,Customer %d,k%d@mail.example,shop,true,en\n", i, i, i)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	heedRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("heed %s: %v\n%s", strings.Join(args, " "), err, stderrOf(err))
		}
		return string(out)
	}
	heedRun("import", "units", write("units.csv", units.String()))
	heedRun("import", "customers", write("customers.csv", custs.String()))
	heedRun("survey", "create", "--name", "Visit")
	heedRun("program", "create", "--name", "Everyone", "--survey", "visit", "--target", "1000000")
	if out := heedRun("sample", "--program", "everyone"); !strings.Contains(out, fmt.Sprintf("invited %d", invitations)) {
		t.Fatalf("heed sample printed:\n%s\nwant %d invited", out, invitations)
	}
}

// TestKillDuringSending is the promise: stopping heed serve in the
// middle of a sending run and starting it again sends every due email
// exactly once. The SMTP server takes its time with each message, so the
// stop lands while emails are in flight.
func TestKillDuringSending(t *testing.T) {
	const n = 40
	for _, engine := range testdb.Engines {
		t.Run(engine, func(t *testing.T) {
			db := "sqlite:" + testdb.SQLitePath(t)
			if engine == "postgres" {
				db = testdb.PostgresURL(t)
			}
			srv, err := sink.Start("127.0.0.1:0", sink.Delay(60*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			bin := heedBinary(t)
			env := processEnv("HEED_DB="+db, "HEED_LOG_LEVEL=warn", "HEED_SMTP="+srv.URL(), "HEED_PUBLIC_URL=http://heed.test")
			sendingRun(t, bin, env, n)

			args := []string{"serve", "--addr", "127.0.0.1:0", "--workers", "2", "--job-poll", "20ms", "--sample-every", "0"}
			first := startProcess(t, bin, env, args...)
			waitMessages(t, srv, 8)
			if err := first.stop(t); err != nil {
				t.Fatalf("heed serve did not stop cleanly: %v\n%s", err, first.stderr)
			}
			before := len(srv.Messages())
			if before >= n {
				t.Fatalf("all %d emails went out before the stop; the test proves nothing", before)
			}
			second := startProcess(t, bin, env, args...)
			waitMessages(t, srv, n)
			time.Sleep(500 * time.Millisecond) // a duplicate would arrive now
			second.stop(t)
			perRecipient := map[string]int{}
			for _, m := range srv.Messages() {
				perRecipient[m.To[0]]++
			}
			if len(srv.Messages()) != n || len(perRecipient) != n {
				t.Fatalf("%d messages to %d recipients after a stop at %d; want exactly %d, one each", len(srv.Messages()), len(perRecipient), before, n)
			}
			t.Logf("stopped after %d of %d emails; the restart sent the other %d, none twice", before, n, n-before)
			checkAllSent(t, db, n)
		})
	}
}

// TestSIGKILLDuringSending kills heed without warning. Nothing is lost: the
// jobs whose lease the dead process held run again once it expires. The
// messages the SMTP server had accepted when the process died, before it
// could record them, go out again: at most one per worker.
func TestSIGKILLDuringSending(t *testing.T) {
	const n, workers = 30, 2
	srv, err := sink.Start("127.0.0.1:0", sink.Delay(60*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db := "sqlite:" + testdb.SQLitePath(t)
	bin := heedBinary(t)
	env := processEnv("HEED_DB="+db, "HEED_LOG_LEVEL=error", "HEED_SMTP="+srv.URL(), "HEED_PUBLIC_URL=http://heed.test")
	sendingRun(t, bin, env, n)
	args := []string{"serve", "--addr", "127.0.0.1:0", "--workers", fmt.Sprint(workers), "--job-poll", "20ms",
		"--sample-every", "0", "--job-lease", "2s"}
	first := startProcess(t, bin, env, args...)
	waitMessages(t, srv, 6)
	first.cmd.Process.Signal(syscall.SIGKILL)
	<-first.waited
	first.waited <- nil
	if got := len(srv.Messages()); got >= n {
		t.Fatalf("all %d emails went out before the kill; the test proves nothing", got)
	}
	if held := runningJobs(t, db); held == 0 {
		t.Fatal("the killed process held no job; the test proves nothing about leases")
	}
	second := startProcess(t, bin, env, args...)
	waitRecipients(t, srv, n)
	waitAllSent(t, db, n) // the jobs the dead process held run after their lease
	time.Sleep(500 * time.Millisecond)
	second.stop(t)
	extra := len(srv.Messages()) - n
	if extra < 0 || extra > workers {
		t.Fatalf("%d messages for %d invitations; want each at least once and at most %d extra", len(srv.Messages()), n, workers)
	}
	t.Logf("SIGKILL mid-run: every email went out; %d sent twice (in flight when the process died)", extra)
	checkAllSent(t, db, n)
}

func waitMessages(t *testing.T, srv *sink.Server, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := srv.WaitFor(ctx, n); err != nil {
		t.Fatalf("waiting for %d emails (got %d): %v", n, len(srv.Messages()), err)
	}
}

func waitRecipients(t *testing.T, srv *sink.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		seen := map[string]bool{}
		for _, m := range srv.Messages() {
			seen[m.To[0]] = true
		}
		if len(seen) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d recipients got their email", len(seen), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitAllSent waits until every invitation is recorded as sent.
func waitAllSent(t *testing.T, db string, n int) {
	t.Helper()
	store := openTestStore(t, db)
	deadline := time.Now().Add(time.Minute)
	for {
		invs, err := store.ListInvitations(t.Context(), heed.Scope{All: true}, heed.InvitationFilter{Limit: 1000, Delivery: heed.DeliverySent})
		if err != nil {
			t.Fatal(err)
		}
		if len(invs) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d invitations sent after a minute", len(invs), n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// runningJobs counts the jobs leased by a worker (a dead process's, here).
func runningJobs(t *testing.T, db string) int {
	t.Helper()
	counts, err := openTestStore(t, db).CountJobs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return counts[heed.JobRunning]
}

// checkAllSent asserts every invitation is recorded as sent.
func checkAllSent(t *testing.T, db string, n int) {
	t.Helper()
	store := openTestStore(t, db)
	invs, err := store.ListInvitations(t.Context(), heed.Scope{All: true}, heed.InvitationFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(invs) != n {
		t.Fatalf("%d invitations; want %d", len(invs), n)
	}
	for _, inv := range invs {
		if inv.Delivery != heed.DeliverySent {
			t.Errorf("invitation %d to %s: %s; want sent", inv.ID, inv.Customer, inv.Delivery)
		}
	}
}
