package heed

import (
	"encoding/json"
	"time"
)

// Role decides what an employee (or an API token) may see and change.
type Role string

const (
	RoleFrontline Role = "frontline" // sees own customers and own unit's
	RoleManager   Role = "manager"   // sees own unit and every unit below
	RoleAnalyst   Role = "analyst"   // sees everything, changes nothing
	RoleAdmin     Role = "admin"     // sees and changes everything
)

// Roles lists every role, lowest first (a new slice each call).
func Roles() []Role {
	return []Role{RoleFrontline, RoleManager, RoleAnalyst, RoleAdmin}
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles() {
		if r == x {
			return true
		}
	}
	return false
}

// Unit is a node of the organisation tree: company, region, store, team.
// Key is stable and chosen by the customer's systems; ID is ours.
type Unit struct {
	ID          int64     `json:"-"`
	Key         string    `json:"key"`
	Name        string    `json:"name"`
	Parent      string    `json:"parent"`      // parent unit's key; "" for a root
	Responsible string    `json:"responsible"` // email of the employee who answers for it; may be ""
	Depth       int       `json:"depth"`       // 0 for a root
	Path        string    `json:"-"`           // "/1/5/23/": IDs from the root down, for subtree queries
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Employee is a person of the organisation; with a password they are also a
// user of Heed.
type Employee struct {
	ID          int64     `json:"-"`
	Email       string    `json:"email"` // lower-cased, unique
	Name        string    `json:"name"`
	Role        Role      `json:"role"`
	Unit        string    `json:"unit"` // unit key; "" only for analysts and admins
	HasPassword bool      `json:"has_password"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Customer is someone whose feedback Heed collects.
type Customer struct {
	ID         int64           `json:"-"`
	ExternalID string          `json:"external_id"`
	Name       string          `json:"name"`
	Email      string          `json:"email"`
	Phone      string          `json:"phone"`
	Language   string          `json:"language"` // BCP 47 tag, e.g. "en", "nl-BE"
	Segment    string          `json:"segment"`
	Value      Decimal         `json:"value"`
	Owner      string          `json:"owner"`                // owner employee's email; may be ""
	OwnerName  string          `json:"owner_name,omitempty"` // owner's name; read-only, filled on reads, ignored on writes
	Unit       string          `json:"unit"`                 // unit key
	Attributes json.RawMessage `json:"attributes"`
	Consent    bool            `json:"consent"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}

// UpsertResult counts what a batch upsert did. Unchanged rows keep their
// updated_at, so re-importing the same file changes nothing.
type UpsertResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Add accumulates o into r.
func (r *UpsertResult) Add(o UpsertResult) {
	r.Created += o.Created
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
}
