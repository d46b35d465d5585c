package storetest

import "testing"

// testRules is the contract of heed.RuleQueries (to be written).
func testRules(t *testing.T, open Opener) {}

// testWebhooks is the contract of heed.WebhookQueries (to be written).
func testWebhooks(t *testing.T, open Opener) {}
