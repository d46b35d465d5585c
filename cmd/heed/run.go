package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"

	"github.com/alecthomas/kong"
)

// cli is the whole command line. Every flag has a HEED_* environment
// variable, read through run's getenv so tests can set them.
type cli struct {
	LogFormat string `name:"log-format" env:"HEED_LOG_FORMAT" enum:"text,json" default:"text" help:"Log format: text (for a terminal) or json (for a log collector)."`
	LogLevel  string `name:"log-level" env:"HEED_LOG_LEVEL" enum:"debug,info,warn,error" default:"info" help:"Least important log level written: debug, info, warn or error."`

	Serve       serveCmd       `cmd:"" help:"Serve the web UI, the REST API, /healthz and /metrics, and run the job workers."`
	Demo        demoCmd        `cmd:"" help:"Fill a demo database with a realistic organisation and serve it."`
	Migrate     migrateCmd     `cmd:"" help:"Apply the database migrations and print the schema version reached."`
	Import      importCmd      `cmd:"" help:"Import units, employees, customers, responses, feedback or customer events from a CSV or JSONL file."`
	User        userCmd        `cmd:"" help:"Add users and set their passwords."`
	Token       tokenCmd       `cmd:"" help:"Create, list and revoke API tokens."`
	Jobs        jobsCmd        `cmd:"" help:"List, retry and enqueue durable jobs."`
	Survey      surveyCmd      `cmd:"" help:"Create, show and change surveys; invite customers; add reward codes."`
	Program     programCmd     `cmd:"" help:"Create, list and run programs (continuous sampling)."`
	Sample      sampleCmd      `cmd:"" help:"Run a program for today; with --dry-run only show whom it would ask and why others are skipped."`
	Responses   responsesCmd   `cmd:"" help:"List survey responses, newest first."`
	Invitations invitationsCmd `cmd:"" help:"List invitations with their delivery state, newest first."`
	Metrics     metricsCmd     `cmd:"" help:"Print a survey's NPS, CSAT or CES with sample sizes and margins of error."`
	Cases       casesCmd       `cmd:"" help:"List, show and work cases: move them through the stages, log calls, redirect, set what was found."`
	Rules       rulesCmd       `cmd:"" help:"List, add, change, delete and try the rules that act on new responses."`
	Webhooks    webhooksCmd    `cmd:"" help:"Add, list, change and delete webhooks, see their deliveries and send one again."`
	Inbound     inboundCmd     `cmd:"" help:"Add, list, change, delete and test inbound sources: URLs other systems post their own JSON to, mapped to feedback."`
	Text        textCmd        `cmd:"" help:"Read texts as the server does: language, sentiment per text and sentence, themes."`
	Feedback    feedbackCmd    `cmd:"" help:"List feedback from every source: reviews, tickets, transcripts, survey comments…"`
	Themes      themesCmd      `cmd:"" help:"Needs and drivers: per theme its volume, sentiment, trend and effect on an NPS survey."`
	Emerging    emergingCmd    `cmd:"" help:"Phrases of the last week's feedback that no theme covers, new or growing: name them (heed taxonomy set) or ignore them."`
	Taxonomy    taxonomyCmd    `cmd:"" help:"Show, replace or reset the themes feedback is read with; past feedback is re-read in the background."`
	Profile     profileCmd     `cmd:"" help:"A customer's profile: recency, frequency, value, churn risk with its factors, loyalty-ladder rung with its reason."`
	Ladder      ladderCmd      `cmd:"" help:"The loyalty ladder over time: how many customers stood on each rung at the end of every month."`
	RootCauses  rootCausesCmd  `cmd:"" name:"root-causes" help:"List and edit the root causes cases are given."`
	Actions     actionsCmd     `cmd:"" help:"List and plan preventive actions (process fixes cases link to)."`
	Mailsink    mailsinkCmd    `cmd:"" help:"Run a local SMTP server that keeps and prints every message (to try survey emails)."`
	Version     versionCmd     `cmd:"" help:"Print the version of heed."`
	Help        helpCmd        `cmd:"" help:"Explain a command and every one of its flags (heed help import)."`
}

// app is what every command gets from the process: the streams, the
// environment and the logger. Commands take it, not globals.
type app struct {
	getenv  func(string) string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	log     *slog.Logger
	version string
}

// exitRequest is how kong's "exit" (after printing help) reaches run
// without ending the process: it panics with one, run recovers it.
type exitRequest int

// run is the whole program: main only adds the real process around it,
// and tests call it with their own arguments, environment and buffers.
// args[0] is the program name, as in os.Args.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			code, ok := r.(exitRequest)
			if !ok {
				panic(r)
			}
			if code != 0 {
				err = fmt.Errorf("exit status %d", code)
			}
		}
	}()
	var c cli
	parser, err := newParser(&c, getenv, stdout, stderr)
	if err != nil {
		return err
	}
	rest := joinNegativeValues(args[min(1, len(args)):])
	if len(rest) == 0 {
		rest = []string{"--help"}
	}
	kctx, err := parser.Parse(rest)
	if err != nil {
		return fmt.Errorf("%w (see heed help)", err)
	}
	a := &app{
		getenv:  getenv,
		stdin:   stdin,
		stdout:  stdout,
		stderr:  stderr,
		log:     newLogger(stderr, c.LogFormat, c.LogLevel),
		version: version(),
	}
	kctx.BindTo(ctx, (*context.Context)(nil))
	if err := kctx.Run(a); err != nil {
		// main prints only the message meant for the operator; the whole
		// chain, causes included, is here for whoever asks for it.
		a.log.Debug("command failed", "command", kctx.Command(), "err", err.Error())
		return err
	}
	return nil
}

// negativeNumber is a value like -3 or -1.5.
var negativeNumber = regexp.MustCompile(`^-[0-9]+(\.[0-9]+)?$`)

// joinNegativeValues turns "--count -3" into "--count=-3". Kong reads a
// lone -3 as the short flag -3 and explains that confusingly; no flag of
// heed's is a digit, so a negative number after a long flag is its value,
// which the command then checks and explains ("--count must be at least
// 1").
func joinNegativeValues(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if strings.HasPrefix(a, "--") && !strings.Contains(a, "=") && i+1 < len(args) && negativeNumber.MatchString(args[i+1]) {
			a += "=" + args[i+1]
			i++
		}
		out = append(out, a)
	}
	return out
}

// newParser builds the kong parser over c. Environment variables come from
// getenv (a resolver) rather than from kong's own lookup of the process
// environment, so run is deterministic under test.
func newParser(c *cli, getenv func(string) string, stdout, stderr io.Writer) (*kong.Kong, error) {
	return kong.New(c,
		kong.Name("heed"),
		kong.Description("Heed is a self-hosted, closed-loop voice-of-the-customer platform.\n"+
			"Every flag can also be set by the environment variable shown next to it."),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { panic(exitRequest(code)) }),
		kong.Resolvers(envResolver(getenv)),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, WrapUpperBound: 100}),
		kong.Vars{
			"default_db":      defaultDB,
			"default_demo_db": defaultDemoDB,
		},
	)
}

// envResolver fills a flag not given on the command line from the first of
// its environment variables (the env tag) that is set and not empty.
func envResolver(getenv func(string) string) kong.Resolver {
	return kong.ResolverFunc(func(_ *kong.Context, _ *kong.Path, f *kong.Flag) (any, error) {
		for _, name := range f.Envs {
			if v := getenv(name); v != "" {
				return v, nil
			}
		}
		return nil, nil
	})
}

// helpCmd prints the help of the command named by its arguments.
type helpCmd struct {
	Command []string `arg:"" optional:"" help:"The command to explain, e.g. import or token create."`
}

func (h *helpCmd) Run(kctx *kong.Context) error {
	_, err := kctx.Kong.Parse(append(h.Command, "--help"))
	return err // Parse prints the help and exits through exitRequest
}
