package survey

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strconv"
	texttemplate "text/template"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/heedhq/heed/mail"
)

//go:embed emails
var emailFiles embed.FS

var (
	htmlEmails = htmltemplate.Must(htmltemplate.ParseFS(emailFiles, "emails/*.html"))
	textEmails = texttemplate.Must(texttemplate.ParseFS(emailFiles, "emails/*.txt"))
)

// RegisterJobs makes pool send the survey emails.
func (s *Service) RegisterJobs(pool *jobs.Pool) { pool.Handle(EmailJob, s.SendEmail) }

// SendEmail is the handler of EmailJob. The order of its steps is what
// keeps an email from going out twice: an invitation already marked sent
// is not sent again (a retry after the SMTP server accepted it but the job
// could not be marked done), and once the server has accepted a message
// the handler records it even if shutdown cancels its context. What is
// left is the moment between the server's "250 OK" and that record: a
// process killed exactly then sends that one email again on restart (see
// docs/operations.md).
func (s *Service) SendEmail(ctx context.Context, job heed.Job) error {
	var pl EmailPayload
	if err := json.Unmarshal(job.Payload, &pl); err != nil {
		return fmt.Errorf("%s: bad payload: %w", EmailJob, err)
	}
	e, skip, err := s.prepareEmail(ctx, pl)
	if err != nil || skip != "" {
		if skip != "" {
			s.log.Info("survey: email not sent", "invitation", pl.Invitation, "kind", pl.Kind, "reason", skip)
		}
		return err
	}
	msg, err := s.renderEmail(e)
	if err != nil {
		return err
	}
	sendErr := s.mailer.Send(ctx, msg)
	// From here on the outcome must be recorded whatever happens to ctx.
	rec := context.WithoutCancel(ctx)
	last := job.Attempts >= job.MaxAttempts
	switch {
	case sendErr == nil:
		return s.recordSent(rec, e)
	case mail.Invalid(sendErr):
		// Our message is at fault (a survey text), not the address: the
		// invitation says so, and the job is parked for an operator.
		if pl.Kind == EmailInvite {
			s.recordFailure(rec, e.inv.ID, heed.DeliveryDead, sendErr)
		}
		return jobs.Stop(fmt.Errorf("%s: the message cannot be sent as built: %w", EmailJob, sendErr))
	case mail.Permanent(sendErr):
		if pl.Kind == EmailInvite {
			return s.store.SetDelivery(rec, e.inv.ID, heed.DeliveryBounced, sendErr.Error(), s.now())
		}
		return nil // a bounced reminder or thank-you: nothing more to do
	default:
		if pl.Kind == EmailInvite {
			state := heed.DeliveryFailed
			if last {
				state = heed.DeliveryDead // the job is parked dead after this attempt
			}
			s.recordFailure(rec, e.inv.ID, state, sendErr)
		}
		return sendErr // retried with backoff, or parked dead after the last attempt
	}
}

func (s *Service) recordFailure(ctx context.Context, id int64, state heed.Delivery, sendErr error) {
	if err := s.store.SetDelivery(ctx, id, state, sendErr.Error(), s.now()); err != nil {
		s.log.Warn("survey: could not record a failed delivery", "invitation", id, "error", err)
	}
}

func (s *Service) recordSent(ctx context.Context, e email) error {
	now := s.now()
	switch e.kind {
	case EmailInvite:
		return s.store.SetDelivery(ctx, e.inv.ID, heed.DeliverySent, "", now)
	case EmailReminder:
		return s.store.MarkReminded(ctx, e.inv.ID, now)
	}
	return nil
}

// email is everything one message is rendered from.
type email struct {
	kind     string
	inv      heed.Invitation
	survey   heed.Survey
	customer heed.Customer
	token    string
	reward   string
}

// prepareEmail loads what the email needs and says why it should not go
// out after all ("" when it should).
func (s *Service) prepareEmail(ctx context.Context, pl EmailPayload) (email, string, error) {
	e := email{kind: pl.Kind, token: pl.Token}
	var err error
	if e.inv, err = s.store.GetInvitation(ctx, pl.Invitation); err != nil {
		return e, "", err
	}
	if e.survey, err = s.store.GetSurveyByID(ctx, e.inv.SurveyID); err != nil {
		return e, "", err
	}
	if e.customer, err = s.store.GetCustomer(ctx, heed.Scope{All: true}, e.inv.Customer); err != nil {
		return e, "", err
	}
	now := s.now()
	switch {
	case pl.Kind == EmailInvite && e.inv.Delivery == heed.DeliverySent:
		return e, "already sent", nil
	case pl.Kind == EmailInvite && !now.Before(e.inv.ExpiresAt):
		// Sent this late (workers were down, a dead job retried) the link
		// would open "expired".
		return e, "link expired before it could be sent", s.store.SetDelivery(ctx, e.inv.ID, heed.DeliverySkipped, "the link expired before it could be sent", now)
	case pl.Kind == EmailReminder && e.inv.RemindedAt != nil:
		return e, "reminder already sent", nil
	case pl.Kind == EmailReminder && (e.inv.AnsweredAt != nil || !now.Before(e.inv.ExpiresAt)):
		return e, "answered or expired: no reminder needed", nil
	case pl.Kind == EmailReminder && (e.inv.Delivery == heed.DeliveryQueued || e.inv.Delivery == heed.DeliveryFailed):
		// The invitation is still on its way (its server was down): remind
		// only after it arrived, so the job is retried later.
		return e, "", fmt.Errorf("%s: invitation %d not delivered yet; reminder waits", EmailJob, e.inv.ID)
	case pl.Kind == EmailReminder && e.inv.Delivery != heed.DeliverySent:
		return e, "the invitation itself was not delivered", nil
	case !e.customer.Consent || e.customer.Email == "":
		if pl.Kind == EmailInvite {
			err = s.store.SetDelivery(ctx, e.inv.ID, heed.DeliverySkipped, "consent withdrawn or no address", now)
		}
		return e, "consent withdrawn or no address", err
	}
	if pl.Kind == EmailThanks && e.survey.Reward {
		r, err := s.store.GetResponseByInvitation(ctx, e.inv.ID)
		if err != nil {
			return e, "", err
		}
		if e.reward, err = s.store.TakeRewardCode(ctx, e.survey.ID, r.ID, now); err != nil && !heed.IsNotFound(err) {
			return e, "", err
		}
	}
	return e, "", nil
}

// emailData is what the email templates see.
type emailData struct {
	Kind        string
	Text        heed.SurveyText
	UI          UI
	Lang        string
	Name        string
	Scores      []scoreLink
	LowScore    int
	HighScore   int
	Link        string
	Unsubscribe string
	Reward      string
}

type scoreLink struct {
	Score int
	URL   string
}

func (s *Service) renderEmail(e email) (mail.Message, error) {
	d := emailData{
		Kind: e.kind, Lang: e.inv.Language, Name: e.customer.Name, Reward: e.reward,
		Text: Texts(e.survey, e.inv.Language), UI: UIText(e.inv.Language),
	}
	m := mail.Message{To: e.customer.Email, ToName: e.customer.Name, MessageID: s.messageID(e)}
	switch e.kind {
	case EmailInvite, EmailReminder:
		d.Link = s.LinkURL(e.token)
		d.Unsubscribe = d.Link + "/unsubscribe"
		lo, hi := e.survey.Kind.Scale()
		d.LowScore, d.HighScore = lo, hi
		for v := lo; v <= hi; v++ {
			d.Scores = append(d.Scores, scoreLink{v, d.Link + "?score=" + strconv.Itoa(v)})
		}
		m.Subject = d.Text.Subject
		if e.kind == EmailReminder {
			m.Subject = d.Text.Reminder
		}
		m.Headers = map[string]string{
			"List-Unsubscribe":      "<" + d.Unsubscribe + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}
	case EmailThanks:
		m.Subject = d.UI.ThanksSubject
	default:
		return m, fmt.Errorf("%s: unknown email kind %q", EmailJob, e.kind)
	}
	var html, text bytes.Buffer
	if err := htmlEmails.ExecuteTemplate(&html, "email.html", d); err != nil {
		return m, fmt.Errorf("survey: render %s email: %w", e.kind, err)
	}
	if err := textEmails.ExecuteTemplate(&text, "email.txt", d); err != nil {
		return m, fmt.Errorf("survey: render %s email: %w", e.kind, err)
	}
	m.HTML, m.Text = html.String(), text.String()
	return m, nil
}

// messageID names each email of an invitation once, so a copy that does
// go out twice is recognisable as the same message.
func (s *Service) messageID(e email) string {
	host := "heed.invalid"
	if u, err := url.Parse(s.public); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return fmt.Sprintf("heed-%d-%s@%s", e.inv.ID, e.kind, host)
}
