package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

// tokenCmd groups the commands that manage API tokens.
type tokenCmd struct {
	DBFlag
	Create tokenCreateCmd `cmd:"" help:"Create an API token and print it (only the token, on standard output)."`
	List   tokenListCmd   `cmd:"" help:"List API tokens (never the secrets: they are stored hashed)."`
	Revoke tokenRevokeCmd `cmd:"" help:"Revoke an API token by its id."`
}

type tokenCreateCmd struct {
	Name     string `name:"name" required:"" help:"What the token is for, e.g. crm-sync."`
	Role     string `name:"role" xor:"acts-as" placeholder:"ROLE" help:"The token's own role: frontline, manager (both need --unit), analyst or admin."`
	Unit     string `name:"unit" placeholder:"KEY" help:"With --role frontline or manager: the unit whose data the token sees."`
	Employee string `name:"employee" xor:"acts-as" placeholder:"EMAIL" help:"Act as this employee instead: the token sees exactly what they see."`
}

func (c *tokenCreateCmd) Run(ctx context.Context, a *app, t *tokenCmd) error {
	switch {
	case c.Role == "" && c.Employee == "":
		return heed.Errorf(heed.EInvalid, "give --role ROLE (with --unit KEY for frontline and manager) or --employee EMAIL")
	case c.Employee != "" && c.Unit != "":
		return heed.Errorf(heed.EInvalid, "--unit goes with --role; a token for an employee has the employee's unit")
	}
	return withAccounts(ctx, t.DB, func(acc *accounts.Service) error {
		secret, tok, err := acc.CreateToken(ctx, heed.System(), accounts.NewToken{
			Name: c.Name, Role: heed.Role(c.Role), Employee: c.Employee, Unit: c.Unit,
		})
		if err != nil {
			return err
		}
		// Only the token goes to stdout, so TOKEN=$(heed token create ...) works.
		fmt.Fprintf(a.stderr, "token %d %q (%s) created; it is shown only this once\n", tok.ID, tok.Name, actsAs(tok))
		_, err = fmt.Fprintln(a.stdout, secret)
		return err
	})
}

type tokenListCmd struct{}

func (c *tokenListCmd) Run(ctx context.Context, a *app, t *tokenCmd) error {
	var toks []heed.APIToken
	err := withAccounts(ctx, t.DB, func(acc *accounts.Service) (err error) {
		toks, err = acc.ListTokens(ctx, heed.System())
		return err
	})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tPREFIX\tACTS AS\tCREATED\tLAST USED\tSTATE")
	for _, tok := range toks {
		state := "active"
		if tok.RevokedAt != nil {
			state = "revoked " + tok.RevokedAt.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", tok.ID, tok.Name, tok.Prefix, actsAs(tok),
			tok.CreatedAt.Local().Format(time.DateTime), when(tok.LastUsedAt), state)
	}
	return tw.Flush()
}

type tokenRevokeCmd struct {
	ID int64 `arg:"" help:"The token's id (see heed token list)."`
}

func (c *tokenRevokeCmd) Run(ctx context.Context, a *app, t *tokenCmd) error {
	err := withAccounts(ctx, t.DB, func(acc *accounts.Service) error {
		return acc.RevokeToken(ctx, heed.System(), c.ID)
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "token %d revoked\n", c.ID)
	return err
}

// actsAs describes whose rights a token carries.
func actsAs(t heed.APIToken) string {
	switch {
	case t.Employee != "":
		return "employee " + t.Employee
	case t.Unit != "":
		return fmt.Sprintf("%s of %s", t.Role, t.Unit)
	}
	return string(t.Role)
}

// when formats an optional time for a table.
func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format(time.DateTime)
}
