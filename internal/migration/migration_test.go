package migration

import (
	"testing"
	"testing/fstest"
)

func TestReadOrdersByNumber(t *testing.T) {
	fsys := fstest.MapFS{
		"migrations/10_ten.sql":     {Data: []byte("SELECT 10")},
		"migrations/9_nine.sql":     {Data: []byte("SELECT 9")},
		"migrations/0001_first.sql": {Data: []byte("SELECT 1")},
		"migrations/README.md":      {Data: []byte("not a migration")},
		"other/0002_elsewhere.sql":  {Data: []byte("SELECT 2")},
	}
	ms, err := Read(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range ms {
		got = append(got, m.Name)
	}
	want := []string{"0001_first.sql", "9_nine.sql", "10_ten.sql"}
	if len(got) != len(want) {
		t.Fatalf("Read = %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Read = %v; want %v", got, want)
		}
	}
	if ms[2].Version != 10 || ms[2].SQL != "SELECT 10" {
		t.Errorf("last migration = %+v; want version 10 and its SQL", ms[2])
	}
}

func TestReadRefuses(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"no number": {"migrations/init.sql": {}},
		"zero":      {"migrations/0_init.sql": {}},
		"shared number": {
			"migrations/0001_a.sql": {},
			"migrations/1_b.sql":    {},
		},
	} {
		if _, err := Read(fsys); err == nil {
			t.Errorf("%s: Read accepted it", name)
		}
	}
}
