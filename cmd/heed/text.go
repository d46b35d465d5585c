package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	in := bufio.NewReaderSize(a.stdin, 64<<10)
	out := bufio.NewWriterSize(a.stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	prog := newProgress(a.stderr, "standard input")
	defer prog.done()
	start, n := time.Now(), 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := readLine(in)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			out.Flush()
			return heed.Errorf(heed.EInvalid, "standard input line %d: %v", n+1, err)
		}
		n++
		if err := enc.Encode(textan.Analyze(strings.ToValidUTF8(line, "\uFFFD"))); err != nil {
			return fmt.Errorf("write line %d: %w", n, err)
		}
		prog.report("analysing", n, 0)
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

// readLine reads one line without its end ("\n" or "\r\n"); io.EOF only
// when nothing is left.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, isPrefix, err := r.ReadLine()
		b.Write(chunk)
		if b.Len() > maxTextLine {
			return "", fmt.Errorf("longer than %d bytes: one text per line", maxTextLine)
		}
		if err != nil {
			if errors.Is(err, io.EOF) && b.Len() > 0 {
				return b.String(), nil
			}
			return "", err
		}
		if !isPrefix {
			return b.String(), nil
		}
	}
}
