package main

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's examples are run here as a reader would run them, so that
// neither the files in examples/ nor the output the README shows can rot.

// TestExamplesImport imports examples/ in the README's order on a fresh
// database, then the file with errors, with and without --skip-invalid,
// and holds each output to the block the README shows after the commands.
func TestExamplesImport(t *testing.T) {
	text := readme(t)
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			db := dbURL(t, engine)
			t.Chdir("../..") // the README's paths are relative to the repository
			for _, first := range []string{
				"heed import units examples/units.csv",
				"heed import customers examples/customers-with-errors.csv",
				"heed import customers examples/customers-with-errors.csv --skip-invalid",
			} {
				commands, want := readmeExample(t, text, first)
				var got strings.Builder
				for _, line := range commands {
					got.WriteString(terminalOutput(heedRun(t, env{}, "", commandArgs(t, line, db)...)))
				}
				if got.String() != want {
					t.Errorf("the README shows, after\n%s\n\n%s\nbut heed printed\n\n%s", strings.Join(commands, "\n"), want, got.String())
				}
			}
		})
	}
}

// readmeExample returns the commands of the README's sh block that
// starts with first, and the block after it: what they print.
func readmeExample(t *testing.T, text, first string) (commands []string, output string) {
	t.Helper()
	blocks := fencedBlocks(text)
	for i, b := range blocks {
		if strings.HasPrefix(b, first+"\n") && i+1 < len(blocks) {
			return strings.Split(strings.TrimSuffix(b, "\n"), "\n"), blocks[i+1]
		}
	}
	t.Fatalf("the README has no code block starting with %q followed by its output", first)
	return nil, ""
}

// fencedBlocks returns the content of every ``` block of a Markdown text.
func fencedBlocks(text string) []string {
	var blocks []string
	var cur *strings.Builder
	for line := range strings.Lines(text) {
		switch {
		case strings.HasPrefix(line, "```") && cur == nil:
			cur = &strings.Builder{}
		case strings.HasPrefix(line, "```"):
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line)
		}
	}
	return blocks
}

// commandArgs turns a README line "heed import … # comment" into heed's
// arguments, on the test's database.
func commandArgs(t *testing.T, line, db string) []string {
	t.Helper()
	line, _, _ = strings.Cut(line, "#")
	args := strings.Fields(line)
	if len(args) == 0 || args[0] != "heed" {
		t.Fatalf("README line %q is not a heed command", line)
	}
	return append(args[1:], "--db", db)
}

// terminalOutput is what a terminal shows of a run, in the order heed
// writes it: stderr (progress, skipped rows) before the summary on stdout,
// then the error main prints.
func terminalOutput(r result) string {
	var b bytes.Buffer
	b.WriteString(r.stderr)
	b.WriteString(r.stdout)
	if r.err != nil {
		printError(&b, r.err)
	}
	return b.String()
}

// checkREADMEAPIExamples runs the README's REST API block against a demo
// serving at url from the database db: the token command as written (on
// db instead of ./heed-data/demo.db), then every curl, each of which must
// succeed.
func checkREADMEAPIExamples(t *testing.T, url, db string) {
	t.Helper()
	const first = "TOKEN=$(heed token create --db sqlite:./heed-data/demo.db"
	var block string
	for _, b := range fencedBlocks(readme(t)) {
		if strings.HasPrefix(b, first) {
			block = b
		}
	}
	if block == "" {
		t.Fatalf("the README has no API example block starting with %q", first)
	}
	// The import example uploads a customers.csv of the reader's own.
	files := t.TempDir()
	upload := "external_id,name,unit\nC-1003,Fay Field,store-manchester-arndale\n"
	if err := os.WriteFile(filepath.Join(files, "customers.csv"), []byte(upload), 0o600); err != nil {
		t.Fatal(err)
	}
	vars, curls := map[string]string{}, 0
	for _, line := range logicalLines(block) {
		words := shellWords(line, vars)
		switch {
		case len(words) == 0:
		case strings.HasPrefix(line, "TOKEN=$("):
			cmd := strings.TrimSuffix(strings.TrimPrefix(line, "TOKEN=$("), ")")
			args := strings.Fields(strings.ReplaceAll(cmd, "sqlite:./heed-data/demo.db", db))
			vars["TOKEN"] = strings.TrimSpace(mustRun(t, env{}, "", args[1:]...).stdout)
		case len(words) == 1 && strings.Contains(words[0], "="):
			name, value, _ := strings.Cut(words[0], "=")
			vars[name] = value
		case words[0] == "curl":
			curls++
			if status, body := curl(t, url, files, words[1:]); status/100 != 2 {
				t.Errorf("README example\n%s\nanswered %d: %s", line, status, body)
			}
		default:
			t.Errorf("README API example line not understood: %s", line)
		}
	}
	if curls < 5 || vars["TOKEN"] == "" {
		t.Errorf("ran %d curl examples with token %q; the README block was not read", curls, vars["TOKEN"])
	}
}

// logicalLines joins lines continued with a backslash.
func logicalLines(block string) []string {
	var out []string
	var cur strings.Builder
	for line := range strings.Lines(block) {
		line = strings.TrimRight(line, "\n")
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(cont)
			continue
		}
		cur.WriteString(line)
		out = append(out, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	return out
}

// shellWords splits a command line as sh would for the README's needs:
// single quotes, double quotes with $VAR, bare $VAR, # comments.
func shellWords(line string, vars map[string]string) []string {
	var words []string
	var w strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote == '\'' && c == '\'', quote == '"' && c == '"':
			quote = 0
		case quote == '\'':
			w.WriteByte(c)
		case c == '$' && quote != '\'' && i+1 < len(line) && isVarChar(line[i+1]):
			j := i + 1
			for j < len(line) && isVarChar(line[j]) {
				j++
			}
			w.WriteString(vars[line[i+1:j]])
			inWord, i = true, j-1
		case quote == '"':
			w.WriteByte(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == '#' && !inWord:
			return words
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

func isVarChar(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// curl does what curl does with the options the README uses (-H, -X,
// -d, --data-binary @FILE) against the server at base instead of
// localhost:8080, and returns the status and body.
func curl(t *testing.T, base, files string, args []string) (int, string) {
	t.Helper()
	method, target := "", ""
	header := http.Header{}
	var body io.Reader
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			target = a
			continue
		}
		if i+1 >= len(args) {
			t.Fatalf("curl option %s without a value", a)
		}
		i++
		switch v := args[i]; a {
		case "-H":
			name, value, _ := strings.Cut(v, ":")
			header.Add(name, strings.TrimSpace(value))
		case "-X":
			method = v
		case "-d":
			body = strings.NewReader(v)
			header.Set("Content-Type", cmp.Or(header.Get("Content-Type"), "application/x-www-form-urlencoded"))
		case "--data-binary":
			b, err := os.ReadFile(filepath.Join(files, strings.TrimPrefix(v, "@")))
			if err != nil {
				t.Fatal(err)
			}
			body = bytes.NewReader(b)
			header.Set("Content-Type", cmp.Or(header.Get("Content-Type"), "application/x-www-form-urlencoded"))
		default:
			t.Fatalf("curl option %s is not one the README test knows", a)
		}
	}
	switch {
	case method != "":
	case body != nil:
		method = http.MethodPost
	default:
		method = http.MethodGet
	}
	url := strings.Replace(target, "localhost:8080", strings.TrimPrefix(base, "http://"), 1)
	req, err := http.NewRequest(method, "http://"+url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, fmt.Sprintf("%.300s", b)
}
