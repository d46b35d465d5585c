package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// Keys of the demo's surveys and programs, which LoadSurveys looks up to
// tell a first load from a second.
const (
	StoreVisitSurvey   = "store-visit"
	CustomerCareSurvey = "customer-care"
	StoreVisitProgram  = "store-visits"
	CareProgram        = "care-csat"
	careUnit           = "customer-care"
)

// Streams of the seeded generator beyond the people's: one for the
// surveys and characters, one for the history LoadSurveys writes.
const (
	surveyStream  = 0x6865656420737679 // "heed svy"
	historyStream = 0x6865656420686973 // "heed his"
)

// visitReasons are the options of the store-visit survey's extra question.
var visitReasons = []string{"browse", "buy", "repair", "return", "advice"}

// visitReasonTexts label the extra question in each shipped language.
var visitReasonTexts = map[string]map[string]string{
	"en": {"label": "What was the main reason for your visit?", "browse": "Just looking around",
		"buy": "To buy something", "repair": "A repair or service", "return": "To return or exchange an item",
		"advice": "Advice from our staff"},
	"nl": {"label": "Wat was de belangrijkste reden van uw bezoek?", "browse": "Even rondkijken",
		"buy": "Iets kopen", "repair": "Een reparatie of onderhoud", "return": "Iets terugbrengen of ruilen",
		"advice": "Advies van onze medewerkers"},
	"de": {"label": "Was war der Hauptgrund für Ihren Besuch?", "browse": "Einfach stöbern",
		"buy": "Etwas kaufen", "repair": "Eine Reparatur oder Wartung", "return": "Etwas zurückgeben oder umtauschen",
		"advice": "Beratung durch unser Team"},
}

// careTexts replace the CSAT defaults that speak of a visit: the care
// survey asks about a contact with the care team.
var careTexts = map[string]heed.SurveyText{
	"en": {Score: "How satisfied were you with our customer care?",
		Intro: "You were recently in touch with our customer care team. How did it go? Click an answer."},
	"nl": {Score: "Hoe tevreden was u over onze klantenservice?",
		Intro: "U had onlangs contact met onze klantenservice. Hoe ging het? Klik op een antwoord."},
	"de": {Score: "Wie zufrieden waren Sie mit unserem Kundenservice?",
		Intro: "Sie hatten kürzlich Kontakt mit unserem Kundenservice. Wie war es? Klicken Sie auf eine Antwort."},
}

// buildSurveys returns the NPS survey of store visits and the CSAT survey
// of customer care, worded from the service's defaults.
func buildSurveys() []heed.Survey {
	visit := heed.Survey{
		Key: StoreVisitSurvey, Kind: heed.SurveyNPS, Name: "Store visit", Language: "en",
		Texts:     survey.DefaultTexts(heed.SurveyNPS),
		Questions: []heed.Question{{ID: "visit_reason", Type: heed.QuestionSingle, Options: visitReasons}},
		Hidden:    []string{"order"},
	}
	for lang, t := range visit.Texts {
		t.Questions = map[string]map[string]string{"visit_reason": visitReasonTexts[lang]}
		visit.Texts[lang] = t
	}
	care := heed.Survey{
		Key: CustomerCareSurvey, Kind: heed.SurveyCSAT, Name: "Customer care", Language: "en",
		Texts: survey.DefaultTexts(heed.SurveyCSAT),
	}
	for lang, t := range care.Texts {
		t.Score, t.Intro = careTexts[lang].Score, careTexts[lang].Intro
		care.Texts[lang] = t
	}
	return []heed.Survey{visit, care}
}

// Targets of the programs: invitations a month.
const (
	visitTarget = 1000
	careTarget  = 110
)

// buildPrograms returns the running store-visit program and the care
// program. The care program is inactive: care surveys follow a closed
// contact (through the API), so it exists to group their invitations and
// show a response rate, and `heed demo` must not email random customers
// about a call they never made.
func buildPrograms(r *rand.Rand) []heed.Program {
	return []heed.Program{{
		Key: StoreVisitProgram, Name: "Store visits", Survey: StoreVisitSurvey, Channel: heed.ChannelEmail,
		Active: true, Target: visitTarget, Period: "month", Seed: r.Int64(),
	}, {
		Key: CareProgram, Name: "Customer care CSAT", Survey: CustomerCareSurvey, Channel: heed.ChannelEmail,
		Active: false, Target: careTarget, Period: "month", Seed: r.Int64(),
	}}
}

// Character is how a store's customers feel about it over the six months
// of history: its NPS at the start and at the end (drifting in between),
// and what its happy and unhappy customers write about.
type Character struct {
	Unit       string   // store unit key
	From, To   float64  // NPS, −100…100
	Praise     []string // comment themes of its promoters
	Complaints []string // comment themes of its detractors
}

// Themes comments are about; see comments.go.
const (
	themeStaff      = "staff"
	themeAdvice     = "advice"
	themeRepair     = "repair"
	themeRange      = "range"
	themeStore      = "store"
	themeQuick      = "quick"
	themeCheckout   = "checkout"
	themeStock      = "stock"
	themeParking    = "parking"
	themeReturns    = "returns"
	themePrices     = "prices"
	themeNoHelp     = "no_help"
	themeRepairSlow = "repair_slow"
)

var (
	praiseThemes    = []string{themeStaff, themeAdvice, themeRepair, themeRange, themeStore, themeQuick}
	complaintThemes = []string{themeCheckout, themeStock, themeParking, themeReturns, themePrices, themeNoHelp, themeRepairSlow}
)

// notable are the stores with a story: a few excellent, two struggling,
// one turning round (the demo login's store, so its manager sees the
// trend) and one slipping. Every other store is ordinary: +20…+40.
var notable = map[string]Character{
	"Edinburgh Princes Street":    {From: 60, To: 62, Praise: []string{themeAdvice, themeStaff}, Complaints: []string{themePrices}},
	"Keswick Main Street":         {From: 64, To: 66, Praise: []string{themeAdvice, themeRepair}, Complaints: []string{themeParking, themeStock}},
	"Betws-y-Coed Outdoor Centre": {From: 58, To: 60, Praise: []string{themeRepair, themeAdvice, themeStaff}, Complaints: []string{themeParking}},
	"Cambridge Grand Arcade":      {From: 55, To: 58, Praise: []string{themeStaff, themeStore}, Complaints: []string{themePrices}},
	"London Oxford Street":        {From: -10, To: -12, Praise: []string{themeRange}, Complaints: []string{themeCheckout, themeNoHelp, themeReturns}},
	"Sheffield Meadowhall":        {From: -8, To: -10, Praise: []string{themeQuick}, Complaints: []string{themeStock, themeReturns, themeNoHelp}},
	"Manchester Arndale":          {From: -20, To: 55, Praise: []string{themeStaff, themeQuick}, Complaints: []string{themeCheckout, themeStock}},
	"Bristol Cabot Circus":        {From: 50, To: -15, Praise: []string{themeRange, themeRepair}, Complaints: []string{themeRepairSlow, themeNoHelp}},
}

// buildCharacters gives every store its character, in the stores' order.
func buildCharacters(r *rand.Rand) []Character {
	var out []Character
	for _, rs := range regionSpecs {
		for _, ss := range rs.stores {
			c, ok := notable[ss.name]
			if !ok {
				from := 20 + 20*r.Float64()
				c = Character{From: from, To: from + 8*(r.Float64()-0.5),
					Praise: pickN(r, praiseThemes, 2), Complaints: pickN(r, complaintThemes, 2)}
			}
			c.Unit = "store-" + slug(ss.name, "-")
			out = append(out, c)
		}
	}
	return out
}

// NPS is the store's score at frac (0: the first day of the history, 1:
// the last).
func (c Character) NPS(frac float64) float64 { return c.From + (c.To-c.From)*frac }

// pickN picks n different elements of xs.
func pickN(r *rand.Rand, xs []string, n int) []string {
	idx := r.Perm(len(xs))[:n]
	out := make([]string, n)
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

// LoadReport is what LoadSurveys did; a second load reports zeros.
type LoadReport struct {
	Surveys     int // created
	Programs    int // created
	Invitations int // written, with their history
	Responses   int
}

// LoadSurveys creates ds's surveys and programs through svc unless a
// survey or program with the same key exists, then gives each survey that
// has neither invitations nor answers six months of them, ending
// yesterday (relative to now), written straight to store in transactions
// of a few hundred, the counts kept as live answers keep them. progress,
// if not nil, hears how many of those writes are done. The organisation
// and customers must be loaded first. The same seed and day give the same
// history (only the unusable link tokens differ).
//
// An interrupted history is not resumed: the surveys have invitations by
// then, so the next load leaves them alone; start a fresh database.
func LoadSurveys(ctx context.Context, svc *survey.Service, store heed.Store, ds Dataset, now time.Time,
	progress func(done, total int)) (LoadReport, error) {
	var rep LoadReport
	svs, err := ensureSurveys(ctx, svc, ds.Surveys, &rep)
	if err != nil {
		return rep, err
	}
	progs, err := ensurePrograms(ctx, svc, ds.Programs, &rep)
	if err != nil {
		return rep, err
	}
	fresh, err := withoutHistory(ctx, store, svs)
	if err != nil || len(fresh) == 0 {
		return rep, err
	}
	h, err := newHistory(ctx, store, ds, svs, progs, now)
	if err != nil {
		return rep, err
	}
	h.simulate()
	return rep, h.write(ctx, store, fresh, &rep, progress)
}

// ensureSurveys returns the stored surveys by key, creating those missing.
func ensureSurveys(ctx context.Context, svc *survey.Service, want []heed.Survey, rep *LoadReport) (map[string]heed.Survey, error) {
	out := map[string]heed.Survey{}
	for _, sv := range want {
		got, err := svc.GetSurvey(ctx, heed.System(), sv.Key)
		if heed.IsNotFound(err) {
			got, err = svc.CreateSurvey(ctx, heed.System(), sv)
			rep.Surveys++
		}
		if err != nil {
			return nil, fmt.Errorf("survey %s: %w", sv.Key, err)
		}
		out[sv.Key] = got
	}
	return out, nil
}

// ensurePrograms returns the stored programs by key, creating those
// missing.
func ensurePrograms(ctx context.Context, svc *survey.Service, want []heed.Program, rep *LoadReport) (map[string]heed.Program, error) {
	out := map[string]heed.Program{}
	for _, p := range want {
		got, err := svc.GetProgram(ctx, heed.System(), p.Key)
		if heed.IsNotFound(err) {
			got, err = svc.CreateProgram(ctx, heed.System(), p)
			rep.Programs++
		}
		if err != nil {
			return nil, fmt.Errorf("program %s: %w", p.Key, err)
		}
		out[p.Key] = got
	}
	return out, nil
}

// withoutHistory returns the keys of the surveys with neither invitations
// nor answers: those that may get the demo's history.
func withoutHistory(ctx context.Context, store heed.Store, svs map[string]heed.Survey) (map[string]bool, error) {
	fresh := map[string]bool{}
	all := heed.Scope{All: true}
	for key, sv := range svs {
		rs, err := store.ListResponses(ctx, all, heed.ResponseFilter{SurveyID: sv.ID, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("responses of %s: %w", key, err)
		}
		invs, err := store.ListInvitations(ctx, all, heed.InvitationFilter{SurveyID: sv.ID, Limit: 1})
		if err != nil {
			return nil, fmt.Errorf("invitations of %s: %w", key, err)
		}
		if len(rs) == 0 && len(invs) == 0 {
			fresh[key] = true
		}
	}
	return fresh, nil
}
