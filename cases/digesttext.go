package cases

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/mail"
)

// digestEmail builds to's digest of day; an empty digest is not sent,
// nor is one to an employee who is no longer a manager.
func (s *Service) digestEmail(ctx context.Context, to heed.Employee, day string) (mail.Message, string, error) {
	if to.Role != heed.RoleManager {
		return mail.Message{}, "the employee is no longer a manager", nil
	}
	dd, err := parseDay(day)
	if err != nil {
		return mail.Message{}, "", err
	}
	d, err := s.digest(ctx, to, dd)
	if heed.IsNotFound(err) {
		return mail.Message{}, "the manager's unit no longer exists", nil
	}
	if err != nil {
		return mail.Message{}, "", err
	}
	if d.Empty() {
		return mail.Message{}, "nothing happened below " + to.Email + " on " + day, nil
	}
	var b strings.Builder
	if err := WriteDigest(&b, d, s.cfg.PublicURL); err != nil {
		return mail.Message{}, "", err
	}
	return mail.Message{To: to.Email, ToName: to.Name, Subject: DigestSubject(d), Text: b.String()}, "", nil
}

// DigestSubject is the digest email's subject: the day and the two
// figures a manager decides on, answers and late cases.
func DigestSubject(d Digest) string {
	where := cmp.Or(d.UnitName, d.Unit, "your organisation")
	s := fmt.Sprintf("Heed digest for %s, %s: %s", where, d.From.Format("Mon 2 Jan"), plural(d.Answers(), "answer"))
	if d.Late > 0 {
		s += fmt.Sprintf(", %s late", plural(d.Late, "case"))
	}
	return s
}

// WriteDigest writes d as the digest email's text; links, the public
// address, starts the links (none when "").
func WriteDigest(w io.Writer, d Digest, links string) error {
	var b strings.Builder
	where := "below " + cmp.Or(d.UnitName, d.Unit)
	if d.Unit == "" {
		where = "in what you see"
	}
	fmt.Fprintf(&b, "Good morning %s,\n\nHere is %s %s.\n", cmp.Or(firstName(d.Name), d.Email), d.From.Format("Monday 2 January"), where)
	b.WriteString("\nFEEDBACK\n")
	if len(d.Surveys) == 0 {
		b.WriteString("  No answers that day.\n")
	}
	for _, sv := range d.Surveys {
		fmt.Fprintf(&b, "  %s: %s — %s (%s, %s, %s)\n", sv.Name, plural(sv.N, "answer"), surveyScore(sv),
			plural(sv.Promoters, "promoter"), plural(sv.Passives, "passive"), plural(sv.Detractors, "detractor"))
	}
	if len(d.Unhappy) > 0 {
		b.WriteString("\nIN THEIR WORDS\n")
		for _, a := range d.Unhappy {
			who := cmp.Or(a.CustomerName, a.Customer, "A customer")
			if a.Unit != "" {
				who += " (" + d.NameOf(a.Unit) + ")"
			}
			fmt.Fprintf(&b, "  %s gave %d: “%s”\n", who, a.Score, oneLine(a.Comment, 200))
		}
	}
	fmt.Fprintf(&b, "\nCASES\n  %d opened and %d closed that day; %d open now, %d of them late.\n", d.Opened, d.Closed, d.Open, d.Late)
	for _, u := range d.Units {
		fmt.Fprintf(&b, "  %s: %d open, %d late\n", cmp.Or(u.Name, u.Unit), u.Open, u.Late)
	}
	writeCaseList(&b, d, "LATE NOW", d.LateList, d.Late, links, "late=1")
	writeCaseList(&b, d, "ESCALATED TO YOU", d.Escal, len(d.Escal), links, "escalated=1")
	if links != "" {
		fmt.Fprintf(&b, "\nAll your cases: %s/cases\n", links)
	}
	b.WriteString("\n— Heed\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCaseList writes a titled list of cases, saying how many more the
// page behind filter holds.
func writeCaseList(b *strings.Builder, d Digest, title string, list []heed.Case, total int, links, filter string) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s\n", title)
	for _, c := range list {
		who := cmp.Or(c.CustomerName, c.Customer)
		owner := cmp.Or(c.OwnerName, c.Owner, "nobody")
		fmt.Fprintf(b, "  #%d %s (%s), owner %s, %s — %s\n", c.ID, who, d.NameOf(c.Unit), owner,
			strings.ReplaceAll(string(c.Stage), "_", " "), Lateness(c, d.At))
		if links != "" {
			fmt.Fprintf(b, "    %s/cases/%d\n", links, c.ID)
		}
	}
	if more := total - len(list); more > 0 {
		fmt.Fprintf(b, "  …and %d more", more)
		if links != "" {
			fmt.Fprintf(b, ": %s/cases?f=1&open=1&%s", links, filter)
		}
		b.WriteString("\n")
	}
}

// Lateness says which service level a case missed and by how long, or
// when its next one is due: "first contact 22 hours late".
func Lateness(c heed.Case, now time.Time) string {
	due, what := c.ResolveDue, "resolution"
	if c.FirstContactAt == nil {
		due, what = c.FirstContactDue, "first contact"
	}
	if now.After(due) {
		return fmt.Sprintf("%s %s late", what, span(now.Sub(due)))
	}
	return fmt.Sprintf("%s due in %s", what, span(due.Sub(now)))
}

// span is a duration in whole days, or hours under two days.
func span(d time.Duration) string {
	if h := int(d.Hours()); h < 48 {
		return plural(max(h, 1), "hour")
	}
	return plural(int(d.Hours()/24), "day")
}

func surveyScore(sv DigestSurvey) string {
	switch sv.Kind {
	case heed.SurveyCSAT:
		return fmt.Sprintf("CSAT %.0f%%", sv.Score)
	case heed.SurveyCES:
		return fmt.Sprintf("CES %.1f", sv.Score)
	}
	return fmt.Sprintf("NPS %+.0f", sv.Score)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func firstName(name string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	return first
}

// oneLine folds a comment onto one line and cuts it at n runes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
