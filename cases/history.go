package cases

import (
	"context"
	"strings"

	"github.com/heedhq/heed"
)

// History is what the employee working a case knows of its customer: the
// customer, every answer (newest first), their other cases, and what Heed
// suggests about how to approach them.
type History struct {
	Customer  heed.Customer    `json:"customer"`
	Responses []heed.Response  `json:"responses"`
	Cases     []heed.Case      `json:"cases"`
	Suggested Suggestion       `json:"suggested"`
	Events    []heed.CaseEvent `json:"events"` // this case's timeline
}

// Suggestion is a guess from the customer's history; the employee sets
// the real values.
type Suggestion struct {
	CustomerKind heed.CustomerKind `json:"customer_kind"`
	KindReason   string            `json:"kind_reason"`
	ResponseType heed.ResponseType `json:"response_type"`
	TypeReason   string            `json:"type_reason"`
}

// CaseHistory returns the history around a case p may see.
func (s *Service) CaseHistory(ctx context.Context, p heed.Principal, id int64) (History, error) {
	c, err := s.Get(ctx, p, id)
	if err != nil {
		return History{}, err
	}
	h := History{Responses: []heed.Response{}, Cases: []heed.Case{}}
	if h.Customer, err = s.store.GetCustomer(ctx, heed.Scope{All: true}, c.Customer); err != nil {
		return h, err
	}
	// The case makes the customer's history the employee's business even
	// when the customer sits outside their scope (a redirect).
	if h.Responses, err = s.store.ListResponses(ctx, heed.Scope{All: true},
		heed.ResponseFilter{CustomerID: c.CustomerID, Limit: 100}); err != nil {
		return h, err
	}
	if h.Cases, err = s.store.ListCases(ctx, heed.Scope{All: true}, heed.CaseFilter{CustomerID: c.CustomerID, Limit: 50}); err != nil {
		return h, err
	}
	if h.Events, err = s.store.ListCaseEvents(ctx, id); err != nil {
		return h, err
	}
	h.Suggested = Suggest(h.Responses, len(h.Cases))
	return h, nil
}

// Words that hint at a kind of customer, matched on folded comments.
var (
	geekWords    = []string{"version", "setting", "spec", "model", "firmware", "update", "configur", "compatib", "serial", "technical", "api", "battery", "warranty"}
	feelingWords = []string{"disappoint", "upset", "angry", "sad", "frustrat", "feel", "felt", "hurt", "ignored", "rude", "love", "hate", "awful", "terrible", "!!"}
	lostWords    = []string{"how do", "how can", "where", "don't understand", "do not understand", "confus", "unclear", "couldn't find", "could not find", "no idea", "?"}
)

// Suggest guesses the customer's kind and the response type from their
// answers: a regular answers often; a geek writes long, technical
// comments; an empathizer speaks of feelings; a lost one asks questions
// or is new. Questions call for advice, everything else for a solution.
func Suggest(rs []heed.Response, cases int) Suggestion {
	var text strings.Builder
	for _, r := range rs {
		text.WriteString(heed.Fold(r.Comment))
		text.WriteByte('\n')
	}
	all := text.String()
	count := func(words []string) int {
		n := 0
		for _, w := range words {
			n += countWord(all, w)
		}
		return n
	}
	sg := Suggestion{ResponseType: heed.ResponseSolution, TypeReason: "the customer reports a problem to fix"}
	lost, geek, feeling := count(lostWords), count(geekWords), count(feelingWords)
	if lost > 0 {
		sg.ResponseType, sg.TypeReason = heed.ResponseAdvisory, "the customer asks how or where: advice may be all they need"
	}
	switch {
	case len(rs) >= 4 || cases >= 3:
		sg.CustomerKind, sg.KindReason = heed.KindRegular, "answers often: wants it fixed, quickly"
	case geek >= 2 || (geek >= 1 && len(all) > 400):
		sg.CustomerKind, sg.KindReason = heed.KindGeek, "writes in detail about the product: bring facts"
	case feeling >= 1:
		sg.CustomerKind, sg.KindReason = heed.KindEmpathizer, "speaks of how they felt: listen before you solve"
	case lost >= 1 || len(rs) <= 1:
		sg.CustomerKind, sg.KindReason = heed.KindLost, "new or unsure: guide them step by step"
	default:
		sg.CustomerKind, sg.KindReason = heed.KindRegular, "has been here before"
	}
	return sg
}
