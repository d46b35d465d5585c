package main

import (
	"context"
	"fmt"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

// userCmd groups the commands that manage who may sign in.
type userCmd struct {
	DBFlag
	Add    userAddCmd    `cmd:"" help:"Add a user (or give an existing employee a role and a password)."`
	Passwd userPasswdCmd `cmd:"" help:"Set a user's password."`
}

type userAddCmd struct {
	Email         string `name:"email" required:"" help:"The user's email address; they sign in with it."`
	Role          string `name:"role" required:"" enum:"frontline,manager,analyst,admin" help:"frontline or manager (both need --unit), analyst (sees all) or admin (sees and changes all)."`
	Unit          string `name:"unit" placeholder:"KEY" help:"Key of the unit the user belongs to."`
	Name          string `name:"name" help:"Full name; default: the part of the email before @ (or the name already on file)."`
	PasswordStdin bool   `name:"password-stdin" help:"Read the password from the first line of standard input. Otherwise it is asked for on a terminal, or generated and printed."`
}

func (c *userAddCmd) Run(ctx context.Context, a *app, u *userCmd) error {
	return a.withNewPassword(ctx, u.DB, c.PasswordStdin, c.Email, func(acc *accounts.Service, pw string) error {
		emp, err := acc.AddUser(ctx, heed.System(), accounts.NewUser{
			Email: c.Email, Name: c.Name, Role: heed.Role(c.Role), Unit: c.Unit, Password: pw,
		})
		if err != nil {
			return err
		}
		unit := emp.Unit
		if unit == "" {
			unit = "none"
		}
		fmt.Fprintf(a.stdout, "user %s (%s): role %s, unit %s\n", emp.Email, emp.Name, emp.Role, unit)
		return nil
	})
}

type userPasswdCmd struct {
	Email         string `arg:"" help:"The user's email address."`
	PasswordStdin bool   `name:"password-stdin" help:"Read the password from the first line of standard input. Otherwise it is asked for on a terminal, or generated and printed."`
}

func (c *userPasswdCmd) Run(ctx context.Context, a *app, u *userCmd) error {
	return a.withNewPassword(ctx, u.DB, c.PasswordStdin, c.Email, func(acc *accounts.Service, pw string) error {
		// SetPassword on an unknown email would change nothing; say so instead.
		if _, err := acc.PrincipalFor(ctx, c.Email); err != nil {
			if heed.IsNotFound(err) {
				return heed.Errorf(heed.ENotFound, "no employee %q (add them with heed user add)", c.Email)
			}
			return err
		}
		if err := acc.SetPassword(ctx, heed.System(), c.Email, pw); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "password of %s changed\n", c.Email)
		return nil
	})
}

// withNewPassword gets a new password for email (see password), runs set
// with it against the accounts in dsn and then, if the password was
// generated, prints it: the one time anyone sees it.
func (a *app) withNewPassword(ctx context.Context, dsn string, fromStdin bool, email string, set func(*accounts.Service, string) error) error {
	pw, generated, err := a.password(fromStdin, email)
	if err != nil {
		return err
	}
	if err := withAccounts(ctx, dsn, func(acc *accounts.Service) error { return set(acc, pw) }); err != nil {
		return err
	}
	if generated {
		fmt.Fprintf(a.stdout, "password: %s\n", pw)
	}
	return nil
}
