package main

import (
	"io"
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
