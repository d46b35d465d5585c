package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// The inbound commands: the URLs other systems post their own JSON to,
// each with a mapping from that JSON to feedback items (see feedback's
// inbound.go).

// inboundCmd groups the inbound commands.
type inboundCmd struct {
	Add    inboundAddCmd    `cmd:"" help:"Add an inbound source and print its URL and secret, the secret only this once."`
	List   inboundListCmd   `cmd:"" help:"List the inbound sources."`
	Show   inboundShowCmd   `cmd:"" help:"Print an inbound source: its URL, mapping and fixed values."`
	Update inboundUpdateCmd `cmd:"" help:"Change an inbound source's mapping, values or settings, switch it off or on, or give it a new secret."`
	Delete inboundDeleteCmd `cmd:"" help:"Delete an inbound source; its URL refuses calls from then on, the items it brought in stay."`
	Test   inboundTestCmd   `cmd:"" help:"Map a sample document as the source would and print the items it would make; writes nothing."`
}

// InboundFlags are what the commands that print a source's URL need
// besides the database.
type InboundFlags struct {
	LoopFlags
	PublicURL string `name:"public-url" env:"HEED_PUBLIC_URL" placeholder:"URL" help:"Address the other systems reach Heed at; the source's URL starts with it. Default: http://localhost:8080."`
}

// showSource is show for a command that prints one source with its URL.
func showSource(ctx context.Context, a *app, f InboundFlags, call func(loop) (heed.InboundSource, error),
	text func(io.Writer, heed.InboundSource, string) error) error {
	store, l, err := openServices(ctx, a, f.DB, f.PublicURL)
	if err != nil {
		return err
	}
	defer store.Close()
	src, err := call(l)
	switch {
	case err != nil:
		return err
	case f.JSON:
		return printJSON(a.stdout, src)
	}
	return text(a.stdout, src, l.surveys.PublicURL()+"/api/v1/inbound/"+src.Key)
}

// MappingFlags set a source's mapping and fixed values.
type MappingFlags struct {
	Map   []string `name:"map" placeholder:"FIELD=PATH" sep:"none" help:"Read FIELD from PATH in the posted JSON: keys and array indexes joined by dots, a trailing ? if it may be missing; repeat it, as in --map external_id=ticket.id --map text=ticket.description --map email=ticket.requester.email?. Fields: external_id and text (or turns) are required; title, rating, at, customer, email, author, unit, language, platform, kind."`
	Set   []string `name:"set" placeholder:"FIELD=VALUE" sep:"none" help:"Give FIELD the same value on every item, as in --set platform=trustpilot; repeat it."`
	Items string   `name:"items" placeholder:"PATH" help:"The path of an array in the posted JSON each element of which is one item (paths in --map are then inside the element). Default: the JSON is one item, or, an array, its elements are."`
}

// pairs adds FIELD=VALUE flags to m (a copy), the flag named in errors.
func pairs(flag string, m map[string]string, flags []string) (map[string]string, error) {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	for _, p := range flags {
		field, value, ok := strings.Cut(p, "=")
		field = strings.ToLower(strings.TrimSpace(field))
		if !ok || field == "" || strings.TrimSpace(value) == "" {
			return nil, heed.Errorf(heed.EInvalid, "%s %q: want FIELD=VALUE, as in %s text=ticket.description", flag, p, flag)
		}
		out[field] = value
	}
	return out, nil
}

type inboundAddCmd struct {
	InboundFlags
	MappingFlags
	Key      string `arg:"" name:"key" help:"The source's key (a-z, 0-9, _ and -): its URL ends /api/v1/inbound/KEY."`
	Kind     string `name:"kind" required:"" enum:"review,ticket,transcript,social,complaint,interview,note" help:"The kind of its items: review, ticket, transcript, social, complaint, interview or note."`
	Name     string `name:"name" help:"What the source is, for people. Default: the key."`
	System   string `name:"system" help:"The source stored on its items (zendesk, trustpilot, …); items are updated by it and their external_id. Default: the key."`
	Inactive bool   `name:"inactive" help:"Add it switched off: it refuses calls until switched on."`
}

func (c *inboundAddCmd) Run(ctx context.Context, a *app) error {
	mapping, err := pairs("--map", nil, c.Map)
	if err != nil {
		return err
	}
	fixed, err := pairs("--set", nil, c.Set)
	if err != nil {
		return err
	}
	return showSource(ctx, a, c.InboundFlags, func(l loop) (heed.InboundSource, error) {
		src, err := l.feedback.CreateSource(ctx, heed.System(), heed.InboundSource{Key: c.Key, Name: c.Name,
			Kind: heed.FeedbackKind(c.Kind), System: c.System, Active: !c.Inactive, Mapping: mapping, Fixed: fixed, Items: c.Items})
		return src, sourceFlagError(err)
	}, func(out io.Writer, src heed.InboundSource, url string) error {
		fmt.Fprintf(out, "inbound source %s added: %ss from %s (active %v)\n", src.Key, src.Kind, src.System, src.Active)
		fmt.Fprintf(out, "url:    %s\n", url)
		fmt.Fprintf(out, "secret: %s\n", src.Secret)
		_, err := fmt.Fprintln(out, "Keep the secret now: callers send it as \"Authorization: Bearer <secret>\" or sign with it "+
			"(Standard Webhooks), and it is not shown again.")
		return err
	})
}

// sourceFlagError names the flags in the service's errors about fields.
func sourceFlagError(err error) error {
	field := heed.ErrorField(err)
	flag := map[string]string{"key": "", "kind": "--kind", "system": "--system", "items": "--items", "mapping": "--map", "fixed": "--set"}[field]
	switch {
	case strings.HasPrefix(field, "mapping."):
		flag = "--map"
	case strings.HasPrefix(field, "fixed."):
		flag = "--set"
	}
	if flag == "" {
		return err
	}
	return flagError(err, map[string]string{field: flag})
}

type inboundListCmd struct{ LoopFlags }

func (c *inboundListCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.InboundSource, error) {
		return l.feedback.ListSources(ctx, heed.System())
	}, func(out io.Writer, list []heed.InboundSource) error {
		tw := newTable(out, "KEY\tNAME\tKIND\tSYSTEM\tACTIVE\tITEMS\tMAPPED")
		for _, src := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\t%s\n", src.Key, firstLine(src.Name, 30), src.Kind, src.System, src.Active,
				orDash(src.Items), strings.Join(slices.Sorted(maps.Keys(src.Mapping)), ","))
		}
		return tw.Flush()
	})
}

type inboundShowCmd struct {
	InboundFlags
	Key string `arg:"" name:"key" help:"The source's key (see heed inbound list)."`
}

func (c *inboundShowCmd) Run(ctx context.Context, a *app) error {
	return showSource(ctx, a, c.InboundFlags, func(l loop) (heed.InboundSource, error) {
		return l.feedback.GetSource(ctx, heed.System(), c.Key)
	}, printSource)
}

// printSource writes a source, its mapping and fixed values one a line.
func printSource(out io.Writer, src heed.InboundSource, url string) error {
	fmt.Fprintf(out, "%s  %s\n", src.Key, src.Name)
	fmt.Fprintf(out, "url:     %s\n", url)
	fmt.Fprintf(out, "kind:    %s\nsystem:  %s\nactive:  %v\nitems:   %s\n", src.Kind, src.System, src.Active, orDash(src.Items))
	for _, field := range feedback.InboundFields() {
		if p, ok := src.Mapping[field]; ok {
			fmt.Fprintf(out, "map      %s=%s\n", field, p)
		}
	}
	for _, field := range feedback.InboundFields() {
		if v, ok := src.Fixed[field]; ok {
			fmt.Fprintf(out, "set      %s=%s\n", field, v)
		}
	}
	return nil
}

type inboundUpdateCmd struct {
	InboundFlags
	MappingFlags
	Key          string   `arg:"" name:"key" help:"The source's key (see heed inbound list)."`
	Kind         *string  `name:"kind" enum:"review,ticket,transcript,social,complaint,interview,note" help:"A new kind of its items."`
	Name         *string  `name:"name" help:"A new name."`
	System       *string  `name:"system" help:"A new system stored on its items (the items already in keep theirs)."`
	Unmap        []string `name:"unmap" placeholder:"FIELD" help:"Stop reading FIELD from the JSON; repeat it."`
	Unset        []string `name:"unset" placeholder:"FIELD" help:"Drop FIELD's fixed value; repeat it."`
	NoItems      bool     `name:"no-items" help:"Read the JSON as one item again (drop --items)."`
	Active       *bool    `name:"active" negatable:"" help:"Switch it on (--active) or off (--no-active): switched off, it refuses calls."`
	RotateSecret bool     `name:"rotate-secret" help:"Give it a new secret, printed this once; the old one stops working at once."`
}

func (c *inboundUpdateCmd) Run(ctx context.Context, a *app) error {
	return showSource(ctx, a, c.InboundFlags, func(l loop) (heed.InboundSource, error) {
		src, err := l.feedback.GetSource(ctx, heed.System(), c.Key)
		if err != nil {
			return src, err
		}
		if err := c.apply(&src); err != nil {
			return src, err
		}
		src, err = l.feedback.UpdateSource(ctx, heed.System(), src, c.RotateSecret)
		return src, sourceFlagError(err)
	}, func(out io.Writer, src heed.InboundSource, url string) error {
		if err := printSource(out, src, url); err != nil || src.Secret == "" {
			return err
		}
		fmt.Fprintf(out, "secret:  %s\n", src.Secret)
		_, err := fmt.Fprintln(out, "Keep the new secret now: the old one no longer works, and this one is not shown again.")
		return err
	})
}

// apply makes the flags' changes to src.
func (c *inboundUpdateCmd) apply(src *heed.InboundSource) error {
	var err error
	for _, f := range c.Unmap {
		delete(src.Mapping, strings.ToLower(strings.TrimSpace(f)))
	}
	for _, f := range c.Unset {
		delete(src.Fixed, strings.ToLower(strings.TrimSpace(f)))
	}
	if src.Mapping, err = pairs("--map", src.Mapping, c.Map); err != nil {
		return err
	}
	if src.Fixed, err = pairs("--set", src.Fixed, c.Set); err != nil {
		return err
	}
	if c.Name != nil {
		src.Name = *c.Name
	}
	if c.System != nil {
		src.System = *c.System
	}
	if c.Kind != nil {
		src.Kind = heed.FeedbackKind(*c.Kind)
	}
	if c.Items != "" {
		src.Items = c.Items
	}
	if c.NoItems {
		src.Items = ""
	}
	if c.Active != nil {
		src.Active = *c.Active
	}
	return nil
}

type inboundDeleteCmd struct {
	DBFlag
	Key string `arg:"" name:"key" help:"The source's key (see heed inbound list)."`
}

func (c *inboundDeleteCmd) Run(ctx context.Context, a *app) error {
	return withLoop(ctx, a, c.DB, func(l loop) error {
		if err := l.feedback.DeleteSource(ctx, heed.System(), c.Key); err != nil {
			return err
		}
		_, err := fmt.Fprintf(a.stdout, "inbound source %s deleted; the items it brought in stay\n", c.Key)
		return err
	})
}

type inboundTestCmd struct {
	LoopFlags
	Key  string `arg:"" name:"key" help:"The source's key (see heed inbound list)."`
	File string `arg:"" name:"file" help:"A sample of what the other system posts: a JSON file (- for standard input)."`
}

func (c *inboundTestCmd) Run(ctx context.Context, a *app) error {
	body, err := c.read(a)
	if err != nil {
		return err
	}
	return show(ctx, a, c.LoopFlags, func(l loop) ([]feedback.Preview, error) {
		list, err := l.feedback.TrySource(ctx, heed.System(), c.Key, body)
		// The problems name their item by number; the file is this one.
		var rows heed.RowErrors
		if errors.As(err, &rows) {
			for i := range rows {
				rows[i].File = c.File
				if c.File == "-" {
					rows[i].File = "stdin"
				}
			}
		}
		return list, err
	}, printPreviews)
}

// read reads the sample, refusing one bigger than a source takes.
func (c *inboundTestCmd) read(a *app) ([]byte, error) {
	r := a.stdin
	if c.File != "-" {
		f, err := os.Open(c.File)
		if err != nil {
			return nil, heed.Errorf(heed.EInvalid, "%s: %v", c.File, err)
		}
		defer f.Close()
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, feedback.MaxInboundBody+1))
	if err != nil {
		return nil, heed.Errorf(heed.EInvalid, "%s: %v", c.File, err)
	}
	return body, nil
}

// printPreviews writes what each item of a sample would become.
func printPreviews(out io.Writer, list []feedback.Preview) error {
	for i, pv := range list {
		x := pv.Input
		who := orDash(pv.Customer)
		if pv.Unit != "" {
			who += " (unit " + pv.Unit + ")"
		}
		sentiment := "not read"
		if pv.Sentiment != nil {
			sentiment = fmt.Sprintf("%+.2f %s", pv.Sentiment.Score, pv.Sentiment.Label)
		}
		var themes []string
		for _, th := range pv.Themes {
			themes = append(themes, th.Theme)
		}
		fmt.Fprintf(out, "item %d: %s %s/%s\n", i+1, x.Kind, x.Source, x.ExternalID)
		fmt.Fprintf(out, "  matched:   %s\n  read as:   %s, %s; themes %s\n", who, orDash(pv.Language),
			sentiment, orDash(strings.Join(themes, ", ")))
		for _, f := range previewFields(x) {
			fmt.Fprintf(out, "  %-10s %s\n", f[0]+":", f[1])
		}
	}
	_, err := fmt.Fprintf(out, "%s; nothing was written\n", plural(len(list), "item"))
	return err
}

// previewFields are the fields of x the mapping filled, by name.
func previewFields(x feedback.Input) [][2]string {
	var out [][2]string
	add := func(name, v string) {
		if v != "" {
			out = append(out, [2]string{name, firstLine(v, 70)})
		}
	}
	add("title", x.Title)
	add("text", x.Text)
	if len(x.Turns) > 0 {
		add("turns", plural(len(x.Turns), "turn"))
	}
	if x.Rating != nil {
		add("rating", fmt.Sprintf("%d/5", *x.Rating))
	}
	if x.At != nil {
		add("at", x.At.UTC().Format("2006-01-02 15:04:05Z"))
	}
	for _, kv := range [][2]string{{"customer", x.Customer}, {"email", x.Email}, {"author", x.Author}, {"unit", x.Unit}, {"language", x.Language},
		{"platform", x.Platform}} {
		add(kv[0], kv[1])
	}
	return out
}
