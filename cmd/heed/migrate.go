package main

import (
	"context"
	"fmt"
)

// migrateCmd applies the embedded migrations alone, e.g. before starting
// several `heed serve` processes on one PostgreSQL.
type migrateCmd struct {
	DBFlag
}

func (c *migrateCmd) Run(ctx context.Context, a *app) error {
	s, err := openDB(ctx, c.DB)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	_, err = fmt.Fprintf(a.stdout, "schema version %d\n", v)
	return err
}
