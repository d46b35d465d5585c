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

// errorText is the message of err as the operator should read it: a
// user's mistake by its safe message (and field), anything unexpected in
// full, since the operator at the terminal may see the cause.
func errorText(err error) string {
	var he *heed.Error
	if !errors.As(err, &he) || he.Code == heed.EInternal || he.Code == heed.EUnavailable {
		return err.Error()
	}
	msg := he.Message
	if he.Field != "" && !strings.Contains(msg, he.Field) {
		msg += " (field " + he.Field + ")"
	}
	return msg
}

// plural formats n with its noun, adding an s when n is not one.
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
