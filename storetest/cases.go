package storetest

import "testing"

// testCases is the contract of heed.CaseQueries (to be written).
func testCases(t *testing.T, open Opener) {}
