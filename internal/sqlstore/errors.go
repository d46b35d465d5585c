package sqlstore

import (
	"errors"
	"fmt"

	"github.com/heedhq/heed"
)

// About prefixes the message of a classified error with the row it is
// about, so a batch error names the culprit: customer "C1": no unit "x".
// Both stores name culprits alike so an import reports the same words on
// either engine. Internal errors and a missing key are left alone.
func About(err error, what, key string) error {
	var e *heed.Error
	if key == "" || !errors.As(err, &e) || e.Code == heed.EInternal {
		return err
	}
	c := *e
	c.Message = fmt.Sprintf("%s %q: %s", what, key, e.Message)
	return &c
}

// KeyNotFound is the error for a natural key that names nothing: ENotFound
// on field, "no unit \"x\"". Both stores word it alike for every key a
// caller can give (unit key, owner email, parent unit).
func KeyNotFound(field, what, key string) error {
	return heed.FieldErrorf(heed.ENotFound, field, "no %s %q", what, key)
}
