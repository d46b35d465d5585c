package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/textan"
)

// textCmd groups the text commands.
type textCmd struct {
	Analyze textAnalyzeCmd `cmd:"" help:"Read one text per line on standard input; write one JSON object per line on standard output: language, sentiment, themes, sentences."`
}

type textAnalyzeCmd struct{}

// maxTextLine bounds one line of input: a text longer than this is
// surely not one piece of feedback.
const maxTextLine = 1 << 20

func (c *textAnalyzeCmd) Run(ctx context.Context, a *app) error {
	in := bufio.NewScanner(a.stdin)
	// Room for the longest line and its "\r\n"; the length is checked
	// below, so every line too long gets the same message.
	in.Buffer(make([]byte, 0, 64<<10), maxTextLine+2)
	out := bufio.NewWriterSize(a.stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	prog := newProgress(a.stderr, "standard input")
	defer prog.done()
	start, n := time.Now(), 0
	for in.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		n++
		line := in.Bytes()
		if len(line) > maxTextLine {
			out.Flush()
			return tooLong(n)
		}
		if err := enc.Encode(textan.Analyze(strings.ToValidUTF8(string(line), "\uFFFD"))); err != nil {
			return fmt.Errorf("write line %d: %w", n, err)
		}
		prog.report("analysing", n, 0)
	}
	if err := in.Err(); err != nil {
		out.Flush()
		if errors.Is(err, bufio.ErrTooLong) {
			return tooLong(n + 1)
		}
		return heed.Errorf(heed.EInvalid, "standard input line %d: %v", n+1, err)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	prog.done()
	if n >= progressEvery {
		fmt.Fprintf(a.stderr, "analysed %d texts in %s\n", n, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// tooLong refuses line n of the input.
func tooLong(n int) error {
	return heed.Errorf(heed.EInvalid, "standard input line %d: longer than %d bytes: one text per line", n, maxTextLine)
}
