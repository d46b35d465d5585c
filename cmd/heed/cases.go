package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
)

// The commands that close the loop from the terminal: cases, the rules
// that open them, webhooks, root causes and preventive actions. Each goes
// through the services newLoop wires, as the operator (heed.System()).

// LoopFlags are what the loop's commands need: the database, and --json.
// They print no links, so they need no public address.
type LoopFlags struct {
	DBFlag
	JSON bool `name:"json" help:"Print JSON instead of a table."`
}

// withLoop opens the store and the services over it, calls do and
// closes the store.
func withLoop(ctx context.Context, a *app, db string, do func(loop) error) error {
	store, l, err := openServices(ctx, a, db, "")
	if err != nil {
		return err
	}
	defer store.Close()
	return do(l)
}

// show is withLoop for a command that reads or changes one thing and
// prints what call returned: JSON with --json, else text.
func show[T any](ctx context.Context, a *app, f LoopFlags, call func(loop) (T, error), text func(io.Writer, T) error) error {
	return withLoop(ctx, a, f.DB, func(l loop) error {
		v, err := call(l)
		switch {
		case err != nil:
			return err
		case f.JSON:
			return printJSON(a.stdout, v)
		}
		return text(a.stdout, v)
	})
}

// casesCmd groups the case commands.
type casesCmd struct {
	List     casesListCmd     `cmd:"" help:"List cases, newest first."`
	Show     casesShowCmd     `cmd:"" help:"Show a case with its timeline and how Heed suggests approaching the customer."`
	Move     casesMoveCmd     `cmd:"" help:"Move a case to another stage; going back needs --note."`
	Call     casesCallCmd     `cmd:"" help:"Log a call to the case's customer: reached, no_answer or call_back_later."`
	Redirect casesRedirectCmd `cmd:"" help:"Hand a case to another employee or unit, with a note for them (they are emailed)."`
	Set      casesSetCmd      `cmd:"" help:"Set a case's customer kind, response type, root cause or preventive action."`
	Digest   casesDigestCmd   `cmd:"" help:"Print the daily digest a manager is emailed each morning: a day's answers, unhappy customers, cases opened and closed, late and escalated ones now."`
}

type casesListCmd struct {
	LoopFlags
	Owner    string `name:"owner" placeholder:"EMAIL" help:"Only the cases this employee owns."`
	Unit     string `name:"unit" placeholder:"KEY" help:"Only the cases of this unit and its subtree."`
	Stage    string `name:"stage" help:"Only cases at this stage: reported, investigating, corrective_action, follow_up, root_cause, preventive_action, follow_up_2, verification or closed."`
	Open     bool   `name:"open" help:"Only cases not closed."`
	Late     bool   `name:"late" help:"Only cases that missed a service level (no first contact in time, or not resolved in time)."`
	Customer string `name:"customer" placeholder:"EXT" help:"Only this customer's cases (external id)."`
	Limit    int    `name:"limit" default:"50" help:"At most this many (1 to 1000)."`
}

func (c *casesListCmd) Run(ctx context.Context, a *app) error {
	if c.Limit < 1 || c.Limit > 1000 {
		return heed.Errorf(heed.EInvalid, "--limit must be between 1 and 1000")
	}
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.Case, error) {
		list, err := l.cases.List(ctx, heed.System(), cases.Filter{Owner: c.Owner, Unit: c.Unit, Stage: heed.Stage(c.Stage),
			Open: c.Open, Late: c.Late, Customer: c.Customer, Limit: c.Limit})
		return list, flagError(err, map[string]string{"owner": "--owner", "stage": "--stage", "unit": "--unit"})
	}, printCases)
}

// printCases writes the cases as a table.
func printCases(w io.Writer, list []heed.Case) error {
	now := time.Now()
	tw := newTable(w, "ID\tOPENED\tSTAGE\tUNIT\tOWNER\tCUSTOMER\tSCORE\tDUE\tESC\tTITLE")
	for _, k := range list {
		esc := "-"
		if k.EscalationLevel > 0 {
			esc = fmt.Sprint(k.EscalationLevel)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, shortTime(k.CreatedAt), k.Stage, k.Unit,
			orDash(k.Owner), k.Customer, scores(k), due(k, now), esc, firstLine(k.Title, 60))
	}
	return tw.Flush()
}

// shortTime is a time in a table, to the minute.
func shortTime(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// scores is the score that opened the case and, once the customer
// answered the verification re-survey, the score after: "3→9".
func scores(c heed.Case) string {
	s := "-"
	if c.ScoreBefore != nil {
		s = fmt.Sprint(*c.ScoreBefore)
	}
	if c.ScoreAfter != nil {
		s += fmt.Sprintf("→%d", *c.ScoreAfter)
	}
	return s
}

// due says which service level a case is up against, or that it missed
// one.
func due(c heed.Case, now time.Time) string {
	switch {
	case !c.Open():
		if c.ClosedAt != nil {
			return "closed " + c.ClosedAt.Local().Format(time.DateOnly)
		}
		return "closed"
	case c.FirstContactAt == nil && now.After(c.FirstContactDue):
		return "LATE: no contact"
	case now.After(c.ResolveDue):
		return "LATE: unresolved"
	case c.FirstContactAt == nil:
		return "contact by " + shortTime(c.FirstContactDue)
	}
	return "resolve by " + c.ResolveDue.Local().Format(time.DateOnly)
}

type casesShowCmd struct {
	LoopFlags
	ID int64 `arg:"" help:"The case's id (see heed cases list)."`
}

// caseView is what heed cases show prints with --json.
type caseView struct {
	Case      heed.Case        `json:"case"`
	Customer  heed.Customer    `json:"customer"`
	Suggested cases.Suggestion `json:"suggested"`
	Timeline  []heed.CaseEvent `json:"timeline"`
}

func (c *casesShowCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (caseView, error) {
		k, err := l.cases.Get(ctx, heed.System(), c.ID)
		if err != nil {
			return caseView{}, err
		}
		h, err := l.cases.CaseHistory(ctx, heed.System(), c.ID)
		return caseView{Case: k, Customer: h.Customer, Suggested: h.Suggested, Timeline: h.Events}, err
	}, func(w io.Writer, v caseView) error { return printCase(w, v, time.Now()) })
}

// printCase writes a case as the operator reads it: the facts, then the
// timeline.
func printCase(w io.Writer, v caseView, now time.Time) error {
	k := v.Case
	tw := newTable(w, "")
	fmt.Fprintf(tw, "case %d\t%s\n", k.ID, k.Title)
	fmt.Fprintf(tw, "customer\t%s %s\n", k.Customer, k.CustomerName)
	owner := "nobody (an admin must hand it to someone)"
	if k.Owner != "" {
		owner = fmt.Sprintf("%s <%s>", k.OwnerName, k.Owner)
	}
	fmt.Fprintf(tw, "unit, owner\t%s, %s\n", k.Unit, owner)
	fmt.Fprintf(tw, "stage\t%s\n", k.Stage)
	fmt.Fprintf(tw, "score\t%s (%s", scores(k), orDash(k.CategoryBefore))
	if k.CategoryAfter != "" {
		fmt.Fprintf(tw, " → %s", k.CategoryAfter)
	}
	fmt.Fprintln(tw, ")")
	fmt.Fprintf(tw, "opened\t%s\n", shortTime(k.CreatedAt))
	contact := "not yet, due " + shortTime(k.FirstContactDue)
	if k.FirstContactAt != nil {
		contact = shortTime(*k.FirstContactAt)
	}
	fmt.Fprintf(tw, "first contact\t%s\n", contact)
	fmt.Fprintf(tw, "service level\t%s\n", due(k, now))
	if k.EscalationLevel > 0 {
		fmt.Fprintf(tw, "escalated\tlevel %d to %s, %s\n", k.EscalationLevel, orDash(k.EscalatedTo), when(k.EscalatedAt))
	}
	fmt.Fprintf(tw, "customer kind\t%s\n", orDash(string(k.CustomerKind)))
	fmt.Fprintf(tw, "response type\t%s\n", orDash(string(k.ResponseType)))
	fmt.Fprintf(tw, "root cause\t%s\n", orDash(k.RootCause))
	if k.PreventiveActionID != 0 {
		fmt.Fprintf(tw, "preventive action\t%d\n", k.PreventiveActionID)
	}
	if k.ResurveyAt != nil {
		fmt.Fprintf(tw, "re-survey\t%s", shortTime(*k.ResurveyAt))
		if k.ResurveyInvitationID != 0 {
			fmt.Fprintf(tw, " (invitation %d)", k.ResurveyInvitationID)
		}
		fmt.Fprintln(tw)
	}
	s := v.Suggested
	fmt.Fprintf(tw, "suggested\t%s: %s; %s: %s\n", orDash(string(s.CustomerKind)), s.KindReason,
		orDash(string(s.ResponseType)), s.TypeReason)
	fmt.Fprintf(tw, "version\t%d\n", k.Version)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = newTable(w, "AT\tEVENT\tBY\tWHAT")
	for _, e := range v.Timeline {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", shortTime(e.At), e.Kind, orDash(e.Actor), eventText(e))
	}
	return tw.Flush()
}

// eventText says in a line what an event did.
func eventText(e heed.CaseEvent) string {
	var parts []string
	switch {
	case e.Outcome != "":
		parts = append(parts, string(e.Outcome))
	case e.From != "" && e.To != "":
		parts = append(parts, e.From+" → "+e.To)
	case e.To != "":
		parts = append(parts, e.To)
	}
	if e.Note != "" {
		parts = append(parts, strings.Join(strings.Fields(e.Note), " "))
	}
	return strings.Join(parts, ": ")
}

type casesMoveCmd struct {
	LoopFlags
	ID    int64  `arg:"" help:"The case's id."`
	Stage string `arg:"" help:"The stage to move to: reported, investigating, corrective_action, follow_up, root_cause, preventive_action, follow_up_2, verification or closed."`
	Note  string `name:"note" help:"Why, for the timeline; needed to move a case back."`
}

func (c *casesMoveCmd) Run(ctx context.Context, a *app) error {
	var from heed.Stage
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Case, error) {
		// Read only to say where the case came from: the move checks the
		// case as it is then, whoever changed it since (version 0).
		before, err := l.cases.Get(ctx, heed.System(), c.ID)
		if err != nil {
			return heed.Case{}, err
		}
		from = before.Stage
		k, err := l.cases.Transition(ctx, heed.System(), c.ID, heed.Stage(c.Stage), c.Note, 0)
		return k, flagError(err, map[string]string{"to": "", "note": "--note"})
	}, func(w io.Writer, k heed.Case) error {
		fmt.Fprintf(w, "case %d moved from %s to %s\n", k.ID, from, k.Stage)
		if k.Stage == heed.StageClosed && k.ResurveyAt != nil {
			fmt.Fprintf(w, "the customer is asked again on %s, to verify the fix\n", k.ResurveyAt.Local().Format(time.DateOnly))
		}
		return nil
	})
}

type casesCallCmd struct {
	LoopFlags
	ID      int64  `arg:"" help:"The case's id."`
	Outcome string `arg:"" help:"How the call went: reached, no_answer or call_back_later."`
	Note    string `name:"note" help:"What was said or agreed, for the timeline."`
}

func (c *casesCallCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Case, error) {
		k, err := l.cases.LogCall(ctx, heed.System(), c.ID, heed.CallOutcome(c.Outcome), c.Note)
		return k, flagError(err, map[string]string{"outcome": ""})
	}, func(w io.Writer, k heed.Case) error {
		_, err := fmt.Fprintf(w, "call logged on case %d: %s\n", k.ID, c.Outcome)
		return err
	})
}

type casesRedirectCmd struct {
	LoopFlags
	ID    int64  `arg:"" help:"The case's id."`
	Owner string `name:"owner" placeholder:"EMAIL" xor:"to" required:"" help:"The employee who takes the case over (or give --unit)."`
	Unit  string `name:"unit" placeholder:"KEY" xor:"to" required:"" help:"The unit that takes the case over; its responsible employee (or the first one up the tree) owns it (or give --owner)."`
	Note  string `name:"note" required:"" help:"Why, for whoever takes it over."`
}

func (c *casesRedirectCmd) Run(ctx context.Context, a *app) error {
	var from string
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Case, error) {
		before, err := l.cases.Get(ctx, heed.System(), c.ID)
		if err != nil {
			return heed.Case{}, err
		}
		from = before.Owner
		k, err := l.cases.Redirect(ctx, heed.System(), c.ID, cases.RedirectTo{Owner: c.Owner, Unit: c.Unit, Note: c.Note})
		return k, flagError(err, map[string]string{"owner": "--owner", "unit": "--unit", "note": "--note"})
	}, func(w io.Writer, k heed.Case) error {
		_, err := fmt.Fprintf(w, "case %d handed from %s to %s (%s); heed serve emails them\n", k.ID, orDash(from), k.Owner, k.Unit)
		return err
	})
}

type casesSetCmd struct {
	LoopFlags
	ID           int64   `arg:"" help:"The case's id."`
	Kind         *string `name:"kind" placeholder:"KIND" help:"Customer kind: lost, geek, empathizer or regular; '' unsets it."`
	ResponseType *string `name:"response-type" placeholder:"TYPE" help:"What was done: solution or advisory ('' unsets it); a redirect is heed cases redirect."`
	RootCause    *string `name:"root-cause" placeholder:"KEY" help:"Root cause, by key (see heed root-causes list); '' unsets it."`
	Action       *int64  `name:"action" placeholder:"ID" help:"Preventive action to link the case to (see heed actions list); 0 unlinks it."`
	Note         string  `name:"note" help:"A note for the timeline, with the change or alone."`
}

func (c *casesSetCmd) Run(ctx context.Context, a *app) error {
	ch := cases.Change{RootCause: c.RootCause, PreventiveActionID: c.Action, Note: c.Note}
	if c.Kind != nil {
		k := heed.CustomerKind(*c.Kind)
		ch.CustomerKind = &k
	}
	if c.ResponseType != nil {
		t := heed.ResponseType(*c.ResponseType)
		ch.ResponseType = &t
	}
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Case, error) {
		k, err := l.cases.Update(ctx, heed.System(), c.ID, ch)
		return k, flagError(err, map[string]string{"customer_kind": "--kind", "response_type": "--response-type",
			"root_cause": "--root-cause", "preventive_action_id": "--action"})
	}, func(w io.Writer, k heed.Case) error {
		action := "-"
		if k.PreventiveActionID != 0 {
			action = fmt.Sprint(k.PreventiveActionID)
		}
		_, err := fmt.Fprintf(w, "case %d: customer kind %s, response type %s, root cause %s, preventive action %s\n",
			k.ID, orDash(string(k.CustomerKind)), orDash(string(k.ResponseType)), orDash(k.RootCause), action)
		return err
	})
}

// rulesCmd groups the rule commands.
type rulesCmd struct {
	List   rulesListCmd   `cmd:"" help:"List the rules in the order they are applied to each new response."`
	Add    rulesAddCmd    `cmd:"" help:"Add a rule from a JSON file: key, name, active, position, when (conditions) and then (actions)."`
	Update rulesUpdateCmd `cmd:"" help:"Replace the rule with the key in a JSON file (see heed rules list --json)."`
	Delete rulesDeleteCmd `cmd:"" help:"Delete a rule; the cases it opened stay."`
	Try    rulesTryCmd    `cmd:"" help:"Count how often a rule would have fired on past responses, doing nothing."`
}

type rulesListCmd struct{ LoopFlags }

func (c *rulesListCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.Rule, error) {
		return l.cases.Rules(ctx, heed.System())
	}, func(w io.Writer, list []heed.Rule) error {
		tw := newTable(w, "KEY\tACTIVE\tPOSITION\tNAME\tWHEN\tTHEN")
		for _, r := range list {
			fmt.Fprintf(tw, "%s\t%v\t%d\t%s\t%s\t%s\n", r.Key, r.Active, r.Position, r.Name, conditionsText(r.When), actionsText(r.Then))
		}
		return tw.Flush()
	})
}

// conditionsText sums up a rule's conditions in a table cell.
func conditionsText(w heed.RuleConditions) string {
	var parts []string
	add := func(name string, vs []string) {
		if len(vs) > 0 {
			parts = append(parts, name+"="+strings.Join(vs, "|"))
		}
	}
	add("survey", w.Surveys)
	if w.Category != "" {
		parts = append(parts, "category="+w.Category)
	}
	if w.MinScore != nil {
		parts = append(parts, fmt.Sprintf("score>=%d", *w.MinScore))
	}
	if w.MaxScore != nil {
		parts = append(parts, fmt.Sprintf("score<=%d", *w.MaxScore))
	}
	add("words", w.Words)
	add("segment", w.Segments)
	if w.MinValue != nil {
		parts = append(parts, "value>="+w.MinValue.String())
	}
	if w.Unit != "" {
		parts = append(parts, "unit="+w.Unit)
	}
	add("channel", w.Channels)
	if len(parts) == 0 {
		return "every response"
	}
	return strings.Join(parts, " ")
}

// actionsText sums up a rule's actions in a table cell.
func actionsText(as []heed.RuleAction) string {
	var parts []string
	for _, a := range as {
		switch {
		case a.Kind == heed.ActionNotifyManagers:
			parts = append(parts, fmt.Sprintf("%s(%d)", a.Kind, a.Levels))
		case a.Kind == heed.ActionWebhook:
			parts = append(parts, fmt.Sprintf("%s(%d)", a.Kind, a.Webhook))
		case a.Kind == heed.ActionTag:
			parts = append(parts, a.Kind+"("+a.Tag+")")
		default:
			parts = append(parts, a.Kind)
		}
	}
	return strings.Join(parts, ", ")
}

// readRule reads a rule from a JSON file, or standard input for "-".
func readRule(a *app, file string) (heed.Rule, error) {
	data, err := readInput(a, file)
	if err != nil {
		return heed.Rule{}, err
	}
	var r heed.Rule
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, heed.Errorf(heed.EInvalid, "%s: not a rule: %v", file, err)
	}
	return r, nil
}

type rulesAddCmd struct {
	LoopFlags
	File string `arg:"" help:"JSON file of the rule, e.g. {\"key\":\"vip\",\"name\":\"VIP detractors\",\"active\":true,\"when\":{\"category\":\"detractor\",\"segments\":[\"vip\"]},\"then\":[{\"kind\":\"open_case\"}]}; - reads standard input."`
}

func (c *rulesAddCmd) Run(ctx context.Context, a *app) error {
	r, err := readRule(a, c.File)
	if err != nil {
		return err
	}
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Rule, error) {
		return l.cases.CreateRule(ctx, heed.System(), r)
	}, func(w io.Writer, r heed.Rule) error {
		_, err := fmt.Fprintf(w, "rule %s added (active %v); see how often it would have fired: heed rules try %s\n", r.Key, r.Active, r.Key)
		return err
	})
}

type rulesUpdateCmd struct {
	LoopFlags
	File string `arg:"" help:"JSON file of the rule, as heed rules list --json prints it; - reads standard input."`
}

func (c *rulesUpdateCmd) Run(ctx context.Context, a *app) error {
	r, err := readRule(a, c.File)
	if err != nil {
		return err
	}
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.Rule, error) {
		return l.cases.UpdateRule(ctx, heed.System(), r)
	}, func(w io.Writer, r heed.Rule) error {
		_, err := fmt.Fprintf(w, "rule %s updated (active %v)\n", r.Key, r.Active)
		return err
	})
}

type rulesDeleteCmd struct {
	DBFlag
	Key string `arg:"" help:"The rule's key."`
}

func (c *rulesDeleteCmd) Run(ctx context.Context, a *app) error {
	return withLoop(ctx, a, c.DB, func(l loop) error {
		if err := l.cases.DeleteRule(ctx, heed.System(), c.Key); err != nil {
			return err
		}
		_, err := fmt.Fprintf(a.stdout, "rule %s deleted\n", c.Key)
		return err
	})
}

type rulesTryCmd struct {
	LoopFlags
	Key  string `arg:"" optional:"" help:"The key of a saved rule (or give --file)."`
	File string `name:"file" placeholder:"FILE.json" help:"Try the unsaved rule in this JSON file instead of a saved one; - reads standard input."`
	Days *int   `name:"days" placeholder:"N" help:"How many days back to look, up to now (1 to 3660). Default: 30, as the web's Try."`
}

func (c *rulesTryCmd) Run(ctx context.Context, a *app) error {
	if (c.Key == "") == (c.File == "") {
		return heed.Errorf(heed.EInvalid, "name a saved rule by its key, or give --file with an unsaved one (not both)")
	}
	days := int(cases.DefaultTrialSpan / (24 * time.Hour))
	if c.Days != nil {
		days = *c.Days
	}
	if days < 1 || days > 3660 {
		return heed.Errorf(heed.EInvalid, "--days must be between 1 and 3660")
	}
	var r heed.Rule
	if c.File != "" {
		var err error
		if r, err = readRule(a, c.File); err != nil {
			return err
		}
	}
	return show(ctx, a, c.LoopFlags, func(l loop) (cases.Trial, error) {
		if c.Key != "" {
			saved, err := l.cases.Rule(ctx, heed.System(), c.Key)
			if err != nil {
				return cases.Trial{}, err
			}
			r = saved
		}
		to := time.Now()
		return l.cases.TryRule(ctx, heed.System(), r, to.AddDate(0, 0, -days), to)
	}, func(w io.Writer, trial cases.Trial) error {
		name := cmp.Or(r.Key, c.File)
		fmt.Fprintf(w, "rule %s would have fired %s for %s over the last %s (of %s)\n", name,
			plural(trial.Matched, "time"), plural(trial.Customers, "customer"), plural(days, "day"),
			plural(trial.Responses, "response"))
		if len(trial.Examples) == 0 {
			return nil
		}
		fmt.Fprintln(w, "\nthe newest:")
		tw := newTable(w, "ID\tANSWERED\tSURVEY\tUNIT\tCUSTOMER\tSCORE\tCOMMENT")
		for _, x := range trial.Examples {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\n", x.ID, shortTime(x.CreatedAt), x.Survey, x.Unit, orDash(x.Customer),
				x.Score, firstLine(strings.Join(strings.Fields(x.Comment), " "), 60))
		}
		return tw.Flush()
	})
}

// rootCausesCmd groups the root-cause commands.
type rootCausesCmd struct {
	List rootCausesListCmd `cmd:"" help:"List the root causes cases may be given."`
	Set  rootCausesSetCmd  `cmd:"" help:"Add a root cause, or rename or switch off one."`
}

type rootCausesListCmd struct{ LoopFlags }

func (c *rootCausesListCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.RootCause, error) {
		return l.cases.RootCauses(ctx, heed.System())
	}, func(w io.Writer, list []heed.RootCause) error {
		tw := newTable(w, "KEY\tNAME\tACTIVE")
		for _, rc := range list {
			fmt.Fprintf(tw, "%s\t%s\t%v\n", rc.Key, rc.Name, rc.Active)
		}
		return tw.Flush()
	})
}

type rootCausesSetCmd struct {
	DBFlag
	Key      string `arg:"" help:"The root cause's key, e.g. till_queue; cases keep it when the name changes."`
	Name     string `arg:"" help:"Its name, as employees see it."`
	Inactive bool   `name:"inactive" help:"Switch it off: old cases keep it, new ones are not offered it."`
}

func (c *rootCausesSetCmd) Run(ctx context.Context, a *app) error {
	return withLoop(ctx, a, c.DB, func(l loop) error {
		err := l.cases.SaveRootCause(ctx, heed.System(), heed.RootCause{Key: c.Key, Name: c.Name, Active: !c.Inactive})
		if err != nil {
			return flagError(err, map[string]string{"key": "", "name": ""})
		}
		_, err = fmt.Fprintf(a.stdout, "root cause %s saved: %s (active %v)\n", c.Key, strings.TrimSpace(c.Name), !c.Inactive)
		return err
	})
}

// actionsCmd groups the preventive-action commands.
type actionsCmd struct {
	List actionsListCmd `cmd:"" help:"List the preventive actions with their cases, customers and how many recovered."`
	Add  actionsAddCmd  `cmd:"" help:"Plan a preventive action: a fix of the process behind many cases."`
}

type actionsListCmd struct{ LoopFlags }

func (c *actionsListCmd) Run(ctx context.Context, a *app) error {
	return show(ctx, a, c.LoopFlags, func(l loop) ([]heed.PreventiveAction, error) {
		return l.cases.PreventiveActions(ctx, heed.System())
	}, func(w io.Writer, list []heed.PreventiveAction) error {
		tw := newTable(w, "ID\tSTATUS\tDUE\tOWNER\tCASES\tCUSTOMERS\tVERIFIED\tRECOVERED\tTITLE")
		for _, x := range list {
			dueDay := "-"
			if x.Due != nil {
				dueDay = x.Due.UTC().Format(time.DateOnly)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n", x.ID, x.Status, dueDay, orDash(x.Owner), x.Cases,
				x.Customers, x.Verified, x.Recovered, firstLine(x.Title, 60))
		}
		return tw.Flush()
	})
}

type actionsAddCmd struct {
	LoopFlags
	Title       string `arg:"" help:"What will change, e.g. 'A second till at Saturday peaks'."`
	Owner       string `name:"owner" placeholder:"EMAIL" help:"The employee who sees it through."`
	Due         string `name:"due" placeholder:"YYYY-MM-DD" help:"When it should be done."`
	Description string `name:"description" help:"What exactly, and why."`
}

func (c *actionsAddCmd) Run(ctx context.Context, a *app) error {
	act := heed.PreventiveAction{Title: c.Title, Owner: c.Owner, Description: c.Description}
	if c.Due != "" {
		d, err := time.Parse(time.DateOnly, c.Due)
		if err != nil {
			return heed.Errorf(heed.EInvalid, "--due %q must be a date like 2026-06-30", c.Due)
		}
		act.Due = &d
	}
	return show(ctx, a, c.LoopFlags, func(l loop) (heed.PreventiveAction, error) {
		act, err := l.cases.SavePreventiveAction(ctx, heed.System(), act)
		return act, flagError(err, map[string]string{"title": "", "owner": "--owner", "description": "--description"})
	}, func(w io.Writer, act heed.PreventiveAction) error {
		_, err := fmt.Fprintf(w, "preventive action %d added; link cases to it: heed cases set CASE --action %d\n", act.ID, act.ID)
		return err
	})
}
