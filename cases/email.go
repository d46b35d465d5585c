package cases

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
)

// Email kinds.
const (
	emailAlert      = "alert"      // to the owner: new feedback (and its case)
	emailManager    = "manager"    // to a manager above the owner
	emailEscalation = "escalation" // to the manager a late case climbed to
	emailRedirect   = "redirect"   // to the new owner of a redirected case
	emailAdvocacy   = "advocacy"   // to a promoter: thanks, and a review or referral
	emailDigest     = "digest"     // to a manager: the day before below them
)

// emailPayload says which email to send to whom about what.
type emailPayload struct {
	Kind     string `json:"kind"`
	To       int64  `json:"to,omitempty"`       // employee id
	Customer string `json:"customer,omitempty"` // advocacy: external id
	Response int64  `json:"response,omitempty"`
	Case     int64  `json:"case,omitempty"`
	Level    int    `json:"level,omitempty"`
	URL      string `json:"url,omitempty"`
	Note     string `json:"note,omitempty"`
	By       string `json:"by,omitempty"`
	Day      string `json:"day,omitempty"`  // digest: 2006-01-02
	Item     int64  `json:"item,omitempty"` // the feedback item (review, ticket…) it is about
}

// SendEmail is the handler of EmailJob. Its Message-ID comes from the job,
// so a retry after the server accepted the message is recognisable as the
// same message.
func (s *Service) SendEmail(ctx context.Context, job heed.Job) error {
	var pl emailPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return jobs.Stop(fmt.Errorf("%s: bad payload: %w", EmailJob, err))
	}
	m, skip, err := s.buildEmail(ctx, pl)
	if err != nil || skip != "" {
		if skip != "" {
			s.log.Info("cases: email not sent", "kind", pl.Kind, "reason", skip)
		}
		return err
	}
	m.MessageID = fmt.Sprintf("heed-%s-%d", pl.Kind, job.ID)
	err = s.mailer.Send(ctx, m)
	if mail.Invalid(err) || mail.Permanent(err) {
		return jobs.Stop(fmt.Errorf("%s: %w", EmailJob, err))
	}
	return err
}

// buildEmail writes the message; skip says why none goes out.
func (s *Service) buildEmail(ctx context.Context, pl emailPayload) (mail.Message, string, error) {
	if pl.Kind == emailAdvocacy {
		return s.advocacyEmail(ctx, pl)
	}
	to, err := s.store.GetEmployeeByID(ctx, pl.To)
	if heed.IsNotFound(err) {
		return mail.Message{}, "the employee no longer exists", nil
	}
	if err != nil {
		return mail.Message{}, "", err
	}
	if pl.Kind == emailDigest {
		return s.digestEmail(ctx, to, pl.Day)
	}
	c, err := getOptional(ctx, s.store.GetCase, pl.Case)
	if err != nil {
		return mail.Message{}, "", err
	}
	r, err := getOptional(ctx, s.store.GetResponse, pl.Response)
	if err != nil {
		return mail.Message{}, "", err
	}
	it, err := getOptional(ctx, s.store.GetFeedback, pl.Item)
	if err != nil {
		return mail.Message{}, "", err
	}
	subject, body := s.alertText(pl, c, r, it)
	return mail.Message{To: to.Email, ToName: to.Name, Subject: subject, Text: body}, "", nil
}

// getOptional is what get finds by id over every unit; nil for id 0 or when
// it is gone by the time the email is written (an email still goes out).
func getOptional[T any](ctx context.Context, get func(context.Context, heed.Scope, int64) (T, error), id int64) (*T, error) {
	if id == 0 {
		return nil, nil
	}
	v, err := get(ctx, heed.Scope{All: true}, id)
	if heed.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// alertText is the subject and body of an email to an employee: what
// happened, the customer's words, and the link to act on it.
func (s *Service) alertText(pl emailPayload, c *heed.Case, r *heed.Response, it *heed.FeedbackItem) (string, string) {
	var b strings.Builder
	who := "a customer"
	switch {
	case c != nil && c.CustomerName != "":
		who = c.CustomerName
	case r != nil && r.Customer != "":
		who = r.Customer
	case it != nil:
		who = cmp.Or(it.CustomerName, it.Customer, it.Author, who)
	}
	var subject string
	switch pl.Kind {
	case emailEscalation:
		subject = fmt.Sprintf("Escalated (level %d): case #%d for %s", pl.Level, pl.Case, who)
		fmt.Fprintf(&b, "A case below you missed its service level: %s.\n", pl.Note)
		if c != nil && c.OwnerName != "" {
			fmt.Fprintf(&b, "Owner: %s (%s).\n", c.OwnerName, c.Owner)
		}
	case emailRedirect:
		subject = fmt.Sprintf("Case #%d for %s was handed to you", pl.Case, who)
		fmt.Fprintf(&b, "%s handed you this case: %s\n", pl.By, pl.Note)
	case emailManager:
		subject = fmt.Sprintf("New feedback below you from %s", who)
	default:
		subject = fmt.Sprintf("New feedback from %s", who)
		if c != nil {
			subject = fmt.Sprintf("Call back %s: case #%d", who, c.ID)
		}
	}
	if it != nil {
		fmt.Fprintf(&b, "\n%s left a %s on %s", who, it.Kind, cmp.Or(it.Platform, it.Source))
		if it.Rating != nil {
			fmt.Fprintf(&b, " (%d of 5 stars)", *it.Rating)
		}
		if it.Unit != "" {
			fmt.Fprintf(&b, " about %s", it.Unit)
		}
		b.WriteString(".\n")
		if it.Text != "" {
			fmt.Fprintf(&b, "\n  “%s”\n", it.Text)
		}
	}
	if r != nil {
		fmt.Fprintf(&b, "\n%s answered %d on %s", who, r.Score, r.Survey)
		if r.Unit != "" {
			fmt.Fprintf(&b, " (%s)", r.Unit)
		}
		b.WriteString(".\n")
		if r.Comment != "" {
			fmt.Fprintf(&b, "\n  “%s”\n", r.Comment)
		}
	}
	if c != nil {
		fmt.Fprintf(&b, "\nCase #%d, stage %s. First contact due %s.\n", c.ID, strings.ReplaceAll(string(c.Stage), "_", " "),
			c.FirstContactDue.Local().Format("Mon 2 Jan 15:04"))
		fmt.Fprintf(&b, "Open it: %s/cases/%d\n", s.cfg.PublicURL, c.ID)
	} else {
		fmt.Fprintf(&b, "\nYour inbox: %s/inbox\n", s.cfg.PublicURL)
	}
	b.WriteString("\n— Heed\n")
	return subject, b.String()
}

// advocacyEmail thanks a promoter and invites a public review or a
// referral: the top of the loyalty ladder.
func (s *Service) advocacyEmail(ctx context.Context, pl emailPayload) (mail.Message, string, error) {
	c, err := s.store.GetCustomer(ctx, heed.Scope{All: true}, pl.Customer)
	if heed.IsNotFound(err) {
		return mail.Message{}, "the customer no longer exists", nil
	}
	if err != nil {
		return mail.Message{}, "", err
	}
	if !c.Consent || c.Email == "" {
		return mail.Message{}, "the customer withdrew consent or has no address", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\nThank you for your kind words — they made our day.\n", cmp.Or(c.Name, "there"))
	if pl.URL != "" {
		fmt.Fprintf(&b, "\nWould you tell others too? A short review helps people like you find us:\n%s\n", pl.URL)
	} else {
		b.WriteString("\nIf you know someone we could help too, we would be glad if you told them about us.\n")
	}
	b.WriteString("\nThank you!\n")
	return mail.Message{To: c.Email, ToName: c.Name, Subject: "Thank you for recommending us", Text: b.String()}, "", nil
}
