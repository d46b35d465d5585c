package main

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress reports how far a long operation has come on stderr: a counter
// rewritten in place on a terminal, else a line every progressEvery rows
// (so a log file gets a few lines, and small files none).
type progress struct {
	w        io.Writer
	name     string
	terminal bool
	stage    string
	last     int       // rows reported last in this stage (lines mode)
	shown    time.Time // when the counter was drawn last (terminal mode)
	drawn    bool
}

const progressEvery = 10_000

func newProgress(w io.Writer, name string) *progress {
	return &progress{w: w, name: name, terminal: isTerminal(w)}
}

// report is called by the service with the stage ("read", "check",
// "write"), the rows done and the total when known.
func (p *progress) report(stage string, done, total int) {
	if stage != p.stage {
		p.stage, p.last = stage, 0
	}
	// The text is made only when it is shown: report is called for every
	// row, most of the time to show nothing.
	if p.terminal {
		// Redraw at most ten times a second; writing to a terminal is slow.
		if time.Since(p.shown) >= 100*time.Millisecond || done == total {
			fmt.Fprintf(p.w, "\r\033[K%s", progressText(p.name, stage, done, total))
			p.shown, p.drawn = time.Now(), true
		}
		return
	}
	if done-p.last >= progressEvery {
		fmt.Fprintln(p.w, progressText(p.name, stage, done, total))
		p.last = done
	}
}

// done ends the counter's line, so what follows starts on a new one.
func (p *progress) done() {
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

func progressText(name, stage string, done, total int) string {
	verb := stage
	switch stage {
	case "read":
		verb = "reading"
	case "check":
		verb = "checking"
	case "write":
		verb = "writing"
	}
	if total > 0 {
		return fmt.Sprintf("%s %s: %d of %d rows", verb, name, done, total)
	}
	return fmt.Sprintf("%s %s: %d rows", verb, name, done)
}

// isTerminal reports whether w is a character device, i.e. a person is
// watching rather than a file or a pipe.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
