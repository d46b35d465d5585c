package accounts

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	a := Argon2{Memory: 64, Time: 1, Threads: 1}
	h1 := hashPassword("correct horse battery", a)
	h2 := hashPassword("correct horse battery", a)
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the given cost", h1)
	}
	if h1 == h2 {
		t.Error("two hashes of one password are equal; the salt is not random")
	}
	for _, c := range []struct {
		pw   string
		want bool
	}{{"correct horse battery", true}, {"correct horse batterY", false}, {"", false}} {
		ok, err := verifyPassword(c.pw, h1)
		if err != nil || ok != c.want {
			t.Errorf("verifyPassword(%q) = %v, %v; want %v", c.pw, ok, err, c.want)
		}
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=19$m=64,t=1,p=1$!!$!!", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if _, err := verifyPassword("x", bad); err == nil {
			t.Errorf("verifyPassword accepted malformed hash %q", bad)
		}
	}
	if needsRehash(h1, a) || !needsRehash(h1, Argon2{}.withDefaults()) {
		t.Error("needsRehash does not compare the cost")
	}
}

func TestGeneratePassword(t *testing.T) {
	p1, p2 := GeneratePassword(), GeneratePassword()
	if len(p1) < 16 || p1 == p2 || checkPassword(p1) != nil {
		t.Errorf("GeneratePassword = %q, %q; want two different valid passwords of 16+ characters", p1, p2)
	}
}

// BenchmarkHashPassword measures one sign-in's hashing at the default cost.
func BenchmarkHashPassword(b *testing.B) {
	a := Argon2{}.withDefaults()
	for b.Loop() {
		hashPassword("correct horse battery", a)
	}
}
