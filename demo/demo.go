// Package demo builds the realistic organisation and customers `heed demo`
// shows a new user: a British outdoor retailer with four regions, forty
// stores, their managers and account managers, 12,000 customers, and two
// surveys with six months of answers that differ by store. The same seed
// always gives the same data.
package demo

import (
	"math/rand/v2"

	"github.com/heedhq/heed"
)

// Dataset is everything the demo loads, in an order the store accepts:
// parents before children, units before employees before customers.
type Dataset struct {
	Units     []heed.Unit
	Employees []heed.Employee // without passwords; see Logins
	Customers []heed.Customer
	Logins    []Login
	// Surveys and Programs are created by LoadSurveys, which then writes
	// six months of answers drawn from Seed and the stores' Characters.
	Surveys    []heed.Survey
	Programs   []heed.Program
	Characters []Character // one per store
	Seed       int64
}

// Login is a demo account to print for the user; whoever loads the dataset
// sets these passwords.
type Login struct {
	Email, Password, Role, Description string
}

// The brand: a UK outdoor retailer; employees' emails and the company
// unit derive from these.
const (
	companyKey  = "northwind"
	companyName = "Northwind Outfitters"
	domain      = "northwind.example"
	customers   = 12_000
)

// Generate builds the demo data for seed.
func Generate(seed int64) Dataset {
	r := rand.New(rand.NewPCG(uint64(seed), 0x6865656420646d6f)) // "heed dmo"
	o := buildOrg(r)
	ds := Dataset{
		Units:     o.units,
		Employees: o.employees,
		Customers: buildCustomers(r, o, customers),
		Logins:    o.logins,
		Surveys:   buildSurveys(),
		Seed:      seed,
	}
	// A stream of its own, so that adding surveys changed none of the
	// people an existing demo database holds.
	rs := rand.New(rand.NewPCG(uint64(seed), surveyStream))
	ds.Programs = buildPrograms(rs)
	ds.Characters = buildCharacters(rs)
	return ds
}
