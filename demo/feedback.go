package demo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/feedback"
)

// The demo's feedback from every other source: six months of Google and
// Trustpilot reviews, support tickets, call transcripts and social posts.
// Each store has a story its reviews and posts keep telling — queues at
// the tills of a few, rude staff at one, dirt at another, friendly staff
// at several — and the online shop's tickets and calls are about
// deliveries and bills, more of them lately (a new courier). The texts
// are built from sentences that textan reads as the theme and mood they
// were written with (see says), so the themes page tells the stories.

const feedbackStream = 0x6865656420666462 // "heed fdb"

// How much feedback six months bring. Reviews are spread over the stores
// by size; a store with a trouble gets more (unhappy customers write).
const (
	feedbackDays      = 182
	googleReviews     = 1300
	trustpilotReviews = 300
	ticketCount       = 700
	callCount         = 350
	postCount         = 150
	// troubleShare is the share of a troubled store's complaints about
	// its trouble, praiseShare of its praise about what it is known for.
	troubleShare = 0.65
	praiseShare  = 0.55
	// onlineShare is the share of tickets and calls about online orders,
	// which customer care answers for; the rest are about a store.
	onlineShare = 0.6
	// foreignShare is how many customers who prefer another language
	// write to customer care in it (the rest write in English).
	foreignShare = 0.35
)

// story is what a store's feedback keeps coming back to: a trouble (a
// theme of says) over part of the history, what it is praised for, and
// how much worse than its survey score its reviewers rate it.
type story struct {
	trouble string
	from    float64 // the trouble starts at this fraction of the history
	to      float64 // and ends at this one (0: it lasts); once fixed, it is praised
	praise  []string
	mood    float64 // NPS points added to the store's score for its reviews
	loud    float64 // reviews and posts, as a multiple of a store of its size (0: 1)
}

// stories are the stores whose feedback has a story: the struggling
// stores of the surveys and a few more. Every other store is mixed.
var stories = map[string]story{
	// Queues at the tills: the surveys' struggling flagship; the one
	// turning round, until the queue-busting action (see actionSpecs),
	// then praised for quick tills; and a flagship whose reviewers are
	// angrier than its survey answers.
	"London Oxford Street": {trouble: "waiting", praise: []string{"availability"}, mood: -10, loud: 1.5},
	"Manchester Arndale":   {trouble: "waiting", to: 0.55, praise: []string{"staff"}, loud: 1.3},
	"Birmingham Bullring":  {trouble: "waiting", praise: []string{"availability"}, mood: -35, loud: 1.4},
	// Rude staff; dirty changing rooms and toilets; repairs nobody calls
	// back about, from the second month on (the surveys' declining store).
	"Sheffield Meadowhall":   {trouble: "staff", mood: -5, loud: 2},
	"Newcastle Eldon Square": {trouble: "cleanliness", praise: []string{"availability"}, mood: -20, loud: 1.5},
	"Bristol Cabot Circus":   {trouble: "communication", from: 0.35, praise: []string{"quality"}, loud: 1.3},
	// Friendly, knowledgeable staff.
	"Edinburgh Princes Street":    {praise: []string{"staff"}},
	"Cambridge Grand Arcade":      {praise: []string{"staff", "cleanliness"}},
	"Betws-y-Coed Outdoor Centre": {praise: []string{"staff"}},
	"Keswick Main Street":         {praise: []string{"staff", "quality"}},
	"York Coppergate":             {praise: []string{"staff"}, mood: 15},
}

// troubled reports whether the story's trouble is on at frac.
func (s story) troubled(frac float64) bool {
	return s.trouble != "" && frac >= s.from && (s.to == 0 || frac < s.to)
}

// fixed reports whether the story's trouble is over at frac.
func (s story) fixed(frac float64) bool { return s.trouble != "" && s.to > 0 && frac >= s.to }

// storyByUnit is stories by the stores' unit keys.
var storyByUnit = func() map[string]story {
	m := make(map[string]story, len(stories))
	for name, s := range stories {
		m["store-"+slug(name, "-")] = s
	}
	return m
}()

// What most stores' reviewers praise and complain of, by weight.
var (
	usualPraise     = []string{"staff", "availability", "quality", "value", "waiting", "store", "cleanliness"}
	usualPraiseW    = []int{8, 4, 4, 2, 2, 2, 1}
	usualComplaint  = []string{"value", "availability", "quality", "store", "returns", "waiting", "staff", "cleanliness"}
	usualComplaintW = []int{6, 6, 4, 4, 2, 3, 2, 1}
	// The online shop's tickets and calls, and Trustpilot's reviews.
	onlineThemes  = []string{"delivery", "billing", "returns", "digital", "quality"}
	onlineThemesW = []int{8, 5, 4, 3, 2}
	onlinePraise  = []string{"delivery", "delivery", "digital", "returns", "staff", "value"}
	storeTickets  = []string{"returns", "quality", "availability", "staff", "value"}
	storeTicketsW = []int{4, 4, 3, 1, 1}
)

// FeedbackReport is what LoadFeedback did; a second load reports zeros.
type FeedbackReport struct {
	Comments int // survey comments of the history read as items
	Items    int // reviews, tickets, calls and posts added
	ByKind   map[heed.FeedbackKind]int
}

// LoadFeedback reads the survey history's comments as feedback items —
// the history is written past the survey service's hook, and the
// drivers are measured on them — then records six months of reviews,
// tickets, calls and posts through fb, unless they are there already
// (their ids come from ds's seed alone, so the oldest one tells). They
// go in as one import does: checked, read, then written in one
// transaction, the rules firing only for the last two days' (fb's
// hook). LoadSurveys must have run. The same seed and day give the same
// items. progress, if not nil, hears the stage, the items done and
// their total.
func LoadFeedback(ctx context.Context, fb *feedback.Service, store heed.Store, ds Dataset, now time.Time,
	progress func(stage string, done, total int)) (FeedbackReport, error) {
	rep := FeedbackReport{ByKind: map[heed.FeedbackKind]int{}}
	n, err := readComments(ctx, fb, store, now, progress)
	if err != nil {
		return rep, fmt.Errorf("demo feedback: %w", err)
	}
	rep.Comments = n
	plan := planFeedback(ds, now)
	in := make([]feedback.Input, len(plan))
	for i, p := range plan {
		in[i] = p.in
	}
	_, err = store.GetFeedbackBySource(ctx, in[0].Source, in[0].ExternalID)
	switch {
	case err == nil:
		return rep, nil
	case !heed.IsNotFound(err):
		return rep, fmt.Errorf("demo feedback: %w", err)
	}
	recs, err := fb.RecordAll(ctx, heed.System(), "demo feedback", in, progress)
	if err != nil {
		return rep, fmt.Errorf("demo feedback: %w", err)
	}
	for i, r := range recs {
		if r.Created {
			rep.Items++
			rep.ByKind[in[i].Kind]++
		}
	}
	return rep, nil
}

// readComments makes the commented answers of the demo's surveys
// feedback items, as the survey service's hook does for a live answer,
// unless the first and the last are items already; it returns how many
// it read.
func readComments(ctx context.Context, fb *feedback.Service, store heed.Store, now time.Time,
	progress func(stage string, done, total int)) (int, error) {
	rs, err := commentedAnswers(ctx, store)
	if err != nil || len(rs) == 0 {
		return 0, err
	}
	done := true
	for _, r := range []heed.Response{rs[0], rs[len(rs)-1]} {
		_, err := store.GetFeedbackBySource(ctx, feedback.SurveySource, strconv.FormatInt(r.ID, 10))
		if heed.IsNotFound(err) {
			done = false
		} else if err != nil {
			return 0, err
		}
	}
	if done {
		return 0, nil
	}
	for start := 0; start < len(rs); start += batchSize {
		batch := rs[start:min(start+batchSize, len(rs))]
		err := store.InTx(ctx, func(q heed.Queries) error {
			for _, r := range batch {
				if err := fb.OnResponse(ctx, q, r, nil, now); err != nil {
					return fmt.Errorf("comment of response %d: %w", r.ID, err)
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
		if progress != nil {
			progress("read", start+len(batch), len(rs))
		}
	}
	return len(rs), nil
}

// commentedAnswers are the answers of the demo's surveys with a comment,
// oldest first.
func commentedAnswers(ctx context.Context, store heed.Store) ([]heed.Response, error) {
	var out []heed.Response
	for _, key := range []string{StoreVisitSurvey, CustomerCareSurvey} {
		sv, err := store.GetSurvey(ctx, key)
		if err != nil {
			return nil, fmt.Errorf("survey %s: %w (load the demo surveys first)", key, err)
		}
		f := heed.ResponseFilter{SurveyID: sv.ID, Limit: 1000}
		for {
			page, err := store.ListResponses(ctx, heed.Scope{All: true}, f)
			if err != nil {
				return nil, err
			}
			for _, r := range page {
				if strings.TrimSpace(r.Comment) != "" {
					out = append(out, r)
				}
			}
			if len(page) < f.Limit {
				break
			}
			f.BeforeID = page[len(page)-1].ID
		}
	}
	slices.SortFunc(out, func(a, b heed.Response) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// fbPlan is one planned item: the input, the customer of the demo who
// said it (their external id, whether the input names them by id or by
// email; "" for a stranger), and what it was written about — its theme
// ("" none in particular) and mood — for tests to read back.
type fbPlan struct {
	in       feedback.Input
	customer string
	theme    string
	happy    bool
	key      float64 // orders the items oldest first: days back, less the time of day
}

// fbStore is what the generator knows of a store.
type fbStore struct {
	key, name string
	char      Character
	story     story
	staff     []string // first names
	size      int      // 1, 2, 4: as customers are spread (see buildCustomers)
	weight    float64  // size, louder with a trouble: its share of reviews, posts and contacts
}

// fbGen generates the demo's feedback.
type fbGen struct {
	r       *rand.Rand
	now     time.Time
	today   time.Time
	stores  []fbStore
	weights []int // the stores' weights, for weighted
	byUnit  map[string][]heed.Customer
	online  []heed.Customer // customers who buy online
	agents  []string        // first names of the care team
	plans   []fbPlan
}

// planFeedback generates the items, oldest first, each with its id.
func planFeedback(ds Dataset, now time.Time) []fbPlan {
	g := newFeedbackGen(ds, now)
	g.googleReviews()
	g.trustpilotReviews()
	for range ticketCount {
		g.ticket(g.contact())
	}
	for range callCount {
		g.call(g.contact())
	}
	g.posts()
	return g.finish()
}

func newFeedbackGen(ds Dataset, now time.Time) *fbGen {
	now = now.UTC()
	g := &fbGen{r: rand.New(rand.NewPCG(uint64(ds.Seed), feedbackStream)), now: now,
		today: heed.DayTime(heed.Day(now)), byUnit: map[string][]heed.Customer{}}
	chars := map[string]Character{}
	for _, c := range ds.Characters {
		chars[c.Unit] = c
	}
	staff := map[string][]string{}
	for _, e := range ds.Employees {
		staff[e.Unit] = append(staff[e.Unit], strings.Fields(e.Name)[0])
	}
	g.agents = staff[careUnit]
	for _, rs := range regionSpecs {
		for _, ss := range rs.stores {
			st := fbStore{key: "store-" + slug(ss.name, "-"), name: ss.name, story: stories[ss.name]}
			st.char, st.staff = chars[st.key], staff[st.key]
			st.size = 1 << (ss.size - 1)
			st.weight = float64(st.size) * cmp.Or(st.story.loud, 1)
			g.stores, g.weights = append(g.stores, st), append(g.weights, int(10*st.weight))
		}
	}
	for _, c := range ds.Customers {
		g.byUnit[c.Unit] = append(g.byUnit[c.Unit], c)
		var attrs map[string]string
		if json.Unmarshal(c.Attributes, &attrs) == nil && (attrs["channel"] == "online" || attrs["channel"] == "both") {
			g.online = append(g.online, c)
		}
	}
	return g
}

// finish orders the items oldest first and numbers the tickets and calls
// in that order, as the systems they come from would have.
func (g *fbGen) finish() []fbPlan {
	slices.SortStableFunc(g.plans, func(a, b fbPlan) int { return cmp.Compare(b.key, a.key) })
	ticket, call := 48_210, 2_950_000
	for i := range g.plans {
		switch in := &g.plans[i].in; in.Source {
		case "zendesk":
			ticket += 1 + g.r.IntN(3) // tickets of other shops' customers, spam, merges
			in.ExternalID = strconv.Itoa(ticket)
		case "aircall":
			call += 1 + g.r.IntN(9)
			in.ExternalID = strconv.Itoa(call)
		}
	}
	return g.plans
}

// when draws a time of day in the history — with probability recent in
// its last 60 days, else anywhere — the fraction of the history it falls
// at, and its sort key.
func (g *fbGen) when(recent float64) (time.Time, float64, float64) {
	days := g.r.IntN(feedbackDays)
	if g.r.Float64() < recent {
		days = g.r.IntN(60)
	}
	tod := time.Duration(8*60+g.r.IntN(14*60)) * time.Minute // 8:00 to 22:00
	at := g.today.AddDate(0, 0, -days).Add(tod)
	if at.After(g.now) {
		at = at.AddDate(0, 0, -1) // later today has not happened yet
	}
	return at, 1 - float64(days)/feedbackDays, float64(days) - tod.Hours()/24
}

// mood draws how a customer of st felt at frac, from the store's NPS then
// and its story: reviewers are happier or angrier than survey answers.
func (g *fbGen) mood(st fbStore, frac float64) band {
	nps := st.char.NPS(frac) + st.story.mood
	happy := min(0.92, max(0.1, 0.5+nps/140))
	unhappy := min(0.6, max(0.04, 0.22-nps/300))
	switch x := g.r.Float64(); {
	case x < happy:
		return positive
	case x < happy+unhappy:
		return negative
	}
	return neutral
}

// stars is a review's rating in band b.
func (g *fbGen) stars(b band) int {
	switch b {
	case negative:
		return 1 + weighted(g.r, []int{55, 45})
	case neutral:
		return 2 + weighted(g.r, []int{15, 70, 15})
	}
	return 4 + weighted(g.r, []int{35, 65})
}

// complaint is what an unhappy customer of st speaks of at frac: mostly
// its trouble while it lasts, else what customers usually complain of.
func (g *fbGen) complaint(st fbStore, frac float64) string {
	if st.story.troubled(frac) && g.r.Float64() < troubleShare {
		return st.story.trouble
	}
	return usualComplaint[weighted(g.r, usualComplaintW)]
}

// praise is what a happy customer of st speaks of at frac: what the
// store is known for, a trouble it fixed, else the usual praise — never
// the trouble it has.
func (g *fbGen) praise(st fbStore, frac float64) string {
	t := usualPraise[weighted(g.r, usualPraiseW)]
	switch x := g.r.Float64(); {
	case st.story.fixed(frac) && x < 0.3:
		t = st.story.trouble
	case len(st.story.praise) > 0 && x < praiseShare:
		t = pick(g.r, st.story.praise)
	}
	if st.story.troubled(frac) && t == st.story.trouble {
		t = "availability"
	}
	return t
}

// say is a sentence about theme in the mood happy, its slots filled.
func (g *fbGen) say(theme string, happy bool, staff []string) string {
	i := 0
	if happy {
		i = 1
	}
	return g.fill(pick(g.r, says[theme][i]), staff)
}

// fill fills a sentence's slots; staff are the first names {staff} may be.
func (g *fbGen) fill(s string, staff []string) string {
	for _, sl := range slots {
		if strings.Contains(s, sl.name) {
			s = strings.ReplaceAll(s, sl.name, sl.value(g, staff))
		}
	}
	return s
}

// slots are what a sentence may leave open, in the order they are filled.
var slots = []struct {
	name  string
	value func(g *fbGen, staff []string) string
}{
	{"{product}", func(g *fbGen, _ []string) string { return pick(g.r, products) }},
	{"{staff}", func(g *fbGen, staff []string) string { return pick(g.r, staff) }},
	{"{min}", func(g *fbGen, _ []string) string { return strconv.Itoa(15 + g.r.IntN(31)) }},
	{"{few}", func(g *fbGen, _ []string) string { return strconv.Itoa(2 + g.r.IntN(5)) }},
	{"{days}", func(g *fbGen, _ []string) string { return strconv.Itoa(6 + g.r.IntN(16)) }},
	{"{weeks}", func(g *fbGen, _ []string) string { return strconv.Itoa(3 + g.r.IntN(6)) }},
	{"{pounds}", func(g *fbGen, _ []string) string { return strconv.Itoa(20 + g.r.IntN(140)) }},
	{"{order}", func(g *fbGen, _ []string) string { return fmt.Sprintf("SO-%07d", 4_800_000+g.r.IntN(90_000)) }},
}

// maybe is one of xs with probability p, else "".
func (g *fbGen) maybe(p float64, xs []string) string {
	if g.r.Float64() < p {
		return pick(g.r, xs)
	}
	return ""
}

// join joins the non-empty sentences with spaces.
func join(parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), " ")
}

// reviewText writes a review of st in band b at frac, and says what it
// is about: a mixed review is read for what it holds against the store.
func (g *fbGen) reviewText(st fbStore, b band, frac float64) (text, theme string) {
	switch b {
	case negative:
		theme = g.complaint(st, frac)
		second := ""
		if g.r.Float64() < 0.25 {
			second = g.say(usualComplaint[weighted(g.r, usualComplaintW)], false, st.staff)
		}
		return join(g.maybe(0.35, unhappyOpen), g.say(theme, false, st.staff), second, g.maybe(0.4, unhappyClose)), theme
	case positive:
		theme = g.praise(st, frac)
		second := ""
		if g.r.Float64() < 0.25 {
			second = g.say(g.praise(st, frac), true, st.staff)
		}
		return join(g.maybe(0.35, happyOpen), g.say(theme, true, st.staff), second, g.maybe(0.4, happyClose)), theme
	}
	good, theme := g.praise(st, frac), g.complaint(st, frac)
	if good == theme {
		good = "staff"
		if theme == good {
			good = "availability"
		}
	}
	return join(g.say(good, true, st.staff), g.say(theme, false, st.staff)), theme
}

// googleReviews reviews every store on Google Maps, as many as its weight.
func (g *fbGen) googleReviews() {
	base := 0
	for _, st := range g.stores {
		base += st.size
	}
	for _, st := range g.stores {
		for range int(googleReviews * st.weight / float64(base)) {
			at, frac, key := g.when(0)
			b := g.mood(st, frac)
			text, theme := g.reviewText(st, b, frac)
			stars := g.stars(b)
			g.plans = append(g.plans, fbPlan{key: key, theme: theme, happy: b == positive, in: feedback.Input{
				Kind: heed.FeedbackReview, Source: "google", ExternalID: "ChZDSUhNMG9nS0VJ" + g.token(16, alnum),
				Platform: "Google Maps", Rating: &stars, Text: text, At: &at, Author: g.reviewer(), Unit: st.key}})
		}
	}
}

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	hexits = "0123456789abcdef"
	digits = "0123456789"
)

// token is n random characters of set.
func (g *fbGen) token(n int, set string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.IntN(len(set))]
	}
	return string(b)
}

// reviewer is a stranger's name as review sites show it: "Megan T.".
func (g *fbGen) reviewer() string {
	p := pickPerson(g.r)
	return p.first + " " + string([]rune(p.last)[:1]) + "."
}

// shortName is a customer's name as review sites show it.
func shortName(c heed.Customer) string {
	f := strings.Fields(c.Name)
	return f[0] + " " + string([]rune(f[len(f)-1])[:1]) + "."
}

// trustpilotReviews review the online shop, which customer care answers
// for; half come from an invitation sent to a customer's address.
func (g *fbGen) trustpilotReviews() {
	online := fbStore{char: Character{From: 30, To: 30}, staff: g.agents}
	for range trustpilotReviews {
		at, frac, key := g.when(0.15)
		happy := g.mood(online, frac) != negative
		theme, b, open, end := onlineThemes[weighted(g.r, onlineThemesW)], negative, unhappyOpen, unhappyClose
		if happy {
			theme, b, open, end = pick(g.r, onlinePraise), positive, happyOpen, happyClose
		}
		text := join(g.maybe(0.3, open), g.say(theme, happy, g.agents), g.maybe(0.4, end))
		stars := g.stars(b)
		c := pick(g.r, g.online)
		p := fbPlan{key: key, theme: theme, happy: happy, in: feedback.Input{Kind: heed.FeedbackReview,
			Source: "trustpilot", ExternalID: g.token(24, hexits), Platform: "Trustpilot", Rating: &stars,
			Title: pick(g.r, titles[b]), Text: text, At: &at, Author: shortName(c), Unit: careUnit}}
		if g.r.IntN(2) == 0 {
			p.in.Email, p.customer = c.Email, c.ExternalID
		}
		g.plans = append(g.plans, p)
	}
}

// contact is a customer getting in touch with customer care: about an
// online order (care's own) or about a store (the customer's), when,
// about what, in what mood and language.
type contact struct {
	c         heed.Customer
	unit      string // careUnit for an online order; "" for the customer's store
	staff     []string
	theme     string
	happy     bool
	lang      string // "" for English
	at        time.Time
	frac, key float64
	followUps int // further messages about the same thing
}

// contact draws a contact. Deliveries went wrong more often lately (a
// new courier), so their contacts lean to the last two months.
func (g *fbGen) contact() contact {
	var ct contact
	ct.happy = g.r.Float64() < 0.15
	if g.r.Float64() < onlineShare {
		ct.c, ct.unit, ct.staff = pick(g.r, g.online), careUnit, g.agents
		ct.theme = onlineThemes[weighted(g.r, onlineThemesW)]
		if ct.happy {
			ct.theme = pick(g.r, []string{"delivery", "returns", "staff"})
		}
		recent := 0.0
		if ct.theme == "delivery" && !ct.happy {
			recent = 0.45
		}
		ct.at, ct.frac, ct.key = g.when(recent)
	} else {
		st := g.stores[weighted(g.r, g.weights)]
		ct.c, ct.staff = pick(g.r, g.byUnit[st.key]), st.staff
		ct.at, ct.frac, ct.key = g.when(0)
		ct.theme = storeTickets[weighted(g.r, storeTicketsW)]
		switch {
		case ct.happy:
			ct.theme = g.praise(st, ct.frac)
		case st.story.troubled(ct.frac) && g.r.Float64() < troubleShare:
			ct.theme = st.story.trouble
		}
	}
	// What is said in another language: a complaint, or a thank-you to the staff.
	if _, ok := foreignSays[ct.c.Language][ct.theme]; ok && ct.happy == (ct.theme == "staff") && g.r.Float64() < foreignShare {
		ct.lang = ct.c.Language
	}
	if !ct.happy && ct.unit == careUnit && ct.frac > 0.75 && g.r.Float64() < 0.2 {
		ct.followUps = 1 + g.r.IntN(3)
	}
	return ct
}

// who names the customer of a contact: by their id, or — a message from
// their own address, unknown to the helpdesk — by email.
func (g *fbGen) who(in *feedback.Input, ct contact) {
	if g.r.Float64() < 0.8 {
		in.Customer = ct.c.ExternalID
	} else {
		in.Email = ct.c.Email
	}
}

// ticket writes a contact as a helpdesk ticket, and its follow-ups.
func (g *fbGen) ticket(ct contact) {
	first := strings.Fields(ct.c.Name)[0]
	body := "Hi,\n\n" + join(g.say(ct.theme, ct.happy, ct.staff), g.detail(ct)) + "\n\n" + pick(g.r, signOffs[ct.happy]) + "\n" + first
	if ct.lang != "" {
		body = g.fill(foreignSays[ct.lang][ct.theme], ct.staff) + "\n\n" + first
	}
	title := g.fill(pick(g.r, subjects[ct.theme]), ct.staff)
	if ct.happy {
		title = pick(g.r, []string{"Thank you", "A big thank you", "Compliment"})
	}
	g.addTicket(ct, title, body)
	for range ct.followUps {
		gap := time.Duration(20+g.r.IntN(80)) * time.Hour
		if ct.at.Add(gap).After(g.now) {
			return
		}
		ct.at, ct.key, ct.theme, ct.lang = ct.at.Add(gap), ct.key-gap.Hours()/24, "communication", ""
		g.addTicket(ct, "Re: "+title, "Hi,\n\n"+pick(g.r, chasers)+"\n\n"+first)
	}
}

func (g *fbGen) addTicket(ct contact, title, body string) {
	at := ct.at
	in := feedback.Input{Kind: heed.FeedbackTicket, Source: "zendesk", Title: title, Text: body, At: &at,
		Unit: ct.unit, Language: ct.lang}
	g.who(&in, ct)
	g.plans = append(g.plans, fbPlan{key: ct.key, theme: ct.theme, happy: ct.happy, customer: ct.c.ExternalID, in: in})
}

// detail is what an unhappy customer adds: sometimes that nobody
// answered.
func (g *fbGen) detail(ct contact) string {
	if ct.happy || ct.theme == "communication" || g.r.Float64() >= 0.15 {
		return ""
	}
	return g.say("communication", false, ct.staff)
}

// call writes a contact as a call's transcript: the agent's turns and the
// customer's, of which only the customer's are read.
func (g *fbGen) call(ct contact) {
	agent := pick(g.r, g.agents)
	opening := "Hi, I'm ringing about my order " + g.fill("{order}.", nil)
	if ct.unit == "" {
		opening = "Hello, it's about my local Northwind shop."
	}
	sorry, fix := "I'm sorry to hear that, let me have a look.", pick(g.r, fixes[ct.theme])
	closing := pick(g.r, []string{"Thank you, that's great.", "Great, thanks for sorting it."})
	if ct.happy {
		sorry, fix = "That's lovely to hear, thank you for letting us know.", "I'll pass your thanks on to the team."
	} else if g.r.Float64() < 0.4 {
		closing = pick(g.r, []string{"OK. I'm still not happy about it.", "Fine. I hope it gets sorted this time."})
	}
	turns := []heed.Turn{
		{Speaker: "agent", Text: "Thank you for calling Northwind, you're speaking to " + agent + ". How can I help?"},
		{Speaker: "customer", Text: opening},
		{Speaker: "agent", Text: "Of course. Can I take your name and postcode?"},
		{Speaker: "customer", Text: ct.c.Name + ". " + g.say(ct.theme, ct.happy, ct.staff)},
		{Speaker: "agent", Text: sorry},
		{Speaker: "agent", Text: fix},
		{Speaker: "customer", Text: closing},
	}
	at := ct.at
	in := feedback.Input{Kind: heed.FeedbackTranscript, Source: "aircall", Turns: turns, At: &at, Unit: ct.unit}
	g.who(&in, ct)
	g.plans = append(g.plans, fbPlan{key: ct.key, theme: ct.theme, happy: ct.happy, customer: ct.c.ExternalID, in: in})
}

// posts are what strangers post about the stores on Instagram and X.
func (g *fbGen) posts() {
	for range postCount {
		st := g.stores[weighted(g.r, g.weights)]
		at, frac, key := g.when(0)
		b := g.mood(st, frac)
		theme, happy := g.praise(st, frac), b != negative
		if !happy {
			theme = g.complaint(st, frac)
		}
		text := join(g.fill(pick(g.r, postOpen), nil)+" "+st.name+":", g.say(theme, happy, st.staff), pick(g.r, postTags[happy]))
		in := feedback.Input{Kind: heed.FeedbackSocial, Source: "instagram", Platform: "Instagram",
			ExternalID: "3" + g.token(18, digits), Text: text, At: &at, Author: g.handle(), Unit: st.key}
		if g.r.IntN(2) == 0 {
			in.Source, in.Platform, in.ExternalID = "x", "X", "18"+g.token(17, digits)
		}
		g.plans = append(g.plans, fbPlan{key: key, theme: theme, happy: happy, in: in})
	}
}

// handle is a stranger's social media handle: "@megan_hikes92".
func (g *fbGen) handle() string {
	p := pickPerson(g.r)
	return "@" + slug(p.first, "") + pick(g.r, []string{"_hikes", "outdoors", "_walks", "climbs", "_", "."}) +
		strconv.Itoa(g.r.IntN(100))
}
