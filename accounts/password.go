package accounts

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/heedhq/heed"
	"golang.org/x/crypto/argon2"
)

// Password length limits. The upper one only stops absurd inputs from
// costing hashing time; argon2 itself takes any length.
const (
	MinPasswordLen = 10
	maxPasswordLen = 1024
)

// Argon2 sets the cost of argon2id password hashing. Zero fields take the
// defaults, OWASP's recommendation (19 MiB, 2 passes, 1 lane): strong enough
// offline, light enough that a burst of sign-ins cannot exhaust memory.
// Tests lower the cost to keep fast.
type Argon2 struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
}

const (
	argonSaltLen = 16
	argonKeyLen  = 32
	// argonMaxMemory bounds what a stored hash may ask for, so a corrupt
	// or hostile row cannot make verification allocate gigabytes.
	argonMaxMemory = 1 << 20 // KiB, 1 GiB
)

func (a Argon2) withDefaults() Argon2 {
	if a.Memory == 0 {
		a.Memory = 19 * 1024
	}
	if a.Time == 0 {
		a.Time = 2
	}
	if a.Threads == 0 {
		a.Threads = 1
	}
	return a
}

// checkPassword enforces the length rules on a new password.
func checkPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return heed.FieldErrorf(heed.EInvalid, "password", "password must be at least %d characters", MinPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return heed.FieldErrorf(heed.EInvalid, "password", "password must be at most %d bytes", maxPasswordLen)
	}
	return nil
}

// hashPassword returns pw hashed with argon2id and a random salt, as a PHC
// string: $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH (unpadded base64).
func hashPassword(pw string, a Argon2) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt) // never fails (crypto/rand panics instead)
	key := argon2.IDKey([]byte(pw), salt, a.Time, a.Memory, a.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, a.Memory, a.Time, a.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// phc is a parsed argon2id PHC string.
type phc struct {
	params    Argon2
	salt, key []byte
}

var errBadHash = errors.New("accounts: malformed argon2id hash")

func parsePHC(s string) (phc, error) {
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, key
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return phc{}, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return phc{}, errBadHash
	}
	var h phc
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &h.params.Memory, &h.params.Time, &h.params.Threads); err != nil {
		return phc{}, errBadHash
	}
	if h.params.Memory == 0 || h.params.Memory > argonMaxMemory || h.params.Time == 0 || h.params.Threads == 0 {
		return phc{}, errBadHash
	}
	var err1, err2 error
	h.salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
	h.key, err2 = base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(h.salt) == 0 || len(h.key) == 0 {
		return phc{}, errBadHash
	}
	return h, nil
}

// verifyPassword reports whether pw matches the PHC string, comparing in
// constant time. The cost is read from the hash, so passwords hashed under
// older settings keep working.
func verifyPassword(pw, encoded string) (bool, error) {
	h, err := parsePHC(encoded)
	if err != nil {
		return false, err
	}
	key := argon2.IDKey([]byte(pw), h.salt, h.params.Time, h.params.Memory, h.params.Threads, uint32(len(h.key)))
	return subtle.ConstantTimeCompare(key, h.key) == 1, nil
}

// needsRehash reports whether a stored hash was made with other settings
// than a, so a successful sign-in can upgrade it.
func needsRehash(encoded string, a Argon2) bool {
	h, err := parsePHC(encoded)
	return err != nil || h.params != a || len(h.key) != argonKeyLen
}

// burnPassword spends the time a verification would, for sign-ins of
// unknown users, so response time does not tell who has an account.
func burnPassword(pw string, a Argon2) {
	var salt [argonSaltLen]byte
	argon2.IDKey([]byte(pw), salt[:], a.Time, a.Memory, a.Threads, argonKeyLen)
}

// GeneratePassword returns a random password for `heed user add` without
// one: 26 characters of upper-case letters and the digits 2–7 (so no 0
// or 1 to mistake for O or I), 128 bits of randomness.
func GeneratePassword() string {
	return rand.Text()
}
