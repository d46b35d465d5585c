package demo

import (
	"math/rand/v2"
	"slices"
)

// What customers answer: scores drawn around a store's NPS, the reason for
// the visit, and comments in their language.

// npsScore draws a 0–10 score from a population whose NPS is nps, with
// about a quarter passives.
func npsScore(r *rand.Rand, nps float64) int {
	const passives = 0.28
	pp := min(0.95, max(0.02, (1-passives+nps/100)/2))
	pd := min(0.95, max(0.02, (1-passives-nps/100)/2))
	switch x := r.Float64(); {
	case x < pp:
		return 9 + weighted(r, []int{45, 55})
	case x < pp+pd:
		return weighted(r, []int{3, 1, 2, 3, 5, 8, 10}) // detractors mostly give 5 or 6
	}
	return 7 + weighted(r, []int{45, 55})
}

// csatScore draws a 1–5 score with a share sat of 4s and 5s.
func csatScore(r *rand.Rand, sat float64) int {
	if r.Float64() < sat {
		return 4 + weighted(r, []int{45, 55})
	}
	return 1 + weighted(r, []int{30, 30, 40})
}

func npsBand(score int) band {
	switch {
	case score >= 9:
		return positive
	case score >= 7:
		return neutral
	}
	return negative
}

func csatBand(score int) band {
	switch {
	case score >= 4:
		return positive
	case score == 3:
		return neutral
	}
	return negative
}

// visitReason draws why a customer came: mostly to buy when the
// invitation followed a purchase, else to look around or ask.
func visitReason(r *rand.Rand, bought bool) string {
	w := []int{0, 70, 10, 12, 8} // in visitReasons' order
	if !bought {
		w = []int{40, 0, 15, 20, 25}
	}
	return visitReasons[weighted(r, w)]
}

// weighted draws an index of w with probability proportional to its weight.
func weighted(r *rand.Rand, w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	k := r.IntN(total)
	for i, x := range w {
		if k < x {
			return i
		}
		k -= x
	}
	return len(w) - 1
}

// band is the part of the scale an answer falls in: NPS promoters,
// passives and detractors; CSAT 4–5, 3 and 1–2.
type band int

const (
	negative band = iota
	neutral
	positive
)

// comment is one reason a customer might give. Some are written the way
// people type (typos, emoji, "not bad at all", "never again") because the
// text analytics that reads them must cope with that.
type comment struct {
	band  band
	theme string // "" for nothing in particular
	text  string
}

// storeComments are the reasons given for a store-visit score, by
// language. English has the most; Dutch and German fewer, as there are
// fewer customers writing in them.
var storeComments = map[string][]comment{
	"en": {
		{positive, themeStaff, "Really friendly staff, the lady at the counter remembered me from last time."},
		{positive, themeStaff, "Staff were lovely and not pushy at all."},
		{positive, themeStaff, "Great service from Tom in the boot section, couldn't have asked for more 👍"},
		{positive, themeStaff, "everyone was so helpfull and friendly, will def be back"},
		{positive, themeAdvice, "Spent half an hour getting my walking boots fitted properly. Proper expert advice."},
		{positive, themeAdvice, "The guy who sold me my tent actually camps, and it shows. Knew every model inside out."},
		{positive, themeAdvice, "Honest advice on a waterproof jacket, he even talked me out of the more expensive one."},
		{positive, themeAdvice, "Knowledgeable staff who asked where I'd be walking before recommending anything."},
		{positive, themeRepair, "Repair desk fixed the zip on my rucksack in 20 minutes. Brilliant."},
		{positive, themeRepair, "Had my stove serviced, quick turnaround and they explained what was wrong."},
		{positive, themeRepair, "The repair desk is the reason I keep coming back. Knowledgeable and fair."},
		{positive, themeRange, "Great range of kit, found everything on the list for my son's Duke of Edinburgh expedition."},
		{positive, themeRange, "Good quality gear, lots of brands you don't see elsewhere."},
		{positive, themeRange, "Finally a shop that stocks women's boots in proper sizes!"},
		{positive, themeStore, "Lovely shop, well laid out and easy to find things."},
		{positive, themeStore, "Clean, tidy store, and the slope for testing boots is a great idea"},
		{positive, themeQuick, "In and out in 10 minutes, click and collect was ready when I arrived."},
		{positive, themeQuick, "No queue, quick and easy."},
		{positive, "", "Not bad at all, actually exceeded my expectations."},
		{positive, "", "Always a pleasure ☺️"},
		{positive, "", "Brilliant as always"},
		{positive, "", "10/10 would recommend"},
		{neutral, themeCheckout, "Good shop but only one till open on a Saturday, queue was out the door."},
		{neutral, themeCheckout, "Fine overall, the self-checkout kept freezing though."},
		{neutral, themeStock, "Nice staff but they didn't have my size in the boots I wanted, had to order online."},
		{neutral, themeStock, "Decent range but the sale stuff was picked over, hardly any sizes left."},
		{neutral, themeParking, "Store is fine, parking nearby is a nightmare and expensive."},
		{neutral, themePrices, "Good quality but a bit pricey compared to online."},
		{neutral, themePrices, "Ok but I can get the same jacket cheaper elsewhere"},
		{neutral, themeNoHelp, "Found what I needed eventually, but it took a while to find anyone to ask."},
		{neutral, themeReturns, "Return went through in the end but it took two visits."},
		{neutral, themeRepairSlow, "Repair was done well but took three weeks instead of one."},
		{neutral, themeStaff, "Staff friendly enough, nothing special."},
		{neutral, themeQuick, "Quick visit, got what I came for."},
		{neutral, "", "It was ok. Nothing more, nothing less."},
		{neutral, "", "average experience tbh"},
		{neutral, "", "Not great, not terrible."},
		{negative, themeCheckout, "Waited 25 minutes to pay. Two tills, one person working. Ridiculous."},
		{negative, themeCheckout, "queue at the checkout was massive and nobody seemed bothered 😡"},
		{negative, themeCheckout, "Card machine broken at the till, cash only?? Seriously?"},
		{negative, themeCheckout, "Twenty minutes in the queue for one pair of socks, ridiculous."},
		{negative, themeCheckout, "Only one till open and a queue halfway round the shop, awful."},
		{negative, themeCheckout, "Terrible wait at the tills again, sort it out."},
		{negative, themeStock, "Third time they didn't have my size. Not coming back for boots."},
		{negative, themeStock, "Website said in stock, store said no. Wasted a trip."},
		{negative, themeParking, "Couldn't park anywhere near, gave up and went home."},
		{negative, themeReturns, "Refused to take back a jacket with the tags still on because I'd lost the receipt. Never again."},
		{negative, themeReturns, "Return refused even though the sole came off after two walks. Not acceptable."},
		{negative, themePrices, "Prices have gone up a lot, the same tent is £60 cheaper online."},
		{negative, themeNoHelp, "Nobody came to help even though I was clearly looking for someone. Staff chatting at the till."},
		{negative, themeNoHelp, "Asked for help with sizing and was told to 'have a look online'. Not impressed."},
		{negative, themeRepairSlow, "My jacket has been at the repair desk for 6 weeks and no one can tell me where it is."},
		{negative, themeRepairSlow, "repair took forever and the stove STILL doesnt work"},
		{negative, themeStaff, "The staff member was quite rude when I asked about the warranty."},
		{negative, themeStaff, "Rude staff who acted like I was wasting their time."},
		{negative, themeStaff, "The assistant was really rude and couldn't be bothered."},
		{negative, "", dirtyRooms},
		{negative, "", dirtyShop},
		{neutral, "", dirtyToilets},
		{negative, "", "Not worth the trip."},
		{negative, "", "Disappointing. Used to be much better."},
		{negative, "", "dont bother"},
	},
	"nl": {
		{positive, themeStaff, "Heel vriendelijk personeel, ik werd meteen geholpen."},
		{positive, themeAdvice, "Uitstekend advies bij het passen van mijn wandelschoenen."},
		{positive, themeRepair, "De reparatiebalie heeft mijn rits binnen een half uur gemaakt. Top!"},
		{positive, themeRange, "Groot assortiment en goede kwaliteit."},
		{positive, "", "Altijd een fijne winkel 👍"},
		{positive, "", "Helemaal niet slecht, ik kom zeker terug."},
		{neutral, themeCheckout, "Prima winkel, maar lange rij bij de kassa."},
		{neutral, themeStock, "Leuke spullen maar mijn maat was er niet."},
		{neutral, themePrices, "Goede kwaliteit, wel aan de prijzige kant."},
		{neutral, "", "Het was oké."},
		{negative, themeCheckout, "Twintig minuten in de rij gestaan om te betalen. Belachelijk."},
		{negative, themeStock, "Weer niet op voorraad in mijn maat. Nooit meer."},
		{negative, themeReturns, "Retour geweigerd terwijl het kaartje er nog aan zat."},
		{negative, themeNoHelp, "Niemand die je helpt, personeel stond te kletsen."},
		{negative, themeParking, "Geen parkeerplek te vinden, ben maar weer naar huis gegaan."},
		{negative, "", "niet aan te raden"},
	},
	"de": {
		{positive, themeStaff, "Sehr freundliches Personal, ich wurde sofort beraten."},
		{positive, themeAdvice, "Kompetente Beratung beim Kauf meiner Wanderschuhe."},
		{positive, themeRepair, "Die Reparatur meines Rucksacks ging schnell und war günstig. Super!"},
		{positive, themeRange, "Tolle Auswahl und gute Qualität."},
		{positive, "", "Gar nicht schlecht, komme gerne wieder 😊"},
		{neutral, themeCheckout, "Guter Laden, aber lange Schlange an der Kasse."},
		{neutral, themeStock, "Schöne Sachen, aber meine Größe war nicht da."},
		{neutral, themePrices, "Qualität gut, aber ziemlich teuer."},
		{neutral, "", "War in Ordnung."},
		{negative, themeCheckout, "20 Minuten an der Kasse gewartet. Unmöglich."},
		{negative, themeStock, "Schon wieder nicht in meiner Größe vorrätig. Nie wieder."},
		{negative, themeReturns, "Umtausch abgelehnt, obwohl das Etikett noch dran war."},
		{negative, themeNoHelp, "Keiner da, der helfen wollte. Das Personal hat sich lieber unterhalten."},
		{negative, themePrices, "Viel zu teuer, online bekomme ich dasselbe Zelt deutlich billiger."},
		{negative, "", "leider enttäuschend"},
	},
}

// Comments about dirt: the cases have no notes for a theme of their own,
// so the bank files them under none, and dirty finds them for a store
// whose story is dirt.
const (
	themeDirty   = "dirty"
	dirtyRooms   = "The changing rooms were filthy and the whole shop looked a mess."
	dirtyShop    = "Dirty, untidy shop, not what I expect from Northwind."
	dirtyToilets = "Found what I wanted but the toilets were dirty."
)

var dirty = map[string]bool{dirtyRooms: true, dirtyShop: true, dirtyToilets: true}

// careComments are the reasons given for a customer-care answer.
var careComments = map[string][]comment{
	"en": {
		{positive, "helpful", "Sarah on the phone was really helpful and sorted my order out straight away."},
		{positive, "resolved", "Problem solved in one call, thank you!"},
		{positive, "refund", "Refund came through within two days, very efficient."},
		{positive, "", "Quick reply to my email and a friendly tone 🙂"},
		{positive, "", "Not what I expected from a call centre, genuinely helpful."},
		{neutral, "wait", "Got there in the end but waited 20 minutes on hold."},
		{neutral, "followup", "Helpful, but I had to chase them for an update."},
		{neutral, "", "Ok, the answer was a bit generic."},
		{negative, "wait", "45 minutes on hold and then cut off. Never again."},
		{negative, "transfer", "Passed between three departments and still no answer."},
		{negative, "refund", "Still waiting for my refund after three weeks."},
		{negative, "followup", "Promised a call back that never came."},
		{negative, "", "They didnt read my email properly, just a copy-paste reply."},
	},
	"nl": {
		{positive, "helpful", "Snel en vriendelijk geholpen, dank u!"},
		{positive, "refund", "Mijn terugbetaling was binnen twee dagen geregeld."},
		{neutral, "wait", "Uiteindelijk geholpen, maar lang in de wacht gestaan."},
		{negative, "transfer", "Drie keer doorverbonden en nog geen antwoord."},
		{negative, "refund", "Wacht nog steeds op mijn geld."},
	},
	"de": {
		{positive, "helpful", "Schnelle und freundliche Hilfe, danke!"},
		{positive, "refund", "Erstattung kam innerhalb von zwei Tagen."},
		{neutral, "wait", "Am Ende geholfen, aber sehr lange Wartezeit am Telefon."},
		{negative, "transfer", "Dreimal weiterverbunden und immer noch keine Lösung."},
		{negative, "followup", "Versprochener Rückruf kam nie."},
	},
}

// pickComment picks a comment of band b in bank, about theme when the
// bank has one (a small bank often has not), else about anything.
func pickComment(r *rand.Rand, bank []comment, b band, theme string) string {
	var about, all []string
	for _, c := range bank {
		if c.band != b {
			continue
		}
		all = append(all, c.text)
		if theme != "" && (c.theme == theme || theme == themeDirty && dirty[c.text]) {
			about = append(about, c.text)
		}
	}
	if len(about) > 0 {
		return pick(r, about)
	}
	return pick(r, all)
}

// storeTheme is what a comment about a store of character c talks about:
// mostly the store's strengths or weaknesses, sometimes the reason of the
// visit (a repair, a return), sometimes nothing in particular.
func storeTheme(r *rand.Rand, c Character, b band, reason string) string {
	if t := reasonTheme(reason, b); t != "" && r.IntN(2) == 0 {
		return t
	}
	x := r.Float64()
	switch {
	case b == positive && x < 0.7:
		return pick(r, praiseOf(c))
	case b == negative && x < 0.75:
		return pick(r, complaintsOf(c))
	case b == neutral && x < 0.4:
		return pick(r, complaintsOf(c))
	case b == neutral && x < 0.6:
		return pick(r, praiseOf(c))
	}
	return ""
}

// storyThemes name a store's trouble (see stories) as the comments'
// themes do.
var storyThemes = map[string]string{"waiting": themeCheckout, "staff": themeStaff, "cleanliness": themeDirty,
	"communication": themeRepairSlow}

// complaintsOf are the themes c's unhappy customers comment on: its
// character's, the checkout (queues are what costs a shop most, in the
// demo as in the trade), and its story's trouble twice more, so that the
// survey comments tell the story the reviews tell. (One pick from a
// longer list draws as much from r as from a shorter: the scores stay
// as they were.)
func complaintsOf(c Character) []string {
	out := append(slices.Clone(c.Complaints), themeCheckout)
	if s, ok := storyByUnit[c.Unit]; ok && storyThemes[s.trouble] != "" {
		out = append(out, storyThemes[s.trouble], storyThemes[s.trouble])
	}
	return out
}

// praiseOf are the themes c's happy customers comment on: its
// character's, and its staff twice more where the story praises them.
func praiseOf(c Character) []string {
	if s, ok := storyByUnit[c.Unit]; ok && slices.Contains(s.praise, "staff") {
		return append(slices.Clone(c.Praise), themeStaff, themeStaff)
	}
	return c.Praise
}

// reasonTheme is the theme a visit for reason brings to mind in band b.
func reasonTheme(reason string, b band) string {
	switch {
	case reason == "repair" && b == positive:
		return themeRepair
	case reason == "repair":
		return themeRepairSlow
	case reason == "return" && b != positive:
		return themeReturns
	case reason == "advice" && b == positive:
		return themeAdvice
	case reason == "advice":
		return themeNoHelp
	}
	return ""
}
