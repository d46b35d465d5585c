package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/heedhq/heed"
)

// customersPerPage is how many customers one page of the list shows.
const customersPerPage = 50

// customersBody is the content of customers.html.
type customersBody struct {
	Customers []heed.Customer
	Total     int // every customer the viewer may see
	Query     string
	Unit      string
	Units     []unitOption // for the filter, in tree order
	UnitNames map[string]string
	Paged     bool   // this is not the first page
	FirstURL  string // the first page of this search
	NextURL   string // "" on the last page
}

// customerList searches the customers the viewer may see (?q=TEXT,
// ?unit=KEY), a page at a time (?cursor=).
func (s *server) customerList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	f := heed.CustomerFilter{
		Query:  strings.TrimSpace(q.Get("q")),
		Unit:   strings.TrimSpace(q.Get("unit")),
		Cursor: q.Get("cursor"),
		Limit:  customersPerPage,
	}
	page, err := s.dir.ListCustomers(ctx, v.P, f)
	if err != nil {
		return err
	}
	total, err := s.dir.CountCustomers(ctx, v.P)
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body := customersBody{
		Customers: page.Customers, Total: total, Query: f.Query, Unit: f.Unit,
		Units: unitOptions(units), UnitNames: unitNames(units),
		Paged: f.Cursor != "", FirstURL: customersURL(f.Query, f.Unit, ""),
	}
	if page.NextCursor != "" {
		body.NextURL = customersURL(f.Query, f.Unit, page.NextCursor)
	}
	return s.render(w, r, http.StatusOK, "customers", view{Title: "Customers", Section: "customers", Body: body})
}

// customersURL links to a page of a customer search.
func customersURL(query, unit, cursor string) string {
	v := url.Values{}
	if query != "" {
		v.Set("q", query)
	}
	if unit != "" {
		v.Set("unit", unit)
	}
	if cursor != "" {
		v.Set("cursor", cursor)
	}
	if len(v) == 0 {
		return "/customers"
	}
	return "/customers?" + v.Encode()
}

// customerBody is the content of customer.html.
type customerBody struct {
	Customer   heed.Customer
	UnitName   string
	UnitLink   bool // the viewer may open the unit's page
	OwnerName  string
	Attributes []attribute
	// With the events service: what Heed makes of the customer.
	Profile *profileView
	// With the feedback service: what they said, from every source,
	// newest first; More when there is older feedback than shown.
	Feedback     []feedbackRow
	MoreFeedback bool
	HasFeedback  bool // the feedback service is wired
}

// attribute is one free attribute of a customer, for display.
type attribute struct{ Key, Value string }

// customerDetail shows everything about one customer the viewer may see;
// a customer outside their scope is a plain 404, like a missing one.
func (s *server) customerDetail(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	c, err := s.dir.GetCustomer(ctx, v.P, r.PathValue("id"))
	if err != nil {
		return err
	}
	body := customerBody{Customer: c, UnitName: c.Unit, Attributes: attributes(c.Attributes)}
	// A frontline employee may own a customer of another unit: they see
	// the customer but not that unit, so it is shown by key, unlinked.
	if u, err := s.dir.GetUnit(ctx, v.P, c.Unit); err == nil {
		body.UnitName, body.UnitLink = u.Name, true
	} else if !heed.IsNotFound(err) {
		return err
	}
	body.OwnerName = cmp.Or(c.OwnerName, c.Owner)
	if body.Profile, err = s.customerProfile(ctx, v.P, c, body.UnitLink); err != nil {
		return err
	}
	body.HasFeedback = s.fb != nil
	if body.Feedback, body.MoreFeedback, err = s.customerFeedbackRows(ctx, v.P, c); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "customer", view{Title: c.Name, Section: "customers", Body: body})
}

// attributes flattens a customer's JSON object into sorted key/value
// rows; strings show as they are, anything else as compact JSON.
func attributes(raw json.RawMessage) []attribute {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make([]attribute, 0, len(m))
	for k, v := range m {
		var s string
		if json.Unmarshal(v, &s) != nil {
			var buf bytes.Buffer
			if json.Compact(&buf, v) == nil {
				s = buf.String()
			} else {
				s = string(v)
			}
		}
		out = append(out, attribute{Key: k, Value: s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
