package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/heedhq/heed"
)

// Customer segments and the share of customers in each.
const (
	consumer = "consumer"
	business = "business" // clubs, schools, tour operators buying on account
	vip      = "vip"
)

// segmentSpec shapes one segment: annual revenue is log-normal around a
// median, and business and VIP customers often have a named account
// manager.
type segmentSpec struct {
	name   string
	share  float64
	median float64 // annual revenue, pounds
	sigma  float64
	owned  float64 // share with an account manager as owner
}

var segments = []segmentSpec{
	{consumer, 0.80, 320, 0.8, 0},
	{business, 0.15, 8500, 0.9, 0.7},
	{vip, 0.05, 4800, 0.5, 0.7},
}

var (
	emailDomains  = []string{"example.com", "example.org", "example.net", "mail.example", "inbox.example", "post.example"}
	companyFirst  = []string{"Harbour", "Oakridge", "Kestrel", "Summit", "Bluebell", "Ironbridge", "Northgate", "Riverside", "Heather", "Granite", "Fellside", "Copperfield", "Larchwood", "Skyline", "Moorland", "Tidewater"}
	companySecond = []string{"Rowing Club", "Scout Group", "Adventure Tours", "Field Studies", "Events", "Ramblers", "Outdoor Education", "Climbing Club", "Expeditions", "Cycling Club", "Primary School", "Bushcraft", "Sailing Club", "Guiding"}
	channels      = []string{"store", "store", "online", "both"}
)

// buildCustomers spreads n customers over the stores, bigger stores
// getting more.
func buildCustomers(r *rand.Rand, o *org, n int) []heed.Customer {
	weights := make([]int, len(o.stores))
	total := 0
	for i, s := range o.stores {
		weights[i] = 1 << (s.size - 1) // 1, 2, 4
		total += weights[i]
	}
	out := make([]heed.Customer, 0, n)
	id := 100_000
	for range n {
		id += 1 + r.IntN(3) // gaps, as in a CRM where some were deleted
		k := r.IntN(total)
		i := 0
		for k >= weights[i] {
			k -= weights[i]
			i++
		}
		out = append(out, o.customer(r, fmt.Sprintf("NW%06d", id), o.stores[i]))
	}
	return out
}

func (o *org) customer(r *rand.Rand, id string, st store) heed.Customer {
	seg := pickSegment(r)
	p := pickPerson(r)
	c := heed.Customer{
		ExternalID: id,
		Name:       p.name(),
		Language:   p.lang,
		Segment:    seg.name,
		Value:      revenue(r, seg),
		Unit:       st.key,
		Consent:    r.Float64() < 0.92,
	}
	attrs := map[string]string{"since": since(r, seg.name), "channel": pick(r, channels)}
	if seg.name == business {
		company := pick(r, companyFirst) + " " + pick(r, companySecond)
		attrs["company"], attrs["account"] = company, "trade"
		attrs["payment_terms"] = pick(r, []string{"14 days", "30 days", "30 days", "60 days"})
		c.Email = o.uniqueEmail(slug(p.first, "")+"."+slug(p.last, ""), slug(company, "-")+".example")
	} else {
		attrs["loyalty_tier"] = tier(r, seg.name)
		c.Email = o.uniqueEmail(localPart(r, p), pick(r, emailDomains))
	}
	if r.Float64() < 0.85 {
		c.Phone = phone(r, p.lang)
	}
	if seg.owned > 0 && r.Float64() < seg.owned {
		c.Owner = pick(r, o.accountManagers(r, st))
	}
	c.Attributes, _ = json.Marshal(attrs) // a map of strings always marshals
	return c
}

// accountManagers are whom a store's key account may belong to: mostly
// the store's own account managers, but one in ten follows a manager of
// another store of the region (a club that moved, a school across town).
// That makes a frontline employee's view differ from their store
// manager's, as the access rules promise: own unit plus own customers.
func (o *org) accountManagers(r *rand.Rand, st store) []string {
	if r.Float64() >= 0.1 {
		return st.frontline
	}
	var others []string
	for _, s := range o.stores {
		if s.region == st.region && s.key != st.key {
			others = append(others, s.frontline...)
		}
	}
	if len(others) == 0 {
		return st.frontline
	}
	return others
}

func pickSegment(r *rand.Rand) segmentSpec {
	x := r.Float64()
	for _, s := range segments {
		if x < s.share {
			return s
		}
		x -= s.share
	}
	return segments[0]
}

// revenue draws a log-normal annual revenue, in whole pence.
func revenue(r *rand.Rand, s segmentSpec) heed.Decimal {
	v := s.median * math.Exp(s.sigma*r.NormFloat64())
	pence := int64(math.Round(v * 100))
	return heed.Decimal(pence * 100) // heed.Decimal counts ten-thousandths
}

// localPart varies how people spell their address.
func localPart(r *rand.Rand, p person) string {
	first, last := slug(p.first, ""), slug(p.last, "")
	switch r.IntN(6) {
	case 0:
		return first + last
	case 1:
		return first[:1] + "." + last
	case 2:
		return first + "_" + last
	case 3:
		return fmt.Sprintf("%s.%s%d", first, last, 60+r.IntN(45))
	}
	return first + "." + last
}

func tier(r *rand.Rand, segment string) string {
	if segment == vip {
		return pick(r, []string{"gold", "platinum", "platinum"})
	}
	return pick(r, []string{"bronze", "bronze", "bronze", "silver", "silver", "gold"})
}

// since is the month the customer joined; VIPs have been around longer.
func since(r *rand.Rand, segment string) string {
	from := 2014
	if segment == vip {
		from = 2009
	}
	return fmt.Sprintf("%d-%02d", from+r.IntN(2026-from), 1+r.IntN(12))
}

// phone writes a mobile number of the country the language suggests.
func phone(r *rand.Rand, lang string) string {
	d := func(n int) string { return fmt.Sprintf("%0*d", n, r.IntN(int(math.Pow10(n)))) }
	switch lang {
	case "nl":
		return "+31 6 " + d(8)
	case "de":
		return "+49 15" + d(1) + " " + d(7)
	case "fr":
		return "+33 6 " + d(2) + " " + d(2) + " " + d(2) + " " + d(2)
	case "es":
		return "+34 6" + d(2) + " " + d(3) + " " + d(3)
	}
	return "+44 7" + d(3) + " " + d(6)
}
