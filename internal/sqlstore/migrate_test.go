package sqlstore

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/heedhq/heed/internal/migration"
)

func TestMigrate(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/0001_a.sql": {Data: []byte("a")},
		"migrations/0002_b.sql": {Data: []byte("b")},
		"migrations/0003_c.sql": {Data: []byte("c")},
	}
	var applied []string
	apply := func(m migration.Migration) error {
		if m.Name == "0003_c.sql" {
			return errors.New("syntax error")
		}
		applied = append(applied, m.Name)
		return nil
	}
	v, err := Migrate(fsys, func() (int, error) { return 1, nil }, apply)
	if err == nil || v != 2 {
		t.Errorf("Migrate = %d, %v; want version 2 and the error of 0003", v, err)
	}
	if len(applied) != 1 || applied[0] != "0002_b.sql" {
		t.Errorf("applied %v; want only 0002_b.sql", applied)
	}
}
