package directory

import (
	"encoding/json"
	"errors"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/heedhq/heed"
)

// problem is one rule a value breaks, before it is tied to a file line.
type problem struct{ field, text string }

var (
	keyRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]*$`)
	languageRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// Limits keep one bad row from filling the database.
const (
	maxKeyLen   = 100
	maxNameLen  = 200
	maxFieldLen = 320
	maxAttrLen  = 16 << 10
)

// validEmail accepts a bare address (no display name).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func checkText(field, v string, max int, required bool) []problem {
	switch {
	case required && v == "":
		return []problem{{field, "is required"}}
	case heed.TextProblem(v) != "":
		return []problem{{field, heed.TextProblem(v)}}
	case len(v) > max:
		return []problem{{field, "is longer than " + strconv.Itoa(max) + " bytes"}}
	}
	return nil
}

func checkEmail(field, v string, required bool) []problem {
	if v == "" {
		if required {
			return []problem{{field, "is required"}}
		}
		return nil
	}
	if len(v) > maxFieldLen || !validEmail(v) {
		return []problem{{field, "is not an email address: " + quote(v)}}
	}
	return nil
}

func validateUnit(u *heed.Unit) []problem {
	u.Key = strings.TrimSpace(u.Key)
	u.Name = strings.TrimSpace(u.Name)
	u.Parent = strings.TrimSpace(u.Parent)
	u.Responsible = heed.NormEmail(u.Responsible)
	var ps []problem
	if u.Key == "" {
		ps = append(ps, problem{"key", "is required"})
	} else if len(u.Key) > maxKeyLen || !keyRE.MatchString(u.Key) {
		ps = append(ps, problem{"key", "must be letters, digits, '.', '_', ':' or '-' (at most 100): " + quote(u.Key)})
	}
	ps = append(ps, checkText("name", u.Name, maxNameLen, true)...)
	if u.Parent != "" && u.Parent == u.Key {
		ps = append(ps, problem{"parent", "cannot be the unit itself"})
	}
	return append(ps, checkEmail("responsible", u.Responsible, false)...)
}

func validateEmployee(e *heed.Employee) []problem {
	e.Email = heed.NormEmail(e.Email)
	e.Name = strings.TrimSpace(e.Name)
	e.Role = heed.Role(strings.ToLower(strings.TrimSpace(string(e.Role))))
	e.Unit = strings.TrimSpace(e.Unit)
	if e.Name == "" && e.Email != "" {
		e.Name, _, _ = strings.Cut(e.Email, "@")
	}
	ps := checkEmail("email", e.Email, true)
	ps = append(ps, checkText("name", e.Name, maxNameLen, false)...)
	switch {
	case e.Role == "":
		ps = append(ps, problem{"role", "is required (frontline, manager, analyst or admin)"})
	case !e.Role.Valid():
		ps = append(ps, problem{"role", quote(string(e.Role)) + " is not a role (frontline, manager, analyst or admin)"})
	case e.Unit == "" && (e.Role == heed.RoleFrontline || e.Role == heed.RoleManager):
		ps = append(ps, problem{"unit", "is required for role " + string(e.Role)})
	}
	return ps
}

func validateCustomer(c *heed.Customer) []problem {
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	c.Name = strings.TrimSpace(c.Name)
	c.Email = heed.NormEmail(c.Email)
	c.Phone = strings.TrimSpace(c.Phone)
	c.Language = strings.TrimSpace(c.Language)
	c.Segment = strings.TrimSpace(c.Segment)
	c.Owner = heed.NormEmail(c.Owner)
	c.Unit = strings.TrimSpace(c.Unit)
	ps := checkText("external_id", c.ExternalID, maxNameLen, true)
	ps = append(ps, checkText("name", c.Name, maxNameLen, false)...)
	ps = append(ps, checkEmail("email", c.Email, false)...)
	ps = append(ps, checkText("phone", c.Phone, 50, false)...)
	if c.Language != "" && !languageRE.MatchString(c.Language) {
		ps = append(ps, problem{"language", "is not a language tag like en or nl-BE: " + quote(c.Language)})
	}
	ps = append(ps, checkText("segment", c.Segment, maxNameLen, false)...)
	ps = append(ps, checkEmail("owner", c.Owner, false)...)
	ps = append(ps, checkText("unit", c.Unit, maxKeyLen, true)...)
	return append(ps, checkAttributes(&c.Attributes)...)
}

// checkAttributes requires a JSON object (or nothing, stored as {}).
func checkAttributes(a *json.RawMessage) []problem {
	raw := strings.TrimSpace(string(*a))
	if raw == "" || raw == "null" {
		*a = json.RawMessage("{}")
		return nil
	}
	if len(raw) > maxAttrLen {
		return []problem{{"attributes", "is larger than 16 KiB"}}
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return []problem{{"attributes", "must be a JSON object"}}
	}
	return nil
}

// singleError turns the row errors of a one-item batch into the error of
// a one-item request: the first problem, with its field.
func singleError(err error) error {
	var rs heed.RowErrors
	if !errors.As(err, &rs) || len(rs) == 0 {
		return err
	}
	e := rs[0]
	code := heed.EInvalid
	if strings.HasSuffix(e.Problem, belowItselfText) {
		code = heed.EConflict
	}
	return heed.FieldErrorf(code, e.Field, "%s: %s", e.Field, e.Problem)
}

// withField names field on a not-found error from a filter lookup.
func withField(err error, field string) error {
	var e *heed.Error
	if errors.As(err, &e) && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}

// quote quotes a value for a message, cut to 60 bytes at a letter's
// start so a long name never splits a multi-byte letter.
func quote(s string) string {
	if len(s) > 60 {
		n := 60
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return `"` + s + `"`
}
