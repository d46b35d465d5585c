// Command heed is Heed in one binary: `heed serve` runs the web UI, the
// REST API and the job workers; `heed demo` shows it off on generated
// data; the other subcommands migrate, import and manage users, tokens
// and jobs from the operator's terminal.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/heedhq/heed"
)

func main() {
	// SIGINT and SIGTERM end ctx; `heed serve` then shuts down in order.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		printError(os.Stderr, err)
		os.Exit(1)
	}
}

// printError explains err to the operator: every row problem on its own
// line (FILE:LINE: field: problem), otherwise one line.
func printError(w io.Writer, err error) {
	var rows heed.RowErrors
	if errors.As(err, &rows) {
		for _, r := range rows {
			fmt.Fprintln(w, r.String())
		}
		fmt.Fprintf(w, "heed: %s; nothing was written\n", plural(len(rows), "problem"))
		return
	}
	fmt.Fprintln(w, "heed: "+errorText(err))
}

// errorText is the message of err as the operator should read it. Heed's
// errors say what went wrong in their message (and field); their code and
// cause are for programs and logs, and the cause goes to the debug log
// (see run). Other errors (flags, files) are worded for the operator
// already.
func errorText(err error) string {
	var he *heed.Error
	if !errors.As(err, &he) {
		return err.Error()
	}
	msg := heed.ErrorMessage(he)
	if he.Field != "" && !strings.Contains(msg, he.Field) {
		msg += " (field " + he.Field + ")"
	}
	if he.Code == heed.EInternal || he.Code == heed.EUnavailable {
		msg += " (--log-level debug shows the cause)"
	}
	return msg
}

// flagError names, in an error a service reported for one of its input
// fields, the command-line flag the operator typed instead (fail_times →
// --fail-times). flags maps a field to its flag; "events[]" stands for
// every events[i]; a flag of "" drops the field, for an argument the
// message already names. The message is rewritten only where it starts
// with the field ("fail_times must be …" → "--fail-times must be …"):
// elsewhere the field is a word of the sentence ("unknown stage "done"",
// "cannot move … to …"), and the printed error names the flag after it.
func flagError(err error, flags map[string]string) error {
	var he *heed.Error
	if !errors.As(err, &he) || he.Field == "" {
		return err
	}
	flag, ok := flags[he.Field]
	if i := strings.IndexByte(he.Field, '['); !ok && i > 0 {
		flag, ok = flags[he.Field[:i]+"[]"]
	}
	if !ok {
		return err
	}
	msg := he.Message
	if rest, found := strings.CutPrefix(msg, he.Field+" "); found && flag != "" {
		msg = flag + " " + rest
	}
	return &heed.Error{Code: he.Code, Field: flag, Message: msg, Err: he.Err}
}

// plural formats n with its noun, adding an s when n is not one.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
