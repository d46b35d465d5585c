package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
	"github.com/heedhq/heed/postgres"
	"github.com/heedhq/heed/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
)

const (
	defaultDB     = "sqlite:./heed-data/heed.db"
	defaultDemoDB = "sqlite:./heed-data/demo.db"
)

// DBFlag is the --db flag shared by every command that opens the store.
type DBFlag struct {
	DB string `name:"db" env:"HEED_DB" default:"${default_db}" help:"Database: sqlite:PATH (the folder is created if missing) or postgres://user:pass@host:5432/db."`
}

// openDB opens the store named by dsn without migrating it:
// "sqlite:PATH" or a postgres:// (postgresql://) URL.
func openDB(ctx context.Context, dsn string) (heed.Store, error) {
	s, err := openEngine(ctx, dsn)
	if err != nil {
		return nil, namedDB(err, dsn)
	}
	return s, nil
}

func openEngine(ctx context.Context, dsn string) (heed.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if path == "" {
			return nil, fmt.Errorf("--db %q: want sqlite:PATH", dsn)
		}
		return sqlite.Open(ctx, path)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	}
	return nil, fmt.Errorf("--db %q: want sqlite:PATH or postgres://...", redact(dsn))
}

// openStore opens the store and applies the migrations it lacks, as every
// command but `heed migrate` does on start.
func openStore(ctx context.Context, dsn string) (heed.Store, error) {
	s, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("migrate %s: %w", redact(dsn), err)
	}
	return s, nil
}

// withAccounts opens the store for one command of the user and token
// groups, runs do with the accounts service over it, and closes it.
func withAccounts(ctx context.Context, dsn string, do func(*accounts.Service) error) error {
	store, err := openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	return do(accounts.New(store, time.Now, accounts.Config{}))
}

// redact hides the password of a database URL, for messages and logs.
func redact(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return dsn
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return dsn
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// namedDB says which database could not be reached: the store's own
// message does not know what --db said, and the operator may have more
// than one.
// When the server answered with a reason (no such role, no such
// database, a wrong password), that reason is the message: the operator
// at the CLI owns the database and needs it to fix --db.
func namedDB(err error, dsn string) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return &heed.Error{Code: heed.EUnavailable, Message: "the database " + redact(dsn) + " refused: " + pe.Message, Err: err}
	}
	if heed.ErrorCode(err) != heed.EUnavailable {
		return err
	}
	return &heed.Error{Code: heed.EUnavailable, Message: "cannot reach the database " + redact(dsn), Err: err}
}
