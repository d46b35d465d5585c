package main

import (
	"context"
	"io"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// casesDigestCmd prints the daily digest a manager is emailed, for any
// day: to check what the morning email will say, or to read a past one.
type casesDigestCmd struct {
	LoopFlags
	For string `name:"for" required:"" placeholder:"EMAIL" help:"Whose digest: an employee's email (managers are emailed theirs each morning)."`
	Day string `name:"day" placeholder:"YYYY-MM-DD" help:"The day, in the server's time zone. Default: yesterday."`
}

func (c *casesDigestCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (cases.Digest, error) {
		d, err := l.cases.DigestFor(ctx, heed.System(), c.For, c.Day)
		return d, flagError(err, map[string]string{"for": "--for", "day": "--day"})
	}, func(w io.Writer, d cases.Digest) error {
		if _, err := io.WriteString(w, cases.DigestSubject(d)+"\n\n"); err != nil {
			return err
		}
		return cases.WriteDigest(w, d, "")
	})
}
