package demo

// The sentence banks the demo's reviews, tickets, calls and posts are
// written from (see feedback.go): openings and closings, titles and
// subjects, what agents and customers say, by theme and mood.

var (
	products = []string{"walking boots", "waterproof jacket", "tent", "rucksack", "sleeping bag", "fleece",
		"trail shoes", "head torch", "camping stove", "pair of walking poles", "down jacket", "pair of gaiters"}
	unhappyOpen  = []string{"Really disappointed.", "Not impressed.", "What a shame.", "Used to love this place.", "Honestly shocking."}
	unhappyClose = []string{"Won't be back.", "Never again.", "Sort it out, Northwind.", "Avoid.", "Really let down."}
	happyOpen    = []string{"Brilliant shop!", "Love this place.", "What a great visit.", "Fantastic as always.", "Can't fault it."}
	happyClose   = []string{"Highly recommend.", "Will definitely be back.", "Thank you!", "Five stars.", "Top marks."}
)

var titles = map[band][]string{
	negative: {"Very disappointed", "Avoid", "Poor", "Not happy", "Terrible experience"},
	positive: {"Great service", "Excellent", "Really pleased", "Spot on", "Will order again"},
}

var (
	signOffs = map[bool][]string{
		false: {"Please sort this out.", "I'd like this put right as soon as possible.", "Please get back to me.", "Regards,"},
		true:  {"Thanks again,", "Many thanks,", "Best wishes,"},
	}
	chasers = []string{"This is my third email about this and still nothing, shocking.",
		"Nobody has replied to my emails, very poor.", "Still no reply to my emails, this is shocking."}
	postOpen = []string{"At Northwind", "Northwind", "@northwind", "Today at Northwind"}
	postTags = map[bool][]string{
		false: {"🙄", "😡 #fail", "#northwind", "#notimpressed"},
		true:  {"🙌", "⛰️ #hiking", "💚 #northwind", "#outdoors"},
	}
	subjects = map[string][]string{
		"delivery":      {"Where is my order {order}?", "Parcel not arrived", "Order {order} missing", "Delivery problem"},
		"billing":       {"Charged twice", "Wrong amount on my invoice", "Payment query about {order}"},
		"digital":       {"Can't log in", "Website problem", "App not working"},
		"returns":       {"Refund for {order}", "Return not processed", "Exchange request"},
		"quality":       {"Faulty {product}", "My {product} is broken"},
		"staff":         {"Complaint about a member of staff"},
		"waiting":       {"Queues in your shop", "Complaint about the tills"},
		"cleanliness":   {"State of your shop"},
		"availability":  {"Stock question", "Nothing in my size"},
		"communication": {"Repair — no news", "Still waiting for an answer"},
		"value":         {"Price match request"},
		"store":         {"Parking"},
	}
	// fixes are what the agent does about a call's theme (not read).
	fixes = map[string][]string{
		"delivery":      {"I've chased the courier and I'll send a replacement out today.", "I can see it's stuck at the depot; I'll get it re-sent."},
		"billing":       {"I've refunded the duplicate payment; it'll show in three to five days.", "I've corrected the invoice and emailed you a copy."},
		"digital":       {"I've reset your account; try signing in again now.", "I'll place the order for you on this call."},
		"returns":       {"I've pushed the refund through today.", "I'll arrange the exchange and a free collection."},
		"quality":       {"I'll send a replacement and a returns label for the faulty one.", "That's covered by the warranty; I'll book it in."},
		"staff":         {"I'll pass that on to the store manager today.", "I've logged it with the store; the manager will call you."},
		"waiting":       {"I'll pass that on to the store manager.", "I've logged it with the store."},
		"cleanliness":   {"I'll let the store manager know today."},
		"availability":  {"I can order it in for you to collect on Saturday.", "I've reserved a pair at the next store."},
		"communication": {"I'll chase the workshop and call you back by five.", "I've found it; it's ready and I'll have it couriered to you."},
		"value":         {"I'll apply our price promise to that."},
		"store":         {"I'll pass that on to the store."},
	}
	// foreignSays are what customers who prefer another language write to
	// care in it: a complaint, or (staff) a thank-you.
	foreignSays = map[string]map[string]string{
		"de": {"delivery": "Hallo,\n\nmeine Bestellung {order} ist nach {days} Tagen immer noch nicht angekommen. Bitte um Rückmeldung.",
			"billing": "Hallo,\n\nmir wurde die Bestellung {order} zweimal abgebucht. Bitte erstatten Sie den doppelten Betrag.",
			"returns": "Hallo,\n\nich warte seit {days} Tagen auf meine Erstattung für die Rücksendung.",
			"staff":   "Hallo,\n\nvielen Dank an {staff} für die freundliche und kompetente Beratung!"},
		"nl": {"delivery": "Hallo,\n\nmijn bestelling {order} is na {days} dagen nog steeds niet bezorgd. Graag een reactie.",
			"billing": "Hallo,\n\ner is twee keer voor bestelling {order} afgeschreven. Graag het dubbele bedrag terug.",
			"returns": "Hallo,\n\nik wacht al {days} dagen op mijn terugbetaling voor de retour.",
			"staff":   "Hallo,\n\nhartelijk dank aan {staff} voor het vriendelijke advies!"},
		"es": {"delivery": "Hola:\n\nmi pedido {order} todavía no ha llegado después de {days} días. Espero su respuesta.",
			"billing": "Hola:\n\nme han cobrado dos veces el pedido {order}. Por favor, devuélvanme el importe duplicado.",
			"returns": "Hola:\n\nllevo {days} días esperando el reembolso de mi devolución.",
			"staff":   "Hola:\n\n¡muchas gracias a {staff} por la atención tan amable!"},
		"fr": {"delivery": "Bonjour,\n\nma commande {order} n'est toujours pas arrivée après {days} jours. Merci de me répondre.",
			"billing": "Bonjour,\n\non m'a débité deux fois la commande {order}. Merci de rembourser le montant en double.",
			"returns": "Bonjour,\n\nj'attends depuis {days} jours le remboursement de mon retour.",
			"staff":   "Bonjour,\n\nun grand merci à {staff} pour ses conseils très aimables !"},
	}
)

// says are the sentences the demo's reviews, tickets, calls and posts
// are built from, by the textan theme each speaks of and its mood: [0]
// unhappy, [1] happy. Each names its theme in words the default taxonomy
// knows and keeps its mood words in the same clause, and avoids other
// themes' words, so that reading it finds what it was written with.
// Slots in braces are filled per item (see fill).
var says = map[string][2][]string{
	"waiting": {{
		"Queued for {min} minutes just to buy a {product}, which is ridiculous.",
		"The queue at the tills was a joke again today.",
		"Only one till open and a ridiculous queue halfway round the shop.",
		"Waited {min} minutes at the checkout which is just not good enough.",
		"Painfully slow checkout with {min} minutes stuck behind three people.",
		"Terrible wait at the tills every single time I come in.",
		"The checkout queue was massive and nobody cared, awful.",
		"Stood in line for {min} minutes with a crying toddler, awful.",
		"Gave up on the queue after {min} minutes and left without my {product}, so annoying.",
	}, {
		"Super quick at the tills even on a Saturday.",
		"Fast and efficient checkout, no waiting around.",
		"They opened another till the moment a queue formed, brilliant.",
		"In and out in {few} minutes, lovely and quick.",
		"No fuss at the checkout, quick and easy.",
	}},
	"staff": {{
		"The staff were rude and acted like I was a nuisance.",
		"Really rude assistant who rolled her eyes when I asked a question.",
		"Unfriendly staff who could not care less.",
		"Staff chatting among themselves and ignoring customers, very poor service.",
		"The manager was dismissive and rude when I raised a problem.",
		"Unhelpful and rude staff, I won't go back.",
		"Nobody greeted me and the staff were grumpy and unhelpful.",
	}, {
		"{staff} was really friendly and helpful.",
		"Lovely, knowledgeable staff who clearly love the outdoors.",
		"{staff} gave me brilliant advice on which {product} to get.",
		"The team here are always welcoming and genuinely helpful.",
		"Fantastic service from {staff}, nothing was too much bother.",
		"Friendly staff who took the time to help me choose the right {product}.",
		"{staff} was so patient and helpful with my son.",
		"Excellent customer service as always.",
	}},
	"cleanliness": {{
		"The changing rooms were filthy.",
		"Dirty, untidy shop with clothes all over the place.",
		"The toilets were disgusting and clearly hadn't been cleaned for days.",
		"Messy shop with rubbish by the door, not nice at all.",
		"It smelled damp and the carpets were stained, horrible.",
		"The whole place is grubby and neglected, really poor.",
	}, {
		"Spotless, clean and tidy shop.",
		"Always clean and well kept, a pleasure to shop in.",
		"Clean, bright and tidy, lovely.",
	}},
	"quality": {{
		"My {product} fell apart after two walks.",
		"The zip on my {product} broke within a month, poor quality.",
		"Poor quality boots, the sole came off after a few weeks.",
		"Really disappointing quality these days.",
		"The {product} was faulty out of the box, really disappointing.",
	}, {
		"Great quality {product} that has lasted years.",
		"The {product} is really well made and sturdy.",
		"Excellent quality kit that does the job.",
		"Still using the {product} I bought here years ago, great quality.",
	}},
	"value": {{
		"Overpriced compared with other shops.",
		"Far too expensive for what you get.",
		"Prices have gone up a lot and it is not good value any more.",
		"A rip off, the same {product} is much less elsewhere.",
	}, {
		"Good value for money.",
		"Great deals in the sale.",
		"Fair prices and they matched a better deal I found.",
	}},
	"availability": {{
		"They didn't have the {product} I wanted in stock, again.",
		"Nothing in stock and a poor selection, disappointing.",
		"Out of stock on every {product} I wanted, very frustrating.",
		"Poor choice compared with what they used to carry.",
	}, {
		"Great range of kit for every budget.",
		"Brilliant selection and I found exactly the {product} I wanted.",
		"Huge choice and everything in stock.",
	}},
	"store": {{
		"Parking is a nightmare round here.",
		"The layout is confusing and the signage is useless.",
		"Far too crowded and noisy on a Saturday.",
	}, {
		"Lovely atmosphere and a great layout.",
		"Easy parking right outside, great.",
		"Well laid out with great displays.",
	}},
	"returns": {{
		"They refused to refund a {product} that was still in its bag.",
		"Wouldn't exchange my {product} even though it was unworn, disappointing.",
		"Sent back my {product} {days} days ago and I am still owed a refund, terrible.",
		"The returns process is a nightmare.",
	}, {
		"Exchanged my {product} without any fuss.",
		"Refunded on the spot with a smile, brilliant.",
		"Easy returns and a quick refund, thank you.",
	}},
	"delivery": {{
		"My order {order} still hasn't arrived after {days} days.",
		"The courier says the parcel was delivered but nothing came, useless.",
		"Tracking has been stuck for a week and nobody knows where my parcel is, hopeless.",
		"The parcel arrived late and the box was soaked.",
		"Second time a delivery of mine has been lost, really poor.",
		"I chose next-day delivery and it took five days, terrible.",
	}, {
		"Delivered the next day, great.",
		"Really good delivery, the courier was lovely.",
		"Parcel arrived a day early, brilliant.",
	}},
	"billing": {{
		"I've been charged twice for order {order}.",
		"You took £{pounds} from my card twice for the same order, not acceptable.",
		"The invoice for our club's order is wrong again.",
		"I was charged £{pounds} for an order I never placed, really worrying.",
	}, {
		"The bill was sorted straight away, thank you.",
		"Paying on account is easy, good.",
	}},
	"digital": {{
		"The website keeps crashing before I can finish my order, useless.",
		"I can't log in to the app, it just shows an error.",
		"Your app wiped my basket twice, really frustrating.",
		"The website is so confusing and the search is awful.",
	}, {
		"The new app is really easy to use.",
		"The website is easy to navigate, great.",
	}},
	"communication": {{
		"Nobody has replied to my emails, very poor.",
		"I was promised a call back that never came, not good enough.",
		"Left my {product} for repair {weeks} weeks ago and nobody has called me back, appalling.",
		"No reply to three emails about my repair, shocking.",
		"I keep getting told different things by different people, hopeless.",
	}, {
		"Kept informed every step of the way, great.",
		"They called me back when promised and explained everything, very good.",
	}},
}
