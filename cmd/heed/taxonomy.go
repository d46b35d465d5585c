package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
	"github.com/heedhq/heed/textan"
)

// taxonomyCmd groups the commands of the organisation's theme taxonomy.
type taxonomyCmd struct {
	Show  taxonomyShowCmd  `cmd:"" help:"Print the themes feedback is read with, their version, and how far the re-reading of past feedback has come."`
	Set   taxonomySetCmd   `cmd:"" help:"Replace the themes with those of a JSON file (a list of {key, name, terms}, or what show --json prints); past feedback is re-read in the background."`
	Reset taxonomyResetCmd `cmd:"" help:"Go back to the default themes; past feedback is re-read in the background."`
}

type taxonomyShowCmd struct {
	LoopFlags
}

func (c *taxonomyShowCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (feedback.TaxonomyView, error) {
		return l.feedback.Taxonomy(ctx, heed.System())
	}, printTaxonomy)
}

type taxonomySetCmd struct {
	LoopFlags
	File string `arg:"" type:"existingfile" help:"A JSON file of themes."`
}

func (c *taxonomySetCmd) Run(ctx context.Context, a *app) error {
	raw, err := os.ReadFile(c.File)
	if err != nil {
		return err
	}
	themes, err := parseThemes(raw)
	if err != nil {
		return heed.Errorf(heed.EInvalid, "%s: %v", c.File, err)
	}
	return saveTaxonomy(ctx, a, c.LoopFlags, func(l loop, version int) (feedback.TaxonomyView, error) {
		return l.feedback.SaveTaxonomy(ctx, heed.System(), themes, version)
	})
}

type taxonomyResetCmd struct {
	LoopFlags
}

func (c *taxonomyResetCmd) Run(ctx context.Context, a *app) error {
	return saveTaxonomy(ctx, a, c.LoopFlags, func(l loop, version int) (feedback.TaxonomyView, error) {
		return l.feedback.ResetTaxonomy(ctx, heed.System(), version)
	})
}

// saveTaxonomy saves over the version stored now: the operator at the
// CLI means to replace whatever is there.
func saveTaxonomy(ctx context.Context, a *app, f LoopFlags, save func(loop, int) (feedback.TaxonomyView, error)) error {
	return show(ctx, a, f, func(l loop) (feedback.TaxonomyView, error) {
		cur, err := l.feedback.Taxonomy(ctx, heed.System())
		if err != nil {
			return cur, err
		}
		return save(l, cur.Version)
	}, func(w io.Writer, v feedback.TaxonomyView) error {
		_, err := fmt.Fprintf(w, "taxonomy version %d saved: %d themes; re-analysis queued (%d items; heed serve runs it)\n",
			v.Version, len(v.Themes), v.Reread.Total)
		return err
	})
}

// parseThemes reads a list of themes, or an object with one (what show
// --json prints); fields it does not know are ignored, so what show
// --json printed can be edited and passed back as it is.
func parseThemes(raw []byte) ([]textan.Theme, error) {
	var themes []textan.Theme
	var target any = &themes
	var wrapped struct {
		Themes []textan.Theme `json:"themes"`
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		target = &wrapped
	}
	if err := json.Unmarshal(raw, target); err != nil {
		return nil, err
	}
	if target == &wrapped {
		themes = wrapped.Themes
	}
	return themes, nil
}

// printTaxonomy writes the version, the progress and a theme per line.
func printTaxonomy(w io.Writer, v feedback.TaxonomyView) error {
	switch {
	case v.Version == 0:
		fmt.Fprintln(w, "default themes (never changed)")
	case v.Default:
		fmt.Fprintf(w, "version %d: default themes, reset by %s at %s\n", v.Version, v.UpdatedBy, v.UpdatedAt.Local().Format(time.DateTime))
	default:
		fmt.Fprintf(w, "version %d, saved by %s at %s\n", v.Version, v.UpdatedBy, v.UpdatedAt.Local().Format(time.DateTime))
	}
	if r := v.Reread; r != nil && r.FinishedAt == nil {
		fmt.Fprintf(w, "re-reading past feedback: %d of %d items\n", r.Done, r.Total)
	} else if r != nil {
		fmt.Fprintf(w, "past feedback re-read: %d items, finished %s\n", r.Done, r.FinishedAt.Local().Format(time.DateTime))
	}
	fmt.Fprintln(w)
	tw := newTable(w, "KEY\tNAME\tTERMS")
	for _, th := range v.Themes {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", th.Key, th.Name, strings.Join(th.Terms, ", "))
	}
	return tw.Flush()
}
