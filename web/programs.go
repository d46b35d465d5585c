package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// programsBody is the content of programs.html.
type programsBody struct {
	Programs []programRow
	CanEdit  bool
}

// programRow is one program of the list.
type programRow struct {
	Program    heed.Program
	SurveyName string
	Goal       string
	Population string
}

// programList shows every program with its goal and population.
func (s *server) programList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	list, err := s.sv.ListPrograms(ctx, v.P)
	if err != nil {
		return err
	}
	surveys, err := s.surveyNames(r)
	if err != nil {
		return err
	}
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	names := unitNames(units)
	body := programsBody{CanEdit: v.P.IsAdmin()}
	slices.SortFunc(list, func(a, b heed.Program) int {
		return cmp.Or(strings.Compare(heed.Fold(a.Name), heed.Fold(b.Name)), strings.Compare(a.Key, b.Key))
	})
	for _, p := range list {
		body.Programs = append(body.Programs, programRow{Program: p, SurveyName: cmp.Or(surveys[p.Survey], p.Survey),
			Goal: programGoal(p), Population: population(p, names)})
	}
	return s.render(w, r, http.StatusOK, "programs", view{Title: "Programs", Section: "programs", Body: body})
}

// surveyNames maps survey keys to names.
func (s *server) surveyNames(r *http.Request) (map[string]string, error) {
	list, err := s.sv.ListSurveys(r.Context(), viewerFrom(r.Context()).P)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, sv := range list {
		m[sv.Key] = sv.Name
	}
	return m, nil
}

// programGoal says in words what a program aims at.
func programGoal(p heed.Program) string {
	if p.Margin > 0 {
		return fmt.Sprintf("Each unit within ±%s points every %s", formatFloat(p.Margin), p.Period)
	}
	return fmt.Sprintf("%s every %s", plural(p.Target, "invitation", "invitations"), p.Period)
}

// population says in words whom a program asks.
func population(p heed.Program, unitNames map[string]string) string {
	var parts []string
	if len(p.Units) > 0 {
		names := make([]string, len(p.Units))
		for i, u := range p.Units {
			names[i] = cmp.Or(unitNames[u], u)
		}
		parts = append(parts, "customers of "+strings.Join(names, ", "))
	}
	if len(p.Segments) > 0 {
		parts = append(parts, "in segment "+strings.Join(p.Segments, " or "))
	}
	if len(p.Attributes) > 0 {
		parts = append(parts, "with "+attributeText(p.Attributes, ", "))
	}
	if len(parts) == 0 {
		return "Every customer"
	}
	s := strings.Join(parts, ", ")
	return strings.ToUpper(s[:1]) + s[1:]
}

// attributeText writes attributes as sorted key=value pairs.
func attributeText(attrs map[string]string, sep string) string {
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		keys[i] = k + "=" + attrs[k]
	}
	return strings.Join(keys, sep)
}

// formatFloat writes a number without needless decimals: 10, 7.5.
func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// programForm is the program editor's fields as typed.
type programForm struct {
	Key, Name, Survey   string
	Units               []string
	Segments            string // separated by commas
	Attributes          string // key=value, one a line
	Mode                string // "target" or "margin"
	Target, Margin      string
	Period              string
	ProgramDays         string
	GlobalDays          string
	ReminderDays        string
	NoReminder          bool
	ExpiryDays          string
	Active              bool
	LastRun             string
	PeriodOptions       []string
	ProgramDaysDefault  int
	GlobalDaysDefault   int
	ReminderDaysDefault int
	ExpiryDaysDefault   int
}

func formFromProgram(p heed.Program) programForm {
	f := programForm{
		Key: p.Key, Name: p.Name, Survey: p.Survey, Units: p.Units, Segments: strings.Join(p.Segments, ", "),
		Attributes: attributeText(p.Attributes, "\n"), Mode: "target", Period: cmp.Or(p.Period, "month"),
		ProgramDays: itoaOrEmpty(p.ProgramDays), GlobalDays: itoaOrEmpty(p.GlobalDays),
		ExpiryDays: itoaOrEmpty(p.ExpiryDays), Active: p.Active, Target: itoaOrEmpty(p.Target),
	}
	if p.Margin > 0 {
		f.Mode, f.Margin = "margin", formatFloat(p.Margin)
	}
	if p.ReminderDays < 0 {
		f.NoReminder = true
	} else {
		f.ReminderDays = itoaOrEmpty(p.ReminderDays)
	}
	if p.LastRunAt != nil {
		f.LastRun = formatTime(*p.LastRunAt)
	}
	return f
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// parseProgramForm reads the editor into a program and the form to show
// again; the error names a number that is not one.
func parseProgramForm(r *http.Request) (heed.Program, programForm, error) {
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f := programForm{
		Key: get("key"), Name: get("name"), Survey: get("survey"), Units: r.PostForm["units"],
		Segments: get("segments"), Attributes: get("attributes"), Mode: get("mode"), Target: get("target"),
		Margin: get("margin"), Period: get("period"), ProgramDays: get("program_days"), GlobalDays: get("global_days"),
		ReminderDays: get("reminder_days"), NoReminder: get("no_reminder") != "", ExpiryDays: get("expiry_days"),
		Active: get("active") != "",
	}
	p := heed.Program{Key: f.Key, Name: f.Name, Survey: f.Survey, Units: f.Units, Period: f.Period, Active: f.Active,
		Segments: splitList(f.Segments, ",")}
	var err error
	if p.Attributes, err = parseAttributes(f.Attributes); err != nil {
		return p, f, err
	}
	ints := []struct {
		field, text string
		dst         *int
	}{
		{"program_days", f.ProgramDays, &p.ProgramDays},
		{"global_days", f.GlobalDays, &p.GlobalDays},
		{"expiry_days", f.ExpiryDays, &p.ExpiryDays},
		{"reminder_days", f.ReminderDays, &p.ReminderDays},
	}
	if f.Mode == "margin" {
		if p.Margin, err = strconv.ParseFloat(f.Margin, 64); err != nil || p.Margin <= 0 {
			return p, f, heed.FieldErrorf(heed.EInvalid, "margin", "the margin must be a number of points, such as 10")
		}
	} else {
		ints = append(ints, struct {
			field, text string
			dst         *int
		}{"target", f.Target, &p.Target})
	}
	for _, n := range ints {
		if n.text == "" {
			continue // the default
		}
		if *n.dst, err = strconv.Atoi(n.text); err != nil {
			return p, f, heed.FieldErrorf(heed.EInvalid, n.field, "%s must be a whole number", strings.ReplaceAll(n.field, "_", " "))
		}
	}
	if f.NoReminder {
		p.ReminderDays = -1
	}
	return p, f, nil
}

// parseAttributes reads key=value lines.
func parseAttributes(s string) (map[string]string, error) {
	out := map[string]string{}
	for i, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, heed.FieldErrorf(heed.EInvalid, "attributes", "line %d of the attributes is not key=value", i+1)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// programBody is the content of program.html.
type programBody struct {
	New        bool
	CanEdit    bool
	Action     string
	Form       programForm
	Surveys    []heed.Survey
	Units      []unitChoice
	Error      string
	ErrorID    string
	Notice     string
	NoticeLink string
	Report     *reportView
}

// unitChoice is one unit of the population's check list.
type unitChoice struct {
	unitOption
	Checked bool
}

// programNew shows the empty editor (admins).
func (s *server) programNew(w http.ResponseWriter, r *http.Request) error {
	if !viewerFrom(r.Context()).P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may create programs")
	}
	f := formFromProgram(heed.Program{Active: true})
	return s.renderProgram(w, r, http.StatusOK, &programBody{New: true, Form: f})
}

// programCreate saves a new program.
func (s *server) programCreate(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	if !v.P.IsAdmin() {
		return heed.Errorf(heed.EForbidden, "only admins may create programs")
	}
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	p, f, err := parseProgramForm(r)
	body := &programBody{New: true, Form: f}
	if err == nil {
		p, err = s.sv.CreateProgram(r.Context(), v.P, p)
	}
	if err != nil {
		return s.programFormError(w, r, body, err)
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(p.Key)+"?done=created", http.StatusSeeOther)
	return nil
}

// programEdit shows a program: the editor for admins, read-only for
// others.
func (s *server) programEdit(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	p, err := s.sv.GetProgram(r.Context(), v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	body := &programBody{Form: formFromProgram(p), Notice: programNotice(r)}
	if r.URL.Query().Get("done") == "run" {
		body.NoticeLink = "/invitations?program=" + url.QueryEscape(p.Key)
	}
	return s.renderProgram(w, r, http.StatusOK, body)
}

// programNotice confirms what the last button did, from known words and
// numbers only.
func programNotice(r *http.Request) string {
	q := r.URL.Query()
	switch q.Get("done") {
	case "created":
		return "Program created."
	case "saved":
		return "Changes saved."
	case "run":
		n, _ := strconv.Atoi(q.Get("invited"))
		if n <= 0 {
			return "Run finished: nobody new to ask today; today's quota is met or nobody is eligible."
		}
		return fmt.Sprintf("Run finished: %s invited. Their emails are on their way.", plural(n, "customer", "customers"))
	}
	return ""
}

// programSave stores an admin's changes.
func (s *server) programSave(w http.ResponseWriter, r *http.Request) error {
	v := viewerFrom(r.Context())
	old, err := s.sv.GetProgram(r.Context(), v.P, r.PathValue("key"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	p, f, err := parseProgramForm(r)
	p.Key, p.Seed, f.Key = old.Key, old.Seed, old.Key
	// The form does not show the service levels of the cases (set through
	// the API); saving it keeps them.
	p.FirstContactHours, p.ResolveDays, p.ResurveyDays = old.FirstContactHours, old.ResolveDays, old.ResurveyDays
	body := &programBody{Form: f}
	if err == nil {
		_, err = s.sv.UpdateProgram(r.Context(), v.P, p)
	}
	if err != nil {
		return s.programFormError(w, r, body, err)
	}
	http.Redirect(w, r, "/programs/"+url.PathEscape(p.Key)+"?done=saved", http.StatusSeeOther)
	return nil
}

// programFormError shows the form again with what was refused.
func (s *server) programFormError(w http.ResponseWriter, r *http.Request, body *programBody, err error) error {
	status, ok := formStatus(err)
	if !ok {
		return err
	}
	body.Error = sentence(heed.ErrorMessage(err))
	body.ErrorID, _, _ = strings.Cut(heed.ErrorField(err), "[")
	return s.renderProgram(w, r, status, body)
}

// renderProgram fills in the choices of the editor and renders it.
func (s *server) renderProgram(w http.ResponseWriter, r *http.Request, status int, body *programBody) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	body.CanEdit = v.P.IsAdmin()
	f := &body.Form
	f.PeriodOptions = []string{"week", "month", "quarter"}
	f.ProgramDaysDefault, f.GlobalDaysDefault = survey.DefaultProgramDays, survey.DefaultGlobalDays
	f.ReminderDaysDefault, f.ExpiryDaysDefault = survey.DefaultReminderDays, survey.DefaultExpiryDays
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	body.Surveys = sortedSurveys(surveys)
	units, err := s.dir.ListUnits(ctx, v.P)
	if err != nil {
		return err
	}
	for _, o := range unitOptions(units) {
		body.Units = append(body.Units, unitChoice{unitOption: o, Checked: slices.Contains(f.Units, o.Key)})
	}
	title, action := "New program", "/programs/new"
	if !body.New {
		title, action = cmp.Or(f.Name, f.Key), "/programs/"+url.PathEscape(f.Key)
	}
	body.Action = action
	return s.render(w, r, status, "program", view{Title: title, Section: "programs", Body: body})
}
