package sqlstore

import "github.com/heedhq/heed"

// TaxonomyColumns are the columns both engines' scanTaxonomy read, in
// its order.
const TaxonomyColumns = `themes, version, updated_at, updated_by, reread_total, reread_done, reread_cursor, reread_finished`

// CheckTaxonomySave refuses a save no store can hold.
func CheckTaxonomySave(themes string, expected int, by string) error {
	if expected < 0 {
		return heed.FieldErrorf(heed.EInvalid, "version", "a version is 0 or more, not %d", expected)
	}
	return CheckText("themes", themes, "by", by)
}

// TaxonomyNotFound is the error when no taxonomy was ever saved.
func TaxonomyNotFound() error {
	return heed.Errorf(heed.ENotFound, "no taxonomy saved: the default applies")
}

// TaxonomyStale is the error of a save against a version that is no
// longer the stored one.
func TaxonomyStale(expected int) error {
	return heed.FieldErrorf(heed.EConflict, "version",
		"the taxonomy changed since version %d: reload it and make your changes again", expected)
}

// RereadMoved is the error of a re-reading page whose taxonomy was saved
// again, or whose cursor another run moved, meanwhile.
func RereadMoved() error {
	return heed.Errorf(heed.EConflict, "the taxonomy or its re-reading moved on")
}
