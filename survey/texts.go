package survey

import (
	"maps"
	"slices"
	"strings"

	"github.com/heedhq/heed"
	"golang.org/x/text/language"
)

// Languages are the languages Heed ships texts for, the default first.
// A survey may add others by giving every text itself.
var shipped = []string{"en", "nl", "de"}

// ShippedLanguages lists the languages with built-in texts.
func ShippedLanguages() []string { return slices.Clone(shipped) }

// defaultTexts are the built-in wordings per kind and language. The NPS
// wording is the seeds' two questions, unchanged.
var defaultTexts = map[heed.SurveyKind]map[string]heed.SurveyText{
	heed.SurveyNPS: {
		"en": {
			Title:    "How did we do?",
			Score:    "How likely is it that you would recommend us to a friend or colleague?",
			Low:      "Not at all likely",
			High:     "Extremely likely",
			Reason:   "What are the reasons behind your score?",
			Subject:  "How likely are you to recommend us?",
			Intro:    "We would love to know how we are doing. It takes ten seconds: click a score.",
			Reminder: "Reminder: how likely are you to recommend us?",
		},
		"nl": {
			Title:    "Hoe deden we het?",
			Score:    "Hoe waarschijnlijk is het dat u ons zou aanbevelen aan een vriend of collega?",
			Low:      "Zeer onwaarschijnlijk",
			High:     "Zeer waarschijnlijk",
			Reason:   "Wat zijn de redenen voor uw score?",
			Subject:  "Hoe waarschijnlijk is het dat u ons aanbeveelt?",
			Intro:    "We horen graag hoe we het doen. Het kost tien seconden: klik op een score.",
			Reminder: "Herinnering: zou u ons aanbevelen?",
		},
		"de": {
			Title:    "Wie war es?",
			Score:    "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?",
			Low:      "Überhaupt nicht wahrscheinlich",
			High:     "Äußerst wahrscheinlich",
			Reason:   "Was sind die Gründe für Ihre Bewertung?",
			Subject:  "Wie wahrscheinlich empfehlen Sie uns weiter?",
			Intro:    "Wir möchten wissen, wie wir es machen. Es dauert zehn Sekunden: Klicken Sie auf eine Zahl.",
			Reminder: "Erinnerung: Würden Sie uns weiterempfehlen?",
		},
	},
	heed.SurveyCSAT: {
		"en": {
			Title:    "How did we do?",
			Score:    "How satisfied were you with your visit?",
			Low:      "Very dissatisfied",
			High:     "Very satisfied",
			Reason:   "What is the main reason for your answer?",
			Subject:  "How satisfied were you?",
			Intro:    "We would love to know how your visit went. Click an answer.",
			Reminder: "Reminder: how satisfied were you?",
		},
		"nl": {
			Title:    "Hoe deden we het?",
			Score:    "Hoe tevreden was u over uw bezoek?",
			Low:      "Zeer ontevreden",
			High:     "Zeer tevreden",
			Reason:   "Wat is de belangrijkste reden voor uw antwoord?",
			Subject:  "Hoe tevreden was u?",
			Intro:    "We horen graag hoe uw bezoek was. Klik op een antwoord.",
			Reminder: "Herinnering: hoe tevreden was u?",
		},
		"de": {
			Title:    "Wie war es?",
			Score:    "Wie zufrieden waren Sie mit Ihrem Besuch?",
			Low:      "Sehr unzufrieden",
			High:     "Sehr zufrieden",
			Reason:   "Was ist der wichtigste Grund für Ihre Antwort?",
			Subject:  "Wie zufrieden waren Sie?",
			Intro:    "Wir möchten wissen, wie Ihr Besuch war. Klicken Sie auf eine Antwort.",
			Reminder: "Erinnerung: Wie zufrieden waren Sie?",
		},
	},
	heed.SurveyCES: {
		"en": {
			Title:    "Was it easy?",
			Score:    "The company made it easy for me to handle my issue.",
			Low:      "Strongly disagree",
			High:     "Strongly agree",
			Reason:   "What made it easy or hard?",
			Subject:  "Was it easy to get your issue handled?",
			Intro:    "One question about your recent contact with us. Click an answer.",
			Reminder: "Reminder: was it easy?",
		},
		"nl": {
			Title:    "Ging het makkelijk?",
			Score:    "Het bedrijf maakte het mij makkelijk om mijn vraag af te handelen.",
			Low:      "Helemaal oneens",
			High:     "Helemaal eens",
			Reason:   "Wat maakte het makkelijk of moeilijk?",
			Subject:  "Ging het makkelijk?",
			Intro:    "Eén vraag over uw recente contact met ons. Klik op een antwoord.",
			Reminder: "Herinnering: ging het makkelijk?",
		},
		"de": {
			Title:    "War es einfach?",
			Score:    "Das Unternehmen hat es mir leicht gemacht, mein Anliegen zu erledigen.",
			Low:      "Stimme überhaupt nicht zu",
			High:     "Stimme voll und ganz zu",
			Reason:   "Was hat es leicht oder schwer gemacht?",
			Subject:  "War es einfach?",
			Intro:    "Eine Frage zu Ihrem letzten Kontakt mit uns. Klicken Sie auf eine Antwort.",
			Reminder: "Erinnerung: War es einfach?",
		},
	},
}

// commonTexts are the parts of a survey's wording shared by every kind.
var commonTexts = map[string]heed.SurveyText{
	"en": {Submit: "Send", Thanks: "Thank you! Your answer helps us do better.", RewardTxt: "As a thank-you, here is your code:"},
	"nl": {Submit: "Versturen", Thanks: "Dank u wel! Uw antwoord helpt ons beter te worden.", RewardTxt: "Als dank is dit uw code:"},
	"de": {Submit: "Senden", Thanks: "Vielen Dank! Ihre Antwort hilft uns, besser zu werden.", RewardTxt: "Als Dankeschön erhalten Sie diesen Code:"},
}

// UI is the wording of the respondent's pages that does not belong to a
// survey: errors, confirmations, the unsubscribe page.
type UI struct {
	Lang          string
	YourScore     string
	Optional      string
	Required      string
	ChangeAnswer  string
	Expired       string
	Unknown       string
	Closed        string
	Unsubscribed  string
	Unsubscribe   string
	UnsubscribeQ  string
	SentBy        string
	TooMany       string
	FixErrors     string
	ClickToAnswer string
	ThanksSubject string
}

var uiTexts = map[string]UI{
	"en": {
		YourScore: "Your answer", Optional: "optional", Required: "required",
		ChangeAnswer:  "You can change your answer through the same link for 24 hours.",
		Expired:       "This survey link has expired. Thank you for your interest all the same.",
		Unknown:       "We could not find this survey. Please check the link in your message.",
		Closed:        "You have already answered this survey. Thank you!",
		Unsubscribed:  "You will not receive any more surveys from us.",
		Unsubscribe:   "Unsubscribe from surveys",
		UnsubscribeQ:  "Stop receiving surveys from us?",
		SentBy:        "You receive this message because you are our customer.",
		TooMany:       "Too many answers from your connection. Please try again in a minute.",
		FixErrors:     "Please check your answer:",
		ClickToAnswer: "Click a number to answer:",
		ThanksSubject: "Thank you for your answer",
	},
	"nl": {
		YourScore: "Uw antwoord", Optional: "optioneel", Required: "verplicht",
		ChangeAnswer:  "U kunt uw antwoord 24 uur lang via dezelfde link wijzigen.",
		Expired:       "Deze enquêtelink is verlopen. Toch bedankt voor uw interesse.",
		Unknown:       "We konden deze enquête niet vinden. Controleer de link in uw bericht.",
		Closed:        "U hebt deze enquête al ingevuld. Dank u wel!",
		Unsubscribed:  "U ontvangt geen enquêtes meer van ons.",
		Unsubscribe:   "Afmelden voor enquêtes",
		UnsubscribeQ:  "Geen enquêtes meer van ons ontvangen?",
		SentBy:        "U ontvangt dit bericht omdat u klant bij ons bent.",
		TooMany:       "Te veel antwoorden vanaf uw verbinding. Probeer het over een minuut opnieuw.",
		FixErrors:     "Controleer uw antwoord:",
		ClickToAnswer: "Klik op een cijfer om te antwoorden:",
		ThanksSubject: "Bedankt voor uw antwoord",
	},
	"de": {
		YourScore: "Ihre Antwort", Optional: "optional", Required: "erforderlich",
		ChangeAnswer:  "Sie können Ihre Antwort 24 Stunden lang über denselben Link ändern.",
		Expired:       "Dieser Umfragelink ist abgelaufen. Trotzdem vielen Dank für Ihr Interesse.",
		Unknown:       "Wir konnten diese Umfrage nicht finden. Bitte prüfen Sie den Link in Ihrer Nachricht.",
		Closed:        "Sie haben diese Umfrage bereits beantwortet. Vielen Dank!",
		Unsubscribed:  "Sie erhalten keine Umfragen mehr von uns.",
		Unsubscribe:   "Von Umfragen abmelden",
		UnsubscribeQ:  "Keine Umfragen mehr von uns erhalten?",
		SentBy:        "Sie erhalten diese Nachricht, weil Sie unser Kunde sind.",
		TooMany:       "Zu viele Antworten von Ihrer Verbindung. Bitte versuchen Sie es in einer Minute erneut.",
		FixErrors:     "Bitte prüfen Sie Ihre Antwort:",
		ClickToAnswer: "Klicken Sie auf eine Zahl, um zu antworten:",
		ThanksSubject: "Vielen Dank für Ihre Antwort",
	},
}

// UIText returns the page wording for lang, English when Heed has none.
func UIText(lang string) UI {
	base := baseLang(lang)
	u, ok := uiTexts[base]
	if !ok {
		u, base = uiTexts["en"], "en"
	}
	u.Lang = base
	return u
}

// DefaultTexts returns the built-in texts of kind in every shipped language.
func DefaultTexts(kind heed.SurveyKind) map[string]heed.SurveyText {
	out := map[string]heed.SurveyText{}
	for lang := range defaultTexts[kind] {
		out[lang] = withDefaults(heed.SurveyText{}, kind, lang)
	}
	return out
}

// withDefaults fills the empty fields of t from the built-in texts of kind
// in lang (English for a language Heed does not ship).
func withDefaults(t heed.SurveyText, kind heed.SurveyKind, lang string) heed.SurveyText {
	base := baseLang(lang)
	d, ok := defaultTexts[kind][base]
	if !ok {
		d, base = defaultTexts[kind]["en"], "en"
	}
	c := commonTexts[base]
	fill := func(dst *string, vals ...string) {
		for _, v := range vals {
			if *dst == "" {
				*dst = v
			}
		}
	}
	fill(&t.Title, d.Title)
	fill(&t.Score, d.Score)
	fill(&t.Low, d.Low)
	fill(&t.High, d.High)
	fill(&t.Reason, d.Reason)
	fill(&t.Subject, d.Subject)
	fill(&t.Intro, d.Intro)
	fill(&t.Reminder, d.Reminder)
	fill(&t.Submit, c.Submit)
	fill(&t.Thanks, c.Thanks)
	fill(&t.RewardTxt, c.RewardTxt)
	return t
}

// Texts returns the survey's wording in lang with every empty field filled
// from the defaults: what the respondent sees.
func Texts(s heed.Survey, lang string) heed.SurveyText {
	return withDefaults(s.Texts[lang], s.Kind, lang)
}

// QuestionLabel is the label of question q in t, or its id when the survey
// gives none.
func QuestionLabel(t heed.SurveyText, q heed.Question) string {
	if l := t.Questions[q.ID]["label"]; l != "" {
		return l
	}
	return q.ID
}

// OptionLabel is the label of option opt of question q in t, or its key.
func OptionLabel(t heed.SurveyText, q heed.Question, opt string) string {
	if l := t.Questions[q.ID][opt]; l != "" {
		return l
	}
	return opt
}

// Language picks the language a respondent sees: the customer's language
// when the survey has texts in it, else the best match for the browser's
// Accept-Language header, else the survey's default.
func Language(s heed.Survey, customerLang, acceptLanguage string) string {
	langs := slices.Sorted(maps.Keys(s.Texts))
	if len(langs) == 0 {
		return s.Language
	}
	// The default first: the matcher falls back to its first tag.
	if i := slices.Index(langs, s.Language); i > 0 {
		langs[0], langs[i] = langs[i], langs[0]
	}
	tags := make([]language.Tag, 0, len(langs))
	for _, l := range langs {
		tags = append(tags, language.Make(l))
	}
	m := language.NewMatcher(tags)
	if customerLang != "" {
		if t, err := language.Parse(customerLang); err == nil {
			if _, i, conf := m.Match(t); conf >= language.High {
				return langs[i]
			}
		}
	}
	if acceptLanguage != "" {
		if prefs, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(prefs) > 0 {
			if _, i, conf := m.Match(prefs...); conf > language.No {
				return langs[i]
			}
		}
	}
	return s.Language
}

// baseLang is the language part of a BCP 47 tag, lower-cased: "nl-BE" → "nl".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}
