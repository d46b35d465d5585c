package sqlstore

import (
	"io/fs"

	"github.com/heedhq/heed/internal/migration"
)

// Migrate applies the migrations in fsys newer than the schema's
// version, in order, each through apply (one transaction in the engine's
// way), and returns the version reached, the last applied one's when
// apply fails. Both stores migrate here, so they skip and stop alike.
func Migrate(fsys fs.FS, version func() (int, error), apply func(migration.Migration) error) (int, error) {
	files, err := migration.Read(fsys)
	if err != nil {
		return 0, err
	}
	current, err := version()
	if err != nil {
		return 0, err
	}
	for _, m := range files {
		if m.Version <= current {
			continue
		}
		if err := apply(m); err != nil {
			return current, err
		}
		current = m.Version
	}
	return current, nil
}
