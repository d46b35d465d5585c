package sqlstore

import (
	"encoding/json"
	"testing"

	"github.com/heedhq/heed"
)

func TestCanonicalAttributes(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `{}`},
		{`null`, `{}`},
		{` {"b": {"z": 1.50, "y": [1e2, "x<y", {"k": -0.0}]}, "a": null} `,
			`{"a":null,"b":{"y":[100,"x<y",{"k":0.0}],"z":1.50}}`},
		{`{"n": 1.5e-2, "m": [[2E1]]}`, `{"m":[[20]],"n":0.015}`},
	}
	for _, tt := range tests {
		got, err := CanonicalAttributes(json.RawMessage(tt.in))
		if err != nil || got != tt.want {
			t.Errorf("CanonicalAttributes(%s) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{`[1]`, `{} {}`, `{"a": 1e5000}`, `{"a": "\u0000"}`} {
		_, err := CanonicalAttributes(json.RawMessage(bad))
		wantCode(t, bad, err, heed.EInvalid, "attributes")
	}
}
