package storetest

import "testing"

func testJobs(t *testing.T, open Opener) {
	t.Skip("TODO: jobs contract tests")
}
