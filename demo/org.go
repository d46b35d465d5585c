package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/heedhq/heed"
)

// regionSpec is a region with its manager and stores. Store size (1 a
// high-street shop, 2 a large store, 3 a flagship) sets how many account
// managers it has and how many customers it serves.
type regionSpec struct {
	key, name, label string
	manager          person
	stores           []storeSpec
}

type storeSpec struct {
	name string
	size int
}

var regionSpecs = []regionSpec{
	{"north", "North: Scotland & Northern England", "North", person{first: "Fiona", last: "Campbell"}, []storeSpec{
		{"Edinburgh Princes Street", 3}, {"Glasgow Buchanan Street", 3}, {"Aberdeen Union Square", 1},
		{"Newcastle Eldon Square", 2}, {"Leeds Trinity", 2}, {"Manchester Arndale", 3},
		{"Manchester Trafford Centre", 2}, {"Liverpool ONE", 2}, {"Sheffield Meadowhall", 1},
		{"York Coppergate", 1}, {"Keswick Main Street", 1},
	}},
	{"south", "South: London & the South East", "South", person{first: "James", last: "Whitfield"}, []storeSpec{
		{"London Covent Garden", 3}, {"London Oxford Street", 3}, {"London Canary Wharf", 2},
		{"London Westfield Stratford", 2}, {"Brighton Churchill Square", 2}, {"Guildford High Street", 1},
		{"Reading Oracle", 1}, {"Southampton WestQuay", 1}, {"Canterbury Whitefriars", 1},
		{"Oxford Westgate", 1}, {"Milton Keynes Centre", 1},
	}},
	{"east", "East: Midlands & East Anglia", "East", person{first: "Priya", last: "Sharma"}, []storeSpec{
		{"Birmingham Bullring", 3}, {"Nottingham Victoria Centre", 2}, {"Leicester Highcross", 2},
		{"Cambridge Grand Arcade", 2}, {"Norwich Chapelfield", 1}, {"Coventry West Orchards", 1},
		{"Derby Eagle Market", 1}, {"Peterborough Queensgate", 1}, {"Lincoln Cornhill", 1},
	}},
	{"west", "West: Wales & the South West", "West", person{first: "Rhys", last: "Davies"}, []storeSpec{
		{"Bristol Cabot Circus", 3}, {"Cardiff St David's", 2}, {"Bath SouthGate", 1},
		{"Exeter Princesshay", 1}, {"Plymouth Drake Circus", 1}, {"Swansea Quadrant", 1},
		{"Gloucester Quays", 1}, {"Cheltenham Regent Arcade", 1}, {"Betws-y-Coed Outdoor Centre", 1},
	}},
}

// The store whose staff get demo logins: a flagship in the North, so the
// regional manager's login sees it too.
const loginStore = "Manchester Arndale"

// store is what customers need to know about a store.
type store struct {
	key       string
	region    string
	size      int
	frontline []string // account managers' emails
}

// org is the organisation being built.
type org struct {
	units     []heed.Unit
	employees []heed.Employee
	logins    []Login
	stores    []store
	emails    map[string]bool // taken, to keep addresses unique
	names     map[string]bool // taken, so no two employees look alike in a list
}

func buildOrg(r *rand.Rand) *org {
	o := &org{emails: map[string]bool{}, names: map[string]bool{}}
	o.headOffice(r)
	for _, rs := range regionSpecs {
		mgr := o.hire(rs.manager, heed.RoleManager, rs.key)
		o.unit(rs.key, rs.name, companyKey, mgr)
		for _, ss := range rs.stores {
			if ss.name == loginStore {
				o.login(mgr, "demo-region-2026", "regional manager, "+rs.label)
			}
			o.addStore(r, rs.key, ss)
		}
	}
	return o
}

// headOffice adds the company, the people without a unit, and the
// customer-care team.
func (o *org) headOffice(r *rand.Rand) {
	admin := heed.Employee{Email: "admin@" + domain, Name: "Alex Morgan", Role: heed.RoleAdmin}
	o.emails[admin.Email] = true
	o.employees = append(o.employees, admin)
	o.login(admin.Email, "demo-admin-2026", "admin")
	o.hire(person{first: "Noor", last: "Haddad"}, heed.RoleAnalyst, "")
	md := o.hire(person{first: "Margaret", last: "Hale"}, heed.RoleManager, companyKey)
	o.unit(companyKey, companyName, "", md)
	lead := o.hire(person{first: "Grace", last: "Okafor"}, heed.RoleManager, "customer-care")
	o.unit("customer-care", "Customer Care", companyKey, lead)
	for range 3 {
		o.hire(o.newPerson(r), heed.RoleFrontline, "customer-care")
	}
}

func (o *org) addStore(r *rand.Rand, region string, ss storeSpec) {
	key := "store-" + slug(ss.name, "-")
	mgr := o.hire(o.newPerson(r), heed.RoleManager, key)
	o.unit(key, ss.name, region, mgr)
	st := store{key: key, region: region, size: ss.size}
	n := ss.size
	if ss.size == 1 {
		n = 1 + r.IntN(2)
	}
	for range n {
		st.frontline = append(st.frontline, o.hire(o.newPerson(r), heed.RoleFrontline, key))
	}
	o.stores = append(o.stores, st)
	if ss.name == loginStore {
		o.login(mgr, "demo-store-2026", "store manager, "+ss.name)
		o.login(st.frontline[0], "demo-frontline-2026", "account manager, "+ss.name)
	}
}

// unit appends a unit; callers add parents first.
func (o *org) unit(key, name, parent, responsible string) {
	o.units = append(o.units, heed.Unit{Key: key, Name: name, Parent: parent, Responsible: responsible})
}

// newPerson picks someone whose name no employee has yet.
func (o *org) newPerson(r *rand.Rand) person {
	for {
		if p := pickPerson(r); !o.names[p.name()] {
			return p
		}
	}
}

// hire adds an employee and returns their (unique) email.
func (o *org) hire(p person, role heed.Role, unit string) string {
	email := o.uniqueEmail(slug(p.first, "")+"."+slug(p.last, ""), domain)
	o.names[p.name()] = true
	o.employees = append(o.employees, heed.Employee{Email: email, Name: p.name(), Role: role, Unit: unit})
	return email
}

func (o *org) login(email, password, desc string) {
	for _, e := range o.employees {
		if e.Email == email {
			o.logins = append(o.logins, Login{Email: email, Password: password, Role: string(e.Role), Description: desc})
			return
		}
	}
}

// uniqueEmail returns local@domain, or local2@domain and so on when that
// is taken, and marks it taken.
func (o *org) uniqueEmail(local, domain string) string {
	email := local + "@" + domain
	for i := 2; o.emails[email]; i++ {
		email = fmt.Sprintf("%s%d@%s", local, i, domain)
	}
	o.emails[email] = true
	return email
}
