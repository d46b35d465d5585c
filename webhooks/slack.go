package webhooks

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/heedhq/heed"
)

// slackEvent is an event as queued: the case and response keep the
// JSON of heed.Case and heed.Response, so they are read back as those.
type slackEvent struct {
	Type string `json:"type"`
	Data struct {
		Case     *heed.Case     `json:"case"`
		Response *heed.Response `json:"response"`
		Rule     string         `json:"rule"`
	} `json:"data"`
}

// slackBody turns a delivery into a Slack incoming-webhook message: one
// line of what happened, the comment quoted, a link to the case.
func (s *Service) slackBody(d heed.WebhookDelivery) ([]byte, error) {
	var e slackEvent
	if err := json.Unmarshal(d.Payload, &e); err != nil {
		return nil, fmt.Errorf("webhooks: decode %s for slack: %w", d.Event, err)
	}
	var b strings.Builder
	if c := e.Data.Case; c != nil {
		who := cmp.Or(c.CustomerName, c.Customer)
		fmt.Fprintf(&b, "*%s* — case #%d for %s (%s), stage %s", strings.ReplaceAll(e.Type, ".", " "), c.ID,
			slackEscape(who), slackEscape(c.Unit), strings.ReplaceAll(string(c.Stage), "_", " "))
		if c.OwnerName != "" {
			fmt.Fprintf(&b, ", owner %s", slackEscape(c.OwnerName))
		}
		if c.EscalatedTo != "" && e.Type == "case.escalated" {
			fmt.Fprintf(&b, ", escalated to %s", slackEscape(c.EscalatedTo))
		}
		if s.cfg.PublicURL != "" {
			fmt.Fprintf(&b, " <%s/cases/%d|open>", s.cfg.PublicURL, c.ID)
		}
	} else {
		fmt.Fprintf(&b, "*%s*", strings.ReplaceAll(e.Type, ".", " "))
	}
	if r := e.Data.Response; r != nil {
		fmt.Fprintf(&b, "\nScore %d on %s", r.Score, slackEscape(r.Survey))
		if r.Customer != "" {
			fmt.Fprintf(&b, " from %s", slackEscape(r.Customer))
		}
		if r.Comment != "" {
			fmt.Fprintf(&b, "\n> %s", slackEscape(strings.ReplaceAll(r.Comment, "\n", "\n> ")))
		}
	}
	if e.Data.Rule != "" {
		fmt.Fprintf(&b, "\n(rule %s)", slackEscape(e.Data.Rule))
	}
	return json.Marshal(map[string]string{"text": b.String()})
}

// slackEscape escapes the three characters Slack's mrkdwn reserves, so a
// comment cannot forge a link or a mention.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
