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

// RowErr classifies the error of a query for one row: the driver's
// no-rows sentinel (sql.ErrNoRows, pgx.ErrNoRows) becomes notFound, any
// other error an internal one under op, nil stays nil. Both stores use it
// so a missing row is ENotFound and nothing else on either engine.
func RowErr(err, noRows, notFound error, op string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, noRows):
		return notFound
	}
	return heed.Internal(err, op)
}

// KeyNotFound is the error for a natural key that names nothing: ENotFound
// on field, "no unit \"x\"". Both stores word it alike for every key a
// caller can give (unit key, owner email, parent unit).
func KeyNotFound(field, what, key string) error {
	return heed.FieldErrorf(heed.ENotFound, field, "no %s %q", what, key)
}

// Found classifies the error of a query for one row that may be missing:
// false with no error for the driver's no-rows sentinel, an internal
// error under op for any other error. Both stores use it where a missing
// row is an answer (an upsert's "not stored yet"), not a failure.
func Found(err, noRows error, op string) (bool, error) {
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, noRows):
		return false, nil
	}
	return false, heed.Internal(err, op)
}
