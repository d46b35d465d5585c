package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// SurveyFlags are what every survey command needs besides the database:
// the public address its links point to.
type SurveyFlags struct {
	DBFlag
	PublicURL string `name:"public-url" env:"HEED_PUBLIC_URL" placeholder:"URL" help:"Address respondents reach Heed at; personal links start with it. Default: http://localhost:8080."`
	JSON      bool   `name:"json" help:"Print JSON instead of a table."`
}

// open opens the store and the survey service over it.
func (f SurveyFlags) open(ctx context.Context, a *app) (heed.Store, *survey.Service, error) {
	store, l, err := openServices(ctx, a, f.DB, f.PublicURL)
	return store, l.surveys, err
}

// openServices opens the store and wires the services over it (newLoop),
// so every command writes responses through the rules.
func openServices(ctx context.Context, a *app, db, publicURL string) (heed.Store, loop, error) {
	store, err := openStore(ctx, db)
	if err != nil {
		return nil, loop{}, err
	}
	return store, newLoop(store, a.log, publicURL, nil, -1), nil
}

// printJSON writes v indented, for --json and for scripts.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newTable starts a table of tab-separated columns on w with its header
// line ("" for none); Flush writes it.
func newTable(w io.Writer, header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if header != "" {
		fmt.Fprintln(tw, header)
	}
	return tw
}

// surveyCmd groups the survey commands.
type surveyCmd struct {
	Create  surveyCreateCmd  `cmd:"" help:"Create a survey: nps (the default two questions), csat or ces."`
	List    surveyListCmd    `cmd:"" help:"List the surveys."`
	Show    surveyShowCmd    `cmd:"" help:"Print a survey as JSON (texts, questions, settings)."`
	Update  surveyUpdateCmd  `cmd:"" help:"Replace a survey with the JSON in a file (see heed survey show)."`
	Invite  surveyInviteCmd  `cmd:"" help:"Make personal invitation links, or send invitation emails, for customers."`
	Rewards surveyRewardsCmd `cmd:"" help:"Add reward codes (one per line) to a survey's pool."`
}

type surveyCreateCmd struct {
	SurveyFlags
	Kind     string   `name:"kind" enum:"nps,csat,ces" default:"nps" help:"nps (0–10 and a reason), csat (1–5) or ces (1–7)."`
	Name     string   `name:"name" required:"" help:"Name, for employees, e.g. 'Store visits'."`
	Key      string   `name:"key" help:"Stable key used in links and the API. Default: from the name."`
	Language string   `name:"language" default:"en" help:"Default language of the survey (en, nl, de ship with texts)."`
	Hidden   []string `name:"hidden" help:"Hidden fields carried from the link into the response (e.g. order,store)."`
	Open     bool     `name:"open-link" help:"Enable the anonymous link /s/open/KEY (receipts, QR codes, kiosks)."`
	Origins  []string `name:"origin" help:"Web origins allowed to embed the widget, e.g. https://shop.example.com."`
	Reward   bool     `name:"reward" help:"Hand each respondent one code from the survey's pool (see heed survey rewards)."`
}

func (c *surveyCreateCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	sv, err := svc.CreateSurvey(ctx, heed.System(), heed.Survey{
		Kind: heed.SurveyKind(c.Kind), Name: c.Name, Key: c.Key, Language: c.Language,
		Hidden: c.Hidden, OpenLink: c.Open, Origins: c.Origins, Reward: c.Reward,
	})
	if err != nil {
		return flagError(err, map[string]string{"key": "--key", "name": "--name", "language": "--language", "kind": "--kind"})
	}
	if c.JSON {
		return printJSON(a.stdout, sv)
	}
	fmt.Fprintf(a.stdout, "survey %s created (%s, languages %s)\n", sv.Key, sv.Kind, strings.Join(slices.Sorted(maps.Keys(sv.Texts)), ", "))
	if sv.OpenLink {
		fmt.Fprintf(a.stdout, "open link: %s/s/open/%s\n", svc.PublicURL(), sv.Key)
	}
	return nil
}

type surveyListCmd struct{ SurveyFlags }

func (c *surveyListCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.ListSurveys(ctx, heed.System())
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, list)
		}
		return err
	}
	tw := newTable(a.stdout, "KEY\tKIND\tNAME\tLANGUAGE\tQUESTIONS\tOPEN LINK")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%v\n", s.Key, s.Kind, s.Name, s.Language, len(s.Questions), s.OpenLink)
	}
	return tw.Flush()
}

type surveyShowCmd struct {
	SurveyFlags
	Key string `arg:"" help:"The survey's key."`
}

func (c *surveyShowCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	sv, err := svc.GetSurvey(ctx, heed.System(), c.Key)
	if err != nil {
		return err
	}
	return printJSON(a.stdout, sv)
}

type surveyUpdateCmd struct {
	SurveyFlags
	File string `arg:"" help:"JSON file of the survey, as heed survey show prints it; - reads standard input."`
}

func (c *surveyUpdateCmd) Run(ctx context.Context, a *app) error {
	data, err := readInput(a, c.File)
	if err != nil {
		return err
	}
	var sv heed.Survey
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sv); err != nil {
		return heed.Errorf(heed.EInvalid, "%s: not a survey: %v", c.File, err)
	}
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	if sv, err = svc.UpdateSurvey(ctx, heed.System(), sv); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "survey %s updated\n", sv.Key)
	return nil
}

// readInput reads a whole file, or standard input for "-".
func readInput(a *app, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(a.stdin)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, heed.Errorf(heed.EInvalid, "cannot read %s: %v", name, unwrapPathError(err))
	}
	return data, nil
}

type surveyInviteCmd struct {
	SurveyFlags
	Key       string            `arg:"" help:"The survey's key."`
	Customers []string          `arg:"" help:"External ids of the customers."`
	Channel   string            `name:"channel" enum:"link,email" default:"link" help:"link: print personal links; email: queue invitation emails (sent by heed serve's workers)."`
	Hidden    map[string]string `name:"hidden" help:"Hidden field values, e.g. --hidden order=A-1001."`
}

func (c *surveyInviteCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	res, err := svc.Invite(ctx, heed.System(), c.Key, survey.InviteRequest{Customers: c.Customers, Channel: c.Channel, Hidden: c.Hidden})
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, res)
		}
		return err
	}
	tw := newTable(a.stdout, "CUSTOMER\tINVITATION\tLINK OR REASON SKIPPED")
	for _, r := range res {
		if r.Skipped != "" {
			fmt.Fprintf(tw, "%s\t-\tskipped: %s\n", r.Customer, r.Skipped)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Customer, r.InvitationID, r.URL)
	}
	return tw.Flush()
}

type surveyRewardsCmd struct {
	SurveyFlags
	Key  string `arg:"" help:"The survey's key."`
	File string `arg:"" help:"Text file with one code per line; - reads standard input."`
}

func (c *surveyRewardsCmd) Run(ctx context.Context, a *app) error {
	data, err := readInput(a, c.File)
	if err != nil {
		return err
	}
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	pool, err := svc.AddRewardCodes(ctx, heed.System(), c.Key, strings.Split(string(data), "\n"))
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%s added; %d of %d codes left in the pool\n", plural(pool.Added, "code"), pool.Left, pool.Total)
	return nil
}

// programCmd groups the program commands.
type programCmd struct {
	Create programCreateCmd `cmd:"" help:"Create a program: a survey asked continuously of a population."`
	List   programListCmd   `cmd:"" help:"List the programs."`
	Show   programShowCmd   `cmd:"" help:"Print a program as JSON."`
	Update programUpdateCmd `cmd:"" help:"Replace a program with the JSON in a file (see heed program show); e.g. switch it off with \"active\": false."`
	Run    sampleCmd        `cmd:"" help:"Run a program now (what the scheduler of heed serve does); --dry-run only shows whom."`
}

type programCreateCmd struct {
	SurveyFlags
	Name         string            `name:"name" required:"" help:"Name, e.g. 'Store visits'."`
	Key          string            `name:"key" help:"Stable key. Default: from the name."`
	Survey       string            `name:"survey" required:"" help:"Key of the survey to ask."`
	Units        []string          `name:"unit" help:"Only customers of these units and their subtrees (repeat or comma-separate). Default: everyone."`
	Segments     []string          `name:"segment" help:"Only customers of these segments."`
	Attributes   map[string]string `name:"attribute" help:"Only customers whose attribute has this value, e.g. --attribute tier=gold."`
	Target       int               `name:"target" help:"Invitations per period, spread evenly over its days (e.g. 1000)."`
	Period       string            `name:"period" enum:"week,month,quarter" default:"month" help:"week, month or quarter."`
	Margin       float64           `name:"margin" help:"Instead of a target: every unit's score within ± this many points each period (stratified by unit)."`
	ProgramDays  int               `name:"program-days" default:"183" help:"Not asked by this program within this many days."`
	GlobalDays   int               `name:"global-days" default:"30" help:"Not asked by any program within this many days."`
	ReminderDays int               `name:"reminder-days" default:"3" help:"One reminder after this many days if unanswered; -1 for none."`
	ExpiryDays   int               `name:"expiry-days" default:"30" help:"Links expire after this many days."`
	Inactive     bool              `name:"inactive" help:"Create it switched off (the scheduler skips it)."`
}

func (c *programCreateCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	pr, err := svc.CreateProgram(ctx, heed.System(), heed.Program{
		Name: c.Name, Key: c.Key, Survey: c.Survey, Units: c.Units, Segments: c.Segments, Attributes: c.Attributes,
		Target: c.Target, Period: c.Period, Margin: c.Margin, ProgramDays: c.ProgramDays, GlobalDays: c.GlobalDays,
		ReminderDays: c.ReminderDays, ExpiryDays: c.ExpiryDays, Active: !c.Inactive,
	})
	if err != nil {
		return flagError(err, map[string]string{"name": "--name", "key": "--key", "survey": "--survey", "target": "--target",
			"margin": "--margin", "units": "--unit", "program_days": "--program-days", "global_days": "--global-days",
			"reminder_days": "--reminder-days", "expiry_days": "--expiry-days", "period": "--period"})
	}
	if c.JSON {
		return printJSON(a.stdout, pr)
	}
	fmt.Fprintf(a.stdout, "program %s created (survey %s, active %v); see whom it would ask today: heed sample --program %s --dry-run\n",
		pr.Key, pr.Survey, pr.Active, pr.Key)
	return nil
}

type programListCmd struct{ SurveyFlags }

func (c *programListCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.ListPrograms(ctx, heed.System())
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, list)
		}
		return err
	}
	tw := newTable(a.stdout, "KEY\tSURVEY\tACTIVE\tTARGET\tLAST RUN")
	for _, p := range list {
		target := fmt.Sprintf("%d per %s", p.Target, p.Period)
		if p.Margin > 0 {
			target = fmt.Sprintf("±%g per unit per %s", p.Margin, p.Period)
		}
		last := "never"
		if p.LastRunAt != nil {
			last = p.LastRunAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%v\t%s\t%s\n", p.Key, p.Survey, p.Active, target, last)
	}
	return tw.Flush()
}

type programShowCmd struct {
	SurveyFlags
	Key string `arg:"" help:"The program's key."`
}

func (c *programShowCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	pr, err := svc.GetProgram(ctx, heed.System(), c.Key)
	if err != nil {
		return err
	}
	return printJSON(a.stdout, pr)
}

type programUpdateCmd struct {
	SurveyFlags
	File string `arg:"" help:"JSON file of the program, as heed program show prints it; - reads standard input."`
}

func (c *programUpdateCmd) Run(ctx context.Context, a *app) error {
	data, err := readInput(a, c.File)
	if err != nil {
		return err
	}
	var pr heed.Program
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pr); err != nil {
		return heed.Errorf(heed.EInvalid, "%s: not a program: %v", c.File, err)
	}
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	if pr, err = svc.UpdateProgram(ctx, heed.System(), pr); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "program %s updated (active %v)\n", pr.Key, pr.Active)
	return nil
}

// invitationsCmd lists invitations with their delivery state.
type invitationsCmd struct {
	SurveyFlags
	Survey   string `name:"survey" help:"Only this survey."`
	Program  string `name:"program" help:"Only this program."`
	Delivery string `name:"delivery" help:"Only this delivery state: queued, sent, failed, bounced, dead or skipped."`
	Limit    int    `name:"limit" default:"50" help:"At most this many (1 to 1000)."`
}

func (c *invitationsCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.ListInvitations(ctx, heed.System(), c.Survey, c.Program,
		heed.InvitationFilter{Delivery: heed.Delivery(c.Delivery), Limit: c.Limit})
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, list)
		}
		return flagError(err, map[string]string{"limit": "--limit", "delivery": "--delivery"})
	}
	tw := newTable(a.stdout, "ID\tCREATED\tSURVEY\tPROGRAM\tCUSTOMER\tCHANNEL\tDELIVERY\tOPENED\tANSWERED\tERROR")
	for _, i := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i.ID, i.CreatedAt.Local().Format(time.DateTime), i.Survey,
			i.Program, i.Customer, i.Channel, i.Delivery, when(i.OpenedAt), when(i.AnsweredAt), firstLine(i.Error, 40))
	}
	return tw.Flush()
}

// sampleCmd runs a program once: `heed sample --program P [--dry-run]`
// and `heed program run --program P`.
type sampleCmd struct {
	SurveyFlags
	Program string `name:"program" required:"" help:"The program's key."`
	DryRun  bool   `name:"dry-run" help:"Only show whom the program would ask today and why the others are skipped."`
	Show    int    `name:"show" default:"20" help:"List at most this many of the customers chosen (0: none)."`
}

func (c *sampleCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := svc.Sample(ctx, heed.System(), c.Program, c.DryRun)
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, rep)
		}
		return err
	}
	return printSample(a.stdout, rep, c.Show)
}

func printSample(w io.Writer, rep survey.SampleReport, show int) error {
	bw := bufio.NewWriter(w)
	verb := "invited"
	if rep.DryRun {
		verb = "would invite"
	}
	fmt.Fprintf(bw, "program %s (survey %s), %s\n", rep.Program, rep.Survey, rep.Day)
	fmt.Fprintf(bw, "  population:  %d customers\n", rep.Population)
	fmt.Fprintf(bw, "  eligible:    %d\n", rep.Eligible)
	fmt.Fprintf(bw, "  period:      since %s, %d invited so far\n", rep.PeriodFrom, rep.PeriodSoFar)
	fmt.Fprintf(bw, "  today:       quota %d, %s %d\n", rep.Quota, verb, len(rep.Chosen))
	fmt.Fprintln(bw, "  skipped:")
	reasons := slices.Sorted(maps.Keys(rep.Skipped))
	for _, r := range reasons {
		fmt.Fprintf(bw, "    %-18s %d\n", r, rep.Skipped[r])
	}
	if len(rep.Strata) > 0 {
		tw := newTable(bw, "\n  UNIT\tRATE\tNEEDED\tINVITE/PERIOD\tTODAY\tEXPECTED ±\tREACHABLE")
		for _, s := range rep.Strata {
			fmt.Fprintf(tw, "  %s\t%.0f%%\t%d\t%d\t%d\t%.1f\t%v\n", s.Unit, 100*s.ResponseRate, s.NeededAnswers, s.Invitations, s.Today, s.ExpectedMargin, s.Reachable)
		}
		tw.Flush()
	}
	if show > 0 && len(rep.Chosen) > 0 {
		n := min(show, len(rep.Chosen))
		fmt.Fprintf(bw, "  customers:   %s", strings.Join(rep.Chosen[:n], ", "))
		if n < len(rep.Chosen) {
			fmt.Fprintf(bw, " … and %d more", len(rep.Chosen)-n)
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

// responsesCmd lists responses.
type responsesCmd struct {
	SurveyFlags
	Survey string `name:"survey" help:"Only this survey."`
	Unit   string `name:"unit" help:"Only this unit and its subtree."`
	Limit  int    `name:"limit" default:"50" help:"At most this many (1 to 1000)."`
}

func (c *responsesCmd) Run(ctx context.Context, a *app) error {
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	list, err := svc.ListResponses(ctx, heed.System(), c.Survey, heed.ResponseFilter{Unit: c.Unit, Limit: c.Limit})
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, list)
		}
		return flagError(err, map[string]string{"limit": "--limit", "unit": "--unit"})
	}
	tw := newTable(a.stdout, "ID\tANSWERED\tSURVEY\tUNIT\tCUSTOMER\tSCORE\tCOMMENT")
	for _, r := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", r.ID, r.CreatedAt.Local().Format(time.DateTime), r.Survey, r.Unit,
			r.Customer, r.Score, firstLine(strings.ReplaceAll(r.Comment, "\t", " "), 60))
	}
	return tw.Flush()
}

// metricsCmd prints a survey's figures.
type metricsCmd struct {
	SurveyFlags
	Survey string `name:"survey" required:"" help:"The survey's key."`
	Unit   string `name:"unit" help:"This unit and its subtree. Default: everything."`
	From   string `name:"from" placeholder:"YYYY-MM-DD" help:"First day. Default: 90 days before --to."`
	To     string `name:"to" placeholder:"YYYY-MM-DD" help:"Last day. Default: today."`
	By     string `name:"by" placeholder:"week|month|unit" help:"Group by week, month or child unit."`
	Min    int    `name:"min" default:"30" help:"Minimum sample: smaller groups are flagged insufficient."`
}

func (c *metricsCmd) Run(ctx context.Context, a *app) error {
	q := survey.MetricsQuery{Survey: c.Survey, Unit: c.Unit, By: c.By, Min: c.Min}
	for _, d := range []struct {
		flag, v string
		t       *time.Time
	}{{"--from", c.From, &q.From}, {"--to", c.To, &q.To}} {
		if d.v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.v)
		if err != nil {
			return heed.Errorf(heed.EInvalid, "%s %q must be a date like 2026-03-31", d.flag, d.v)
		}
		*d.t = t
	}
	store, svc, err := c.open(ctx, a)
	if err != nil {
		return err
	}
	defer store.Close()
	m, err := svc.Metrics(ctx, heed.System(), q)
	if err != nil || c.JSON {
		if err == nil {
			err = printJSON(a.stdout, m)
		}
		return flagError(err, map[string]string{"from": "--from", "by": "--by", "min": "--min", "unit": "--unit"})
	}
	fmt.Fprintf(a.stdout, "%s (%s) %s to %s\n", m.Survey, m.Kind, m.From, m.To)
	tw := newTable(a.stdout, "GROUP\tN\tSCORE\t± (95%)")
	for _, g := range append([]survey.Figures{m.Total}, m.Groups...) {
		name := g.Key
		if g.Label != "" {
			name = g.Label
		}
		score, moe := "not enough answers", ""
		if g.Score != nil {
			score, moe = fmt.Sprintf("%.1f", *g.Score), fmt.Sprintf("%.1f", *g.MarginOfError)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", name, g.N, score, moe)
	}
	for _, r := range m.ResponseRates {
		rate := "-"
		if r.Rate != nil {
			rate = fmt.Sprintf("%.0f%%", 100**r.Rate)
		}
		fmt.Fprintf(tw, "program %s\t%d invited\t%d answered\t%s\n", r.Program, r.Invited, r.Answered, rate)
	}
	return tw.Flush()
}
