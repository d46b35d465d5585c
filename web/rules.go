package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/cases"
	"github.com/heedhq/heed/metrics"
)

// rulesBody is the content of rules.html.
type rulesBody struct {
	Rules   []ruleRow
	CanEdit bool
	Notice  string
}

// ruleRow is one rule of the list.
type ruleRow struct {
	Rule    heed.Rule
	When    string
	Then    string
	Actions int
}

// ruleList shows the rules in the order they are applied.
func (s *server) ruleList(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	list, err := s.cs.Rules(r.Context(), v.P)
	if err != nil {
		return err
	}
	body := rulesBody{CanEdit: v.P.IsAdmin()}
	if r.URL.Query().Get("done") == "deleted" {
		body.Notice = "Rule deleted. The cases it opened stay."
	}
	for _, rule := range list {
		body.Rules = append(body.Rules, ruleRow{Rule: rule, When: whenText(rule.When), Then: thenText(rule.Then)})
	}
	return s.render(w, r, http.StatusOK, "rules", view{Title: "Alert rules", Section: "rules", Body: body})
}

// whenText says in words which responses a rule selects.
func whenText(w heed.RuleConditions) string {
	var parts []string
	if w.Category != "" {
		parts = append(parts, w.Category+"s")
	}
	switch {
	case w.MinScore != nil && w.MaxScore != nil:
		parts = append(parts, fmt.Sprintf("score %d–%d", *w.MinScore, *w.MaxScore))
	case w.MinScore != nil:
		parts = append(parts, fmt.Sprintf("score %d or more", *w.MinScore))
	case w.MaxScore != nil:
		parts = append(parts, fmt.Sprintf("score %d or less", *w.MaxScore))
	}
	if len(w.Surveys) > 0 {
		parts = append(parts, "survey "+strings.Join(w.Surveys, " or "))
	}
	if len(w.Words) > 0 {
		parts = append(parts, "comment mentions “"+strings.Join(w.Words, "”, “")+"”")
	}
	if len(w.Segments) > 0 {
		parts = append(parts, "segment "+strings.Join(w.Segments, " or "))
	}
	if w.MinValue != nil {
		parts = append(parts, "customer value "+groupDigits(*w.MinValue)+" or more")
	}
	if w.Unit != "" {
		parts = append(parts, "in "+w.Unit+" and below")
	}
	if len(w.Channels) > 0 {
		parts = append(parts, "by "+strings.Join(w.Channels, " or "))
	}
	if len(parts) == 0 {
		return "Every response"
	}
	s := strings.Join(parts, " · ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// thenText says in words what a rule does.
func thenText(then []heed.RuleAction) string {
	var parts []string
	for _, a := range then {
		switch a.Kind {
		case heed.ActionOpenCase:
			parts = append(parts, "open a case")
		case heed.ActionNotifyOwner:
			parts = append(parts, "email the owner")
		case heed.ActionNotifyManagers:
			parts = append(parts, fmt.Sprintf("email the managers %s up", plural(max(a.Levels, 1), "level", "levels")))
		case heed.ActionWebhook:
			parts = append(parts, fmt.Sprintf("send to webhook %d", a.Webhook))
		case heed.ActionTag:
			parts = append(parts, "tag “"+a.Tag+"”")
		case heed.ActionAdvocacy:
			parts = append(parts, "thank and invite a review")
		}
	}
	if len(parts) == 0 {
		return "Nothing"
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// ruleBody is the content of rule.html.
type ruleBody struct {
	New      bool
	CanEdit  bool
	Action   string
	Form     ruleForm
	Surveys  []heed.Survey
	Units    []unitOption
	Webhooks []heed.Webhook
	Trial    *cases.Trial
	Examples []responseRow
	Error    string
	ErrorID  string
	Notice   string
}

// ruleNew shows the empty editor: a new rule opens a case for detractors
// until told otherwise.
func (s *server) ruleNew(w http.ResponseWriter, r *http.Request) error {
	if !viewerFrom(r.Context()).P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may add rules")
	}
	f := ruleForm{Active: true, Category: "detractor", OpenCase: true, NotifyOwner: true, Position: "100"}
	return s.renderRule(w, r, http.StatusOK, &ruleBody{New: true, Form: f})
}

// ruleEdit shows a rule: the editor for admins, read-only for analysts.
func (s *server) ruleEdit(w http.ResponseWriter, r *http.Request) error {
	rule, err := s.cs.Rule(r.Context(), viewerFrom(r.Context()).P, r.PathValue("key"))
	if err != nil {
		return err
	}
	body := &ruleBody{Form: formFromRule(rule)}
	switch r.URL.Query().Get("done") {
	case "created":
		body.Notice = "Rule created. It applies to answers from now on."
	case "saved":
		body.Notice = "Changes saved."
	}
	return s.renderRule(w, r, http.StatusOK, body)
}

// ruleCreate saves a new rule.
func (s *server) ruleCreate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	rule, f, err := parseRuleForm(r)
	f.Original = ""
	if err == nil {
		rule, err = s.cs.CreateRule(r.Context(), v.P, rule)
	}
	if err != nil {
		return s.ruleFormError(w, r, &ruleBody{New: true, Form: f}, err)
	}
	http.Redirect(w, r, "/settings/rules/"+url.PathEscape(rule.Key)+"?done=created", http.StatusSeeOther)
	return nil
}

// ruleSave stores an admin's changes to a rule.
func (s *server) ruleSave(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	old, err := s.cs.Rule(r.Context(), v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	rule, f, err := parseRuleForm(r)
	rule.Key, f.Key, f.Original = old.Key, old.Key, old.Key
	if err == nil {
		_, err = s.cs.UpdateRule(r.Context(), v.P, rule)
	}
	if err != nil {
		return s.ruleFormError(w, r, &ruleBody{Form: f}, err)
	}
	http.Redirect(w, r, "/settings/rules/"+url.PathEscape(old.Key)+"?done=saved", http.StatusSeeOther)
	return nil
}

// ruleTry shows what the rule as typed would have done over the last 30
// days, saving nothing.
func (s *server) ruleTry(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	rule, f, err := parseRuleForm(r)
	body := &ruleBody{New: f.Original == "", Form: f}
	if err != nil {
		return s.ruleFormError(w, r, body, err)
	}
	now := time.Now()
	trial, err := s.cs.TryRule(ctx, v.P, rule, now.Add(-cases.DefaultTrialSpan), now)
	if err != nil {
		return s.ruleFormError(w, r, body, err)
	}
	body.Trial = &trial
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	bySurvey := surveysByKey(surveys)
	for _, resp := range trial.Examples {
		body.Examples = append(body.Examples, newResponseRow(resp, bySurvey[resp.Survey], nil))
	}
	return s.renderRule(w, r, http.StatusOK, body)
}

// ruleDelete removes a rule.
func (s *server) ruleDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.cs.DeleteRule(r.Context(), viewerFrom(r.Context()).P, r.PathValue("key")); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings/rules?done=deleted", http.StatusSeeOther)
	return nil
}

// ruleFormError shows the form again with what was refused.
func (s *server) ruleFormError(w http.ResponseWriter, r *http.Request, body *ruleBody, err error) error {
	status, ok := fieldStatus(err)
	if !ok {
		return err
	}
	body.Error = sentence(heed.ErrorMessage(err))
	field := heed.ErrorField(err)
	field = strings.TrimPrefix(field, "when.")
	if strings.HasPrefix(field, "then[") {
		field = "actions"
	}
	body.ErrorID, _, _ = strings.Cut(field, "[")
	return s.renderRule(w, r, status, body)
}

// renderRule fills in the editor's choices and renders it.
func (s *server) renderRule(w http.ResponseWriter, r *http.Request, status int, body *ruleBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	body.CanEdit = v.P.IsAdmin()
	body.Form.ChannelOptions = heed.Channels()
	body.Form.CategoryOptions = metrics.Categories()
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	body.Surveys = sortedSurveys(surveys)
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	body.Units = unitOptions(units)
	if s.hooks != nil && v.P.IsAdmin() {
		if body.Webhooks, err = s.hooks.List(ctx, v.P); err != nil {
			return err
		}
	}
	title, action := "New rule", "/settings/rules/new"
	if !body.New {
		title, action = body.Form.Name, "/settings/rules/"+url.PathEscape(body.Form.Original)
	}
	body.Action = action
	return s.render(w, r, status, "rule", view{Title: title, Section: "rules", Body: body})
}
