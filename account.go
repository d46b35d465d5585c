package heed

import "time"

// Session is a signed-in browser. The cookie carries a random token; the
// store keeps only its SHA-256, so a leaked database grants no sessions.
type Session struct {
	TokenHash  string
	EmployeeID int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
}

// APIToken is a bearer credential for the REST API. Either it acts as an
// employee (EmployeeID set: it sees exactly what they see) or it carries a
// role of its own (with a unit for manager and frontline roles).
type APIToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	Prefix     string     `json:"prefix"` // first characters of the token, to recognise it in lists
	Role       Role       `json:"role"`
	Employee   string     `json:"employee,omitempty"` // employee email when it acts as one
	EmployeeID int64      `json:"-"`
	Unit       string     `json:"unit,omitempty"`
	UnitID     int64      `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

// Credentials are what the store keeps to check a password.
type Credentials struct {
	Employee     Employee
	PasswordHash string // PHC string, e.g. $argon2id$v=19$m=...; "" when none set
	UnitPath     string
	UnitID       int64
}
