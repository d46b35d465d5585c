package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/demo"
	"github.com/heedhq/heed/directory"
)

// demoCmd fills a database of its own with a generated organisation and
// serves it: a new user's first look at Heed, with nothing to set up.
type demoCmd struct {
	// Its own variable, not HEED_DB: `heed demo` in a shell configured for
	// production must not load made-up customers into production.
	DB   string `name:"db" env:"HEED_DEMO_DB" default:"${default_demo_db}" help:"Demo database: sqlite:PATH (created or reused) or postgres://... ."`
	Seed int64  `name:"seed" env:"HEED_DEMO_SEED" default:"1" help:"Seed of the generated data; the same seed gives the same demo (and logins). Give another seed a fresh --db: two seeds in one database mix."`
	ServeFlags
}

func (c *demoCmd) Run(ctx context.Context, a *app) error {
	if err := c.check(); err != nil {
		return err
	}
	store, err := openStore(ctx, c.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(a.stdout, "Heed demo: loading the demo organisation into %s\n", redact(c.DB))
	ds := demo.Generate(c.Seed)
	if err := loadDemo(ctx, a, store, ds); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return serve(ctx, a, store, c.ServeFlags, func(url string) {
		printLogins(a.stdout, url, ds.Logins)
	})
}

// loadDemo upserts the dataset as the operator and sets the demo logins'
// passwords. Upserts leave equal rows alone, so a second run reports
// everything unchanged.
func loadDemo(ctx context.Context, a *app, store heed.Store, ds demo.Dataset) error {
	dir := directory.New(store, time.Now)
	res, err := dir.UpsertUnits(ctx, heed.System(), ds.Units)
	if err != nil {
		return fmt.Errorf("units: %w", err)
	}
	printResult(a.stdout, "units", res)
	if res, err = dir.UpsertEmployees(ctx, heed.System(), ds.Employees); err != nil {
		return fmt.Errorf("employees: %w", err)
	}
	printResult(a.stdout, "employees", res)
	if res, err = upsertCustomers(ctx, a, dir, ds.Customers); err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	printResult(a.stdout, "customers", res)
	// One loop, wired as heed serve wires it, for every step.
	lp := newLoop(store, a.log, "", nil, -1)
	if err := loadDemoSurveys(ctx, a, lp, store, ds); err != nil {
		return err
	}
	if err := loadDemoCases(ctx, a, store, ds); err != nil {
		return err
	}
	// After the cases: the rules act on the last two days' items as they
	// would have live, and LoadCases adds none once a case exists.
	if err := loadDemoFeedback(ctx, a, lp, store, ds); err != nil {
		return err
	}
	if err := loadDemoEvents(ctx, a, lp, store, ds); err != nil {
		return err
	}
	acc := accounts.New(store, time.Now, accounts.Config{})
	for _, l := range ds.Logins {
		// Set on every run, so the table printed below is always right,
		// even if someone changed a demo password in the meantime.
		if err := acc.SetPassword(ctx, heed.System(), l.Email, l.Password); err != nil {
			return fmt.Errorf("password of %s: %w", l.Email, err)
		}
	}
	return nil
}

// loadDemoSurveys adds the demo's surveys, programs and six months of
// invitations and answers; a second run adds nothing.
func loadDemoSurveys(ctx context.Context, a *app, lp loop, store heed.Store, ds demo.Dataset) error {
	return demoStep(a, "surveys", "demo responses", func(p *progress) (string, error) {
		rep, err := demo.LoadSurveys(ctx, lp.surveys, store, ds, time.Now(),
			func(done, total int) { p.report("write", done, total) })
		return fmt.Sprintf("%d surveys, %d programs, %d invitations, %d responses added",
			rep.Surveys, rep.Programs, rep.Invitations, rep.Responses), err
	})
}

// loadDemoCases gives the demo's detractors of the last months their
// cases, so the closed loop shows at once; a second run adds nothing.
func loadDemoCases(ctx context.Context, a *app, store heed.Store, ds demo.Dataset) error {
	return demoStep(a, "cases", "demo cases", func(p *progress) (string, error) {
		rep, err := demo.LoadCases(ctx, store, ds, time.Now(),
			func(done, total int) { p.report("write", done, total) })
		return fmt.Sprintf("%d cases (%d open, %d late), %d preventive actions added",
			rep.Cases, rep.Open, rep.Late, rep.Actions), err
	})
}

// loadDemoFeedback reads the history's survey comments and adds six
// months of reviews, tickets, calls and posts; a second run adds nothing.
func loadDemoFeedback(ctx context.Context, a *app, lp loop, store heed.Store, ds demo.Dataset) error {
	return demoStep(a, "feedback", "demo feedback", func(p *progress) (string, error) {
		rep, err := demo.LoadFeedback(ctx, lp.feedback, store, ds, time.Now(), p.report)
		k := rep.ByKind
		return fmt.Sprintf("%d items (%d reviews, %d tickets, %d calls, %d posts), %d survey comments read",
			rep.Items, k[heed.FeedbackReview], k[heed.FeedbackTicket], k[heed.FeedbackTranscript],
			k[heed.FeedbackSocial], rep.Comments), err
	})
}

// loadDemoEvents adds what the customers did over thirteen months; a
// second run adds nothing.
func loadDemoEvents(ctx context.Context, a *app, lp loop, store heed.Store, ds demo.Dataset) error {
	return demoStep(a, "events", "demo events", func(p *progress) (string, error) {
		rep, err := demo.LoadEvents(ctx, lp.events, store, ds, time.Now(), p.report)
		k := rep.ByKind
		return fmt.Sprintf("%d events (%d purchases, %d visits, %d logins, %d support contacts, %d referrals, %d cancellations)",
			rep.Events, k[heed.EventPurchase], k[heed.EventVisit], k[heed.EventLogin], k[heed.EventSupport],
			k[heed.EventReferral], k[heed.EventCancellation]), err
	})
}

// demoStep runs one step of the load with a progress counter named
// counter and, unless it failed, prints its summary on a line after
// what.
func demoStep(a *app, what, counter string, load func(p *progress) (string, error)) error {
	p := newProgress(a.stderr, counter)
	summary, err := load(p)
	p.done()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	fmt.Fprintf(a.stdout, "  %-10s %s\n", what+":", summary)
	return nil
}

// upsertCustomers writes customers in batches, showing progress.
func upsertCustomers(ctx context.Context, a *app, dir *directory.Service, custs []heed.Customer) (heed.UpsertResult, error) {
	const batch = 2000
	var total heed.UpsertResult
	p := newProgress(a.stderr, "demo customers")
	defer p.done()
	for start := 0; start < len(custs); start += batch {
		end := min(start+batch, len(custs))
		res, err := dir.UpsertCustomers(ctx, heed.System(), custs[start:end])
		if err != nil {
			return total, err
		}
		total.Add(res)
		p.report("write", end, len(custs))
	}
	return total, nil
}

func printResult(w io.Writer, what string, r heed.UpsertResult) {
	fmt.Fprintf(w, "  %-10s %d created, %d updated, %d unchanged\n", what+":", r.Created, r.Updated, r.Unchanged)
}

// printLogins shows where to go and whom to sign in as.
func printLogins(w io.Writer, url string, logins []demo.Login) {
	fmt.Fprintf(w, "\nOpen %s and sign in as one of:\n\n", url)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  WHO\tROLE\tEMAIL\tPASSWORD")
	for _, l := range logins {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Description, l.Role, l.Email, l.Password)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPress Ctrl+C to stop. The data stays in the demo database for next time.")
}
