package storetest

import "testing"

func testAccounts(t *testing.T, open Opener) {
	t.Skip("TODO: accounts contract tests")
}
