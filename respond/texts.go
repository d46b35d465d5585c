package respond

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/heedhq/heed/survey"
	"golang.org/x/text/language"
)

// words are the few phrases of these pages that survey.UI does not hold
// yet (field errors, a generic failure, the widget's close button), in
// the languages survey ships. A language without an entry gets English.
type words struct {
	Title     string // heading of a page that belongs to no survey
	Oops      string
	OopsMsg   string
	CrossSite string
	Saved     string // above the reason step once the score is recorded
	Close     string
	BadScore  string // with the scale's lowest and highest score
	TooLong   string // with the limit
	BadOption string
	Required  string
	NoSuchQ   string // with the question's id
}

var wordTexts = map[string]words{
	"en": {
		Title:     "Survey",
		Oops:      "Something went wrong",
		OopsMsg:   "Your answer could not be handled just now. Please try again in a moment.",
		CrossSite: "This form was sent from another website, so it was not accepted. Please open the link from your message again.",
		Saved:     "Thank you, your score has been saved. Would you like to tell us more?",
		Close:     "Close",
		BadScore:  "Choose a number from %d to %d.",
		TooLong:   "Please use at most %s characters.",
		BadOption: "Choose one of the options.",
		Required:  "Please answer this question.",
		NoSuchQ:   "This survey has no question %q.",
	},
	"nl": {
		Title:     "Enquête",
		Oops:      "Er ging iets mis",
		OopsMsg:   "Uw antwoord kon nu niet worden verwerkt. Probeer het over een ogenblik opnieuw.",
		CrossSite: "Dit formulier kwam van een andere website en is daarom niet aangenomen. Open de link uit uw bericht opnieuw.",
		Saved:     "Dank u, uw score is opgeslagen. Wilt u ons meer vertellen?",
		Close:     "Sluiten",
		BadScore:  "Kies een cijfer van %d tot en met %d.",
		TooLong:   "Gebruik maximaal %s tekens.",
		BadOption: "Kies een van de opties.",
		Required:  "Beantwoord deze vraag alstublieft.",
		NoSuchQ:   "Deze enquête heeft geen vraag %q.",
	},
	"de": {
		Title:     "Umfrage",
		Oops:      "Etwas ist schiefgelaufen",
		OopsMsg:   "Ihre Antwort konnte gerade nicht verarbeitet werden. Bitte versuchen Sie es gleich noch einmal.",
		CrossSite: "Dieses Formular wurde von einer anderen Website gesendet und daher nicht angenommen. Bitte öffnen Sie den Link aus Ihrer Nachricht erneut.",
		Saved:     "Danke, Ihre Bewertung wurde gespeichert. Möchten Sie uns mehr erzählen?",
		Close:     "Schließen",
		BadScore:  "Wählen Sie eine Zahl von %d bis %d.",
		TooLong:   "Bitte verwenden Sie höchstens %s Zeichen.",
		BadOption: "Wählen Sie eine der Optionen.",
		Required:  "Bitte beantworten Sie diese Frage.",
		NoSuchQ:   "Diese Umfrage hat keine Frage %q.",
	},
}

// wordsFor returns the phrases for lang ("nl-BE" counts as "nl").
func wordsFor(lang string) words {
	if w, ok := wordTexts[survey.UIText(lang).Lang]; ok {
		return w
	}
	return wordTexts["en"]
}

// thousands writes n ≥ 0 with the separator lang uses: 5,000 or 5.000.
func thousands(n int, lang string) string {
	sep := ","
	if survey.UIText(lang).Lang != "en" {
		sep = "."
	}
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return b.String()
}

// shippedMatcher picks among the languages Heed has page texts for.
var (
	shippedLangs   = survey.ShippedLanguages()
	shippedMatcher = func() language.Matcher {
		tags := make([]language.Tag, len(shippedLangs))
		for i, l := range shippedLangs {
			tags[i] = language.Make(l)
		}
		return language.NewMatcher(tags)
	}()
)

// browserLang is the language of a page that belongs to no survey (an
// unknown link): the browser's best choice among the shipped languages.
func browserLang(r *http.Request) string {
	prefs, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(prefs) == 0 {
		return shippedLangs[0]
	}
	_, i, conf := shippedMatcher.Match(prefs...)
	if conf == language.No {
		return shippedLangs[0]
	}
	return shippedLangs[i]
}
