package textan

import "sync"

// DefaultThemes is the taxonomy every organisation starts with: the
// subjects customer feedback speaks of most, for shops, services and
// online sellers alike. Admins rename, extend or replace it.
func DefaultThemes() []Theme {
	return []Theme{
		{Key: "value", Name: "Value and price", Terms: []string{
			"price*", "pricing", "cost*", "expensive", "cheap*", "overpriced", "value", "worth", "money",
			"afford*", "bargain*", "deal", "deals", "discount*", "offer*", "promotion*", "rip off", "ripoff",
		}},
		{Key: "staff", Name: "Staff and service", Terms: []string{
			"staff", "employee*", "personnel", "team", "crew", "salesperson", "salespeople", "sales assistant*",
			"shop assistant*", "assistant", "cashier*", "manager", "waiter*", "waitress*", "server", "servers",
			"service", "serve*", "friendl*", "unfriendl*", "rude*", "polite*", "helpful*", "unhelpful",
			"attentive", "courteous", "knowledgeable", "welcom*", "greet*", "advice", "advis*", "attitude",
			"customer service", "support agent*", "agent", "agents", "representative*",
		}},
		{Key: "waiting", Name: "Waiting and speed", Terms: []string{
			"wait*", "queue*", "line", "lines", "checkout*", "check out", "till", "tills", "slow*", "fast*",
			"quick*", "speed*", "delay*", "took ages", "took forever", "takes forever", "long time", "minutes",
			"hours", "on hold", "hold time", "prompt*", "efficien*", "busy",
		}},
		{Key: "quality", Name: "Product quality", Terms: []string{
			"quality", "product*", "item*", "material*", "fabric*", "build", "built", "made", "durab*",
			"sturdy", "flimsy", "broke*", "break*", "defect*", "fault*", "damag*", "cheaply made", "fell apart",
			"falls apart", "stopped working", "works", "working", "battery", "size*", "fit", "fits", "fitting",
			"design*", "reliab*", "lasted", "lasting", "long lasting", "junk",
		}},
		{Key: "delivery", Name: "Delivery", Terms: []string{
			"deliver*", "shipping", "shipped", "ship", "shipment*", "courier*", "parcel*", "package*",
			"packag*", "postage", "post", "dispatch*", "arriv*", "tracking", "track*", "never arrived",
			"never received", "late", "on time", "click and collect", "pick up", "pickup", "collection",
		}},
		{Key: "billing", Name: "Billing and payment", Terms: []string{
			"bill*", "invoice*", "charg*", "overcharg*", "payment*", "pay", "paid", "paying", "card",
			"receipt*", "fee", "fees", "subscription*", "account", "direct debit", "double charged",
			"charged twice", "hidden fees", "hidden charges",
		}},
		{Key: "digital", Name: "Website and app", Terms: []string{
			"website*", "site", "web", "online", "app", "apps", "application", "login", "log in", "password*",
			"checkout page", "page", "pages", "click*", "browser", "mobile", "download*", "update*", "bug*",
			"crash*", "glitch*", "error*", "interface", "navigat*", "search",
		}},
		{Key: "cleanliness", Name: "Cleanliness", Terms: []string{
			"clean*", "dirty", "filthy", "grubby", "messy", "mess", "tidy", "untidy", "smell*", "stink*",
			"toilet*", "restroom*", "bathroom*", "floor*", "hygien*", "dust*", "stain*",
		}},
		{Key: "store", Name: "Store and location", Terms: []string{
			"layout", "parking", "car park", "location", "located", "opening hours", "open late", "closed",
			"fitting room*", "changing room*", "shelves", "shelf", "display*", "atmosphere", "music", "noisy",
			"crowded", "busy store", "signage", "lighting", "access*", "wheelchair",
		}},
		{Key: "communication", Name: "Communication", Terms: []string{
			"communicat*", "inform*", "email*", "e-mail*", "call*", "phone*", "phoned", "contact*", "repl*",
			"respon*", "answer*", "told", "explain*", "update me", "updates", "kept me", "letter*", "message*",
			"no response", "no reply", "chat", "hung up", "callback", "call back",
		}},
		{Key: "returns", Name: "Returns and refunds", Terms: []string{
			"return*", "refund*", "exchang*", "money back", "send it back", "sent it back", "replacement*",
			"replace*", "warranty", "guarantee*", "credit note", "store credit", "cancel*",
		}},
		{Key: "availability", Name: "Stock and range", Terms: []string{
			"stock", "out of stock", "in stock", "sold out", "availab*", "unavailab*", "range", "selection",
			"choice", "variety", "colours", "colors", "options", "missing", "wrong item",
			"wrong size", "didn't have", "did not have",
		}},
	}
}

// defaultTaxonomy is DefaultThemes compiled, on first use.
var defaultTaxonomy = sync.OnceValue(func() *Taxonomy { return mustTaxonomy(DefaultThemes()) })

func mustTaxonomy(themes []Theme) *Taxonomy {
	t, err := NewTaxonomy(themes)
	if err != nil {
		panic("textan: default taxonomy: " + err.Error())
	}
	return t
}

// DefaultTaxonomy is the compiled default taxonomy.
func DefaultTaxonomy() *Taxonomy { return defaultTaxonomy() }
