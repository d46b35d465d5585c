package storetest

import "testing"

func testOrg(t *testing.T, open Opener) {
	t.Skip("TODO: org contract tests")
}
