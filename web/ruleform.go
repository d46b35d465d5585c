package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// ruleForm is the rule editor's fields as typed.
type ruleForm struct {
	Original         string // the key of the rule edited; "" for a new one
	Key, Name        string
	Active           bool
	Position         string
	Surveys          []string
	Category         string
	MinScore         string
	MaxScore         string
	Words, Segments  string // separated by commas
	MinValue         string
	Unit             string
	Channels         []string
	OpenCase         bool
	NotifyOwner      bool
	NotifyManagers   bool
	Levels           string
	Webhook          bool
	WebhookID        string
	Tag              bool
	TagText          string
	Advocacy         bool
	AdvocacyURL      string
	ChannelOptions   []string
	CategoryOptions  []string
	DroppedDuplicate bool // the rule had two actions of one kind; the form shows the first
}

func formFromRule(rule heed.Rule) ruleForm {
	w := rule.When
	f := ruleForm{Original: rule.Key, Key: rule.Key, Name: rule.Name, Active: rule.Active, Position: strconv.Itoa(rule.Position),
		Surveys: w.Surveys, Category: w.Category, Words: strings.Join(w.Words, ", "), Segments: strings.Join(w.Segments, ", "),
		Unit: w.Unit, Channels: w.Channels}
	if w.MinScore != nil {
		f.MinScore = strconv.Itoa(*w.MinScore)
	}
	if w.MaxScore != nil {
		f.MaxScore = strconv.Itoa(*w.MaxScore)
	}
	if w.MinValue != nil {
		f.MinValue = w.MinValue.String()
	}
	seen := map[string]bool{}
	for _, a := range rule.Then {
		if seen[a.Kind] {
			f.DroppedDuplicate = true
			continue
		}
		seen[a.Kind] = true
		switch a.Kind {
		case heed.ActionOpenCase:
			f.OpenCase = true
		case heed.ActionNotifyOwner:
			f.NotifyOwner = true
		case heed.ActionNotifyManagers:
			f.NotifyManagers, f.Levels = true, strconv.Itoa(a.Levels)
		case heed.ActionWebhook:
			f.Webhook, f.WebhookID = true, strconv.FormatInt(a.Webhook, 10)
		case heed.ActionTag:
			f.Tag, f.TagText = true, a.Tag
		case heed.ActionAdvocacy:
			f.Advocacy, f.AdvocacyURL = true, a.URL
		}
	}
	return f
}

// parseRuleForm reads the editor into a rule and the form to show again;
// the error names a number that is not one.
func parseRuleForm(r *http.Request) (heed.Rule, ruleForm, error) {
	if err := r.ParseForm(); err != nil {
		return heed.Rule{}, ruleForm{}, heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	on := func(k string) bool { return r.PostForm.Get(k) != "" }
	f := ruleForm{Original: get("original"), Key: get("key"), Name: get("name"), Active: on("active"), Position: get("position"),
		Surveys: r.PostForm["surveys"], Category: get("category"), MinScore: get("min_score"), MaxScore: get("max_score"),
		Words: get("words"), Segments: get("segments"), MinValue: get("min_value"), Unit: get("unit"), Channels: r.PostForm["channels"],
		OpenCase: on("open_case"), NotifyOwner: on("notify_owner"), NotifyManagers: on("notify_managers"), Levels: get("levels"),
		Webhook: on("webhook"), WebhookID: get("webhook_id"), Tag: on("tag"), TagText: get("tag_text"),
		Advocacy: on("advocacy"), AdvocacyURL: get("advocacy_url")}
	if f.Original != "" {
		f.Key = f.Original
	}
	rule := heed.Rule{Key: f.Key, Name: f.Name, Active: f.Active, When: heed.RuleConditions{Surveys: f.Surveys,
		Category: f.Category, Words: splitList(f.Words, ","), Segments: splitList(f.Segments, ","), Unit: f.Unit, Channels: f.Channels}}
	var err error
	if f.Position != "" {
		if rule.Position, err = strconv.Atoi(f.Position); err != nil {
			return rule, f, heed.FieldErrorf(heed.EInvalid, "position", "the position must be a whole number")
		}
	}
	for _, n := range []struct {
		field, text string
		dst         **int
	}{{"min_score", f.MinScore, &rule.When.MinScore}, {"max_score", f.MaxScore, &rule.When.MaxScore}} {
		if n.text == "" {
			continue
		}
		i, err := strconv.Atoi(n.text)
		if err != nil {
			return rule, f, heed.FieldErrorf(heed.EInvalid, n.field, "the %s must be a whole number", strings.ReplaceAll(n.field, "_", " "))
		}
		*n.dst = &i
	}
	if f.MinValue != "" {
		d, err := heed.ParseDecimal(f.MinValue)
		if err != nil {
			return rule, f, heed.FieldErrorf(heed.EInvalid, "min_value", "the customer value must be a number such as 1000 or 99.50")
		}
		rule.When.MinValue = &d
	}
	if rule.Then, err = f.actions(); err != nil {
		return rule, f, err
	}
	return rule, f, nil
}

// actions are the ticked actions, in the order they run.
func (f ruleForm) actions() ([]heed.RuleAction, error) {
	var then []heed.RuleAction
	if f.OpenCase {
		then = append(then, heed.RuleAction{Kind: heed.ActionOpenCase})
	}
	if f.NotifyOwner {
		then = append(then, heed.RuleAction{Kind: heed.ActionNotifyOwner})
	}
	if f.NotifyManagers {
		a := heed.RuleAction{Kind: heed.ActionNotifyManagers}
		if f.Levels != "" {
			n, err := strconv.Atoi(f.Levels)
			if err != nil {
				return nil, heed.FieldErrorf(heed.EInvalid, "levels", "the levels must be a whole number")
			}
			a.Levels = n
		}
		then = append(then, a)
	}
	if f.Webhook {
		id, err := strconv.ParseInt(f.WebhookID, 10, 64)
		if err != nil {
			return nil, heed.FieldErrorf(heed.EInvalid, "webhook_id", "choose the webhook to send to")
		}
		then = append(then, heed.RuleAction{Kind: heed.ActionWebhook, Webhook: id})
	}
	if f.Tag {
		then = append(then, heed.RuleAction{Kind: heed.ActionTag, Tag: f.TagText})
	}
	if f.Advocacy {
		then = append(then, heed.RuleAction{Kind: heed.ActionAdvocacy, URL: f.AdvocacyURL})
	}
	return then, nil
}
