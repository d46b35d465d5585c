package main

import (
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestHelpExplainsEveryFlag checks, for every command, that `heed CMD -h`
// and `heed help CMD` name each of its flags with its environment
// variable, and its arguments.
func TestHelpExplainsEveryFlag(t *testing.T) {
	parser, err := newParser(&cli{}, env{}.get, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range parser.Model.Leaves(true) {
		path := strings.Fields(cmd.Path())
		t.Run(strings.Join(path, "_"), func(t *testing.T) {
			r := mustRun(t, env{}, "", append(path, "-h")...)
			help := r.stdout
			if !strings.Contains(help, "Usage: heed "+strings.Join(path, " ")) {
				t.Errorf("heed %s -h does not start with its usage:\n%s", strings.Join(path, " "), help)
			}
			for _, group := range cmd.AllFlags(true) {
				for _, f := range group {
					if !strings.Contains(help, "--"+f.Name) && !strings.Contains(help, "--[no-]"+f.Name) {
						t.Errorf("help does not name --%s:\n%s", f.Name, help)
					}
					for _, e := range f.Envs {
						if !strings.Contains(help, "$"+e) {
							t.Errorf("help does not name --%s's variable %s:\n%s", f.Name, e, help)
						}
					}
					if f.Help == "" {
						t.Errorf("--%s has no help text", f.Name)
					}
				}
			}
			for _, p := range cmd.Positional {
				if !strings.Contains(help, "<"+p.Name+">") {
					t.Errorf("help does not name the argument <%s>:\n%s", p.Name, help)
				}
			}
			if byHelp := mustRun(t, env{}, "", append([]string{"help"}, path...)...); byHelp.stdout != help {
				t.Errorf("heed help %s differs from heed %s -h", strings.Join(path, " "), strings.Join(path, " "))
			}
		})
	}
}

// TestHelpListsCommands checks that `heed` and `heed help` list every
// command.
func TestHelpListsCommands(t *testing.T) {
	for _, args := range [][]string{nil, {"help"}, {"--help"}} {
		r := mustRun(t, env{}, "", args...)
		for _, cmd := range []string{"serve", "demo", "migrate", "import", "user add", "user passwd",
			"token create", "token list", "token revoke", "jobs list", "jobs retry", "jobs enqueue-test", "version"} {
			if !strings.Contains(r.stdout, cmd) {
				t.Errorf("heed %s does not list %q:\n%s", strings.Join(args, " "), cmd, r.stdout)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, "unexpected argument frobnicate"},
		{[]string{"import", "pets", "x.csv"}, "must be one of"},
		{[]string{"user", "add", "--email", "a@example.com"}, "--role"},
		{[]string{"--log-format", "xml", "version"}, "must be one of"},
	} {
		r := heedRun(t, env{}, "", tc.args...)
		if r.err == nil || !strings.Contains(r.output(), tc.want) {
			t.Errorf("heed %s: got error %v, want one mentioning %q", strings.Join(tc.args, " "), r.err, tc.want)
		}
	}
	r := heedRun(t, env{"HEED_LOG_FORMAT": "xml"}, "", "version")
	if r.err == nil || !strings.Contains(r.err.Error(), "HEED_LOG_FORMAT") && !strings.Contains(r.err.Error(), "must be one of") {
		t.Errorf("HEED_LOG_FORMAT=xml heed version: got error %v, want it refused", r.err)
	}
}

func TestVersion(t *testing.T) {
	r := mustRun(t, env{}, "", "version")
	if !regexp.MustCompile(`^heed \S+ \(go1\.`).MatchString(r.stdout) {
		t.Errorf("heed version printed %q", r.stdout)
	}
}

// TestMigrate checks that migrate reports the schema version, creates the
// SQLite folder, and is a no-op the second time; and that --db beats
// HEED_DB.
func TestMigrate(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := dbURL(t, engine)
			first := mustRun(t, env{"HEED_DB": db}, "", "migrate")
			if !regexp.MustCompile(`^schema version [1-9]\d*\n$`).MatchString(first.stdout) {
				t.Fatalf("heed migrate printed %q, want \"schema version N\"", first.stdout)
			}
			again := mustRun(t, env{"HEED_DB": "sqlite:/nonexistent/dir/x.db"}, "", "migrate", "--db", db)
			if again.stdout != first.stdout {
				t.Errorf("second migrate printed %q, first %q", again.stdout, first.stdout)
			}
		})
	}
}

func TestBadDatabaseURL(t *testing.T) {
	r := heedRun(t, env{}, "", "migrate", "--db", "mysql://root:hunter2@localhost/heed")
	if r.err == nil || !strings.Contains(r.output(), "sqlite:PATH or postgres://") {
		t.Fatalf("migrate with a MySQL URL: %v", r.err)
	}
	if strings.Contains(r.output(), "hunter2") {
		t.Errorf("the error shows the database password: %s", r.output())
	}
}

// TestHelpShowsDefaults checks that every command's help shows each
// flag's default, and that serve's and demo's flags without one say what
// happens when they are left out.
func TestHelpShowsDefaults(t *testing.T) {
	parser, err := newParser(&cli{}, env{}.get, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range parser.Model.Leaves(true) {
		path := strings.Fields(cmd.Path())
		help := mustRun(t, env{}, "", append([]string{"help"}, path...)...).stdout
		serving := path[0] == "serve" || path[0] == "demo"
		for _, group := range cmd.AllFlags(true) {
			for _, f := range group {
				switch {
				case f.Default != "":
					if !strings.Contains(help, "--"+f.Name+"="+f.Default) && !strings.Contains(help, "--"+f.Name+`="`+f.Default+`"`) {
						t.Errorf("heed help %s does not show --%s's default %q:\n%s", cmd.Path(), f.Name, f.Default, help)
					}
				case serving && f.Name != "help" && !strings.Contains(f.Help, "Default:"):
					t.Errorf("heed help %s: --%s has no default and does not say what happens without it", cmd.Path(), f.Name)
				}
			}
		}
	}
}

// TestErrorMessages checks what the operator reads when a command fails:
// the message of the error, naming the flag they typed, without the
// error's code or cause; the cause only with --log-level debug.
func TestErrorMessages(t *testing.T) {
	db := dbURL(t, "sqlite")
	empty := writeFile(t, "empty.csv", "")
	down := "postgres://heed:secret@127.0.0.1:1/heed" // nothing listens on port 1
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "customers", empty, "--db", db}, "heed: " + empty + ": the file is empty\n"},
		{[]string{"jobs", "enqueue-test", "--fail-times", "101", "--db", db}, "heed: --fail-times must be between 0 and 100\n"},
		{[]string{"jobs", "enqueue-test", "--sleep-ms", "-1", "--db", db}, "heed: --sleep-ms must be between 0 and 60000\n"},
		{[]string{"jobs", "enqueue-test", "--count", "-3", "--db", db}, "heed: --count must be at least 1\n"},
		{[]string{"jobs", "list", "--limit", "0", "--db", db}, "heed: --limit must be between 1 and 1000\n"},
		{[]string{"jobs", "list", "--db", down}, "heed: cannot reach the database postgres://heed:xxxxx@127.0.0.1:1/heed (--log-level debug shows the cause)\n"},
	} {
		r := heedRun(t, env{}, "", tc.args...)
		if r.err == nil || r.output() != tc.want {
			t.Errorf("heed %s:\n got %q (err %v)\nwant %q", strings.Join(tc.args, " "), r.output(), r.err, tc.want)
		}
	}
	if base := os.Getenv("HEED_TEST_POSTGRES"); base != "" {
		// The server answers, with a reason the operator needs to fix --db.
		u, _ := url.Parse(base)
		u.User = url.User("nouser")
		r := heedRun(t, env{}, "", "jobs", "list", "--db", u.String())
		if r.err == nil || !strings.Contains(r.output(), `refused: role "nouser" does not exist`) {
			t.Errorf("unknown role: got %q, want the server's reason", r.output())
		}
	}
	r := heedRun(t, env{}, "", "jobs", "list", "--db", down, "--log-level", "debug")
	if r.err == nil || !strings.Contains(r.stderr, "level=DEBUG") || !strings.Contains(r.stderr, "127.0.0.1:1") || strings.Contains(r.stderr, "secret") {
		t.Errorf("--log-level debug does not log the cause (or shows the password):\n%s", r.output())
	}
}
