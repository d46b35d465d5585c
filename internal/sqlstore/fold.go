package sqlstore

import (
	"strings"

	"github.com/heedhq/heed"
)

// SearchSeparator joins the fields of a customer's search text. Fold turns
// it (a control character) into a space, so no folded query contains it
// and a search never matches across two fields.
const SearchSeparator = "\x1f"

// CustomerKeys are a customer's derived columns: sort_name, by which
// customers are listed, and search_text, in which a search looks.
type CustomerKeys struct {
	SortName, SearchText string
}

// Keys derives the sort and search columns from a customer's name, email,
// phone and external id. Both stores call it, so both engines order and
// match alike whatever their collation.
func Keys(name, email, phone, externalID string) CustomerKeys {
	sortName := heed.Fold(name)
	return CustomerKeys{
		SortName:   sortName,
		SearchText: strings.Join([]string{sortName, heed.Fold(email), heed.Fold(phone), heed.Fold(externalID)}, SearchSeparator),
	}
}

// SearchPattern is the LIKE pattern (with ESCAPE '\') that finds query in
// search_text, and false when the folded query is empty and so matches
// every customer.
func SearchPattern(query string) (string, bool) {
	q := heed.Fold(query)
	if q == "" {
		return "", false
	}
	return LikeContains(q), true
}

// LikeContains is a LIKE pattern (with ESCAPE '\') matching text anywhere.
func LikeContains(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}
