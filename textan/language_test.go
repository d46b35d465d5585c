package textan

import (
	"math"
	"strings"
	"testing"
)

// languageCases are customer texts written for this test, apart from the
// training sentences in lang/*.txt: reviews, survey comments and tickets,
// short and long, informal, without accents, with emoji, brands and the
// odd English word.
var languageCases = map[string][]string{
	"en": {
		"Great product, arrived two days early!",
		"the delivery guy was super rude and threw my package over the fence",
		"Love it 😍😍",
		"Worst customer service I have ever dealt with.",
		"Does exactly what it says on the box. Five stars from me.",
		"i ordered the blue one but they sent me a green one, not happy",
		"Refund took forever, had to email them like 6 times",
		"The app keeps crashing when I try to upload photos",
		"Very comfortable shoes, I wear them every day to work",
		"Not worth the money tbh",
		"Staff were friendly and the room was clean, would stay again 👍",
		"My Samsung TV stopped working after a month and nobody wants to help",
		"Please add an option to change the delivery address after ordering",
		"It was ok but the portions were tiny for the price",
		"Absolutely love this company, they always go above and beyond",
		"why is there no way to cancel my subscription online??",
		"Package was damaged and half the items were missing",
		"Quick response from support, problem solved in 10 minutes",
		"The battery dies way too fast, cant even last a full day",
		"Amazing food and great atmosphere, the waiter was lovely",
		"I've been waiting three weeks for my order and still nothing",
		"Easy to set up, works with Alexa and Google Home",
		"They charged my card twice and customer service hung up on me",
		"Good value for money, would recommend to friends",
		"The website is confusing and checkout is painfully slow",
		"Honestly the best pizza in town, fast delivery too",
		"Nice design but the material feels cheap",
		"had a terrible experience at the Madrid store, staff ignored us",
		"Thank you so much for the quick replacement!",
		"the size chart is wrong, everything runs small",
		"Five stars! The Nike shoes fit perfectly and look amazing",
		"Cant log in since the last update, please fix this asap",
		"The hotel room smelled weird and the wifi didnt work at all",
		"I would give zero stars if I could",
		"Fast shipping, well packaged, exactly as described",
		"The driver was on time and really helpful with the heavy boxes",
		"Sound quality is fine but the bluetooth connection keeps dropping",
		"my order was cancelled without any explanation 😡",
		"We had a lovely evening, the dessert was the highlight",
		"Product broke after two uses. Very disappointed.",
		"Not bad for the price, though the instructions could be clearer",
		"Support keeps sending me the same template answer, it's frustrating",
		"thanks!!",
		"good service",
		"great app, love the new update",
		"terrible",
		"my parcel never arrived",
		"works fine",
		"the Zara jacket I bought is lovely",
		"pls fix the login page its broken again",
		"meh. it's alright I guess",
		"shipping cost is a rip off",
		"the manager at the Lidl on main street was so helpful",
		"would not buy again",
		"customer service was brilliant, Sofia sorted everything out",
		"dont order from here, scam",
		"Too expensive for what you get",
		"the order arrived broken and support ignored me for a week",
		"cant find the cancel button anywhere",
		"awesome!!! 🔥🔥",
		"The coffee at Starbucks Berlin was cold",
		"very slow checkout and the promo code did not apply",
		"Received wrong item",
		"Staff were lovely",
		"not happy with the quality at all",
		"Everything was perfect thank you",
		"I bought it at El Corte Inglés and it broke",
		"The Casa Tarradellas pizzas are amazing",
		"Went to La Tagliatella last night, great pasta",
		"Ordered from Deutsche Bahn app and the ticket never came",
		"The Le Creuset pan is worth every penny",
		"the Pão de Açúcar store near my hotel was very clean",
		"Got a refund from Zalando in two days",
		"ths product is amazng, wud buy agian",
		"delivry was late n the box was crushed",
		"ok so the app is kinda buggy but support was nice about it",
		"honestly not impressed, expected better for the price",
		"srsly the worst checkout experience ever",
		"got my money back after a lot of back and forth",
		"why cant i change my password",
		"the new menu is way better",
		"item looks used, scratches all over",
		"Kept me on hold for 45 min",
	},
	"es": {
		"Muy buen producto, llegó antes de lo esperado",
		"el delivery fue horrible, tardaron 2 horas",
		"Me encanta!! 😍",
		"La atención al cliente es pésima, nadie contesta",
		"no me llego el pedido y nadie me da una solucion",
		"Excelente servicio, el personal muy amable",
		"la app de Samsung no funciona desde la actualizacion",
		"Pedí una pizza y llegó fría, no vuelvo a pedir",
		"Calidad precio muy bien, lo recomiendo",
		"El envío tardó mucho pero el producto es genial",
		"¿Por qué no puedo cambiar la dirección de entrega?",
		"Todo perfecto, gracias!",
		"Compré unas Nike en la tienda online y me mandaron otra talla",
		"que mal servicio, nunca mas compro aqui",
		"Las zapatillas son comodisimas, las uso todos los dias",
		"El hotel estaba limpio y el desayuno era muy bueno 👍",
		"me cobraron dos veces y todavia no me devuelven el dinero",
		"La batería dura poquísimo, estoy decepcionado",
		"El técnico fue puntual y resolvió el problema rápido",
		"Producto defectuoso, lo devolví al día siguiente",
		"Buen trato y buena comida, volveremos seguro",
		"No entiendo por qué cobran tanto por el envío",
		"El soporte de Microsoft me ayudó a recuperar mi cuenta",
		"pésima experiencia con el customer service, me colgaron",
		"Está bien para el precio, aunque el material es un poco frágil",
		"La página web es muy lenta y el pago falla",
		"mi pedido llegó roto y la caja estaba abierta",
		"Me gustó mucho la experiencia, el staff super atento",
		"Tardaron tres semanas en responder mi correo",
		"El producto es tal cual la descripción, muy contento",
		"No funciona el login con Google, arreglenlo porfa",
		"Un desastre, el repartidor dejó el paquete en la calle",
		"La camiseta es de muy buena calidad y el color es precioso",
		"Ojalá tuvieran más opciones vegetarianas en el menú",
		"llevo una hora esperando en la cola del call center",
		"Buenísimo, lo volvería a comprar sin dudarlo",
		"El Black Friday fue un fraude, los precios estaban inflados",
		"Gracias por la rapidez, todo llegó en perfecto estado",
		"La habitación era pequeña pero muy limpia y cómoda",
		"el chat de soporte nunca responde, muy mal",
		"Los auriculares Sony suenan increíble, recomendados 100%",
		"Quiero cancelar mi suscripción y no encuentro cómo hacerlo",
		"muy mal",
		"buen servicio",
		"llego tarde y frio",
		"todo bien, gracias",
		"el pedido nunca llego",
		"excelente atencion",
		"q mal servicio, no lo recomiendo",
		"el iPhone que compre vino con la pantalla rota",
		"la tienda de Zara en Madrid tiene muy buena atencion",
		"me encanto el producto 😍",
		"pesimo, no compren aqui",
		"el envio fue super rapido",
		"cuando van a arreglar el bug del login??",
		"no me dejan hacer el checkout con PayPal",
		"el customer support de Amazon me resolvió todo",
		"muy caro para lo que es",
		"estoy muy contenta con mi compra",
		"la comida estaba fria",
		"tardaron mucho en atender",
		"Buenisimo el servicio",
		"Me llegó incompleto",
		"Hola, quiero saber donde esta mi pedido",
		"No vuelvo nunca mas",
		"Compré en Best Buy y el servicio fue malo",
		"me llegó el Apple Watch pero sin cargador",
		"el Happy Meal vino sin juguete otra vez",
		"la Smart TV de LG se apaga sola cada rato",
		"uso Google Drive y no me sincroniza nada",
		"muy good la atención, thank you",
		"el fast food de la esquina es lo peor",
		"pedí el Big Mac y me trajeron otra cosa",
		"Great Value es la marca más barata pero la calidad es horrible",
		"el update nuevo es un desastre, todo va lento",
		"el staff del Hilton fue muy amable con nosotros",
		"Free shipping mis narices, me cobraron el envio",
		"nunca recibi el email de confirmacion",
		"el Wallmart de mi ciudad siempre tiene las cajas cerradas",
		"mi Kindle Paperwhite no carga desde ayer",
		"Gracias Booking, todo salió perfecto",
		"El Black Friday de esta tienda es una broma",
		"super happy con mi compra jaja",
		"todo ok pero el delivery tardo bastante",
		"el producto esta muy bn pero tardo mucho en llegar",
		"no sirve pa nada, q decepcion",
		"kiero devolver esto ya",
		"la verdad q muy buen servicio",
		"mi pedido no a llegado todavia",
		"porq me cobran envio si dice gratis",
		"buena calidad pero caro",
		"no me gusto para nada",
		"la muchacha de la caja fue muy grosera",
		"llevo 3 dias sin internet y nadie me ayuda",
	},
	"fr": {
		"Très bon produit, livraison rapide",
		"super service, merci!",
		"Je suis très déçu, le colis est arrivé abîmé",
		"Service client nul, personne ne répond",
		"j'adore 😍",
		"la livraison a pris trois semaines, c'est inadmissible",
		"Le produit correspond à la description, je recommande",
		"impossible de me connecter a l'application depuis la mise a jour",
		"Personnel très sympa et chambre propre 👍",
		"On m'a facturé deux fois et je n'ai toujours pas été remboursé",
		"Les chaussures Adidas taillent petit, prenez une taille au dessus",
		"Rien à redire, tout est parfait",
		"Pourquoi les frais de port sont aussi chers ?",
		"Le livreur a laissé le colis devant la porte sans sonner",
		"Qualité médiocre pour le prix, je ne recommande pas",
		"Merci pour votre aide, le problème est résolu",
		"la batterie tient pas la journée, decu",
		"Excellent restaurant, les plats sont délicieux et le service impeccable",
		"J'attends mon remboursement depuis un mois",
		"le site est lent et le paiement plante tout le temps",
		"Commande reçue en retard mais bien emballée",
		"Le casque Bose est top, le son est vraiment excellent",
		"je suis vraiment pas content du service apres vente",
		"L'hôtel était bien situé mais la chambre était bruyante",
		"Produit cassé à la réception, très mauvaise expérience",
		"Il manque une option pour changer l'adresse de livraison",
		"Trop bien, je vais en racheter un pour ma mère",
		"Le conseiller était aimable et compétent",
		"Mon compte a été bloqué sans raison, c'est une honte",
		"Les pizzas sont arrivées froides, le delivery est à revoir",
		"Bonne qualité, taille normale, je suis satisfaite",
		"le support de Apple m'a aidé en 5 minutes, bravo",
		"Je n'arrive pas à annuler mon abonnement",
		"Application pratique mais elle plante souvent sur mon Samsung",
		"Vendeur très réactif, je recommande vivement",
		"c'est nul, ça marche pas du tout",
		"Le petit déjeuner était copieux et le personnel adorable",
		"Pas de réponse à mes emails depuis deux semaines",
		"Les frites étaient molles et le burger trop cuit",
		"Rapport qualité prix imbattable 👌",
		"J'ai reçu le mauvais article et on me demande de payer le retour",
		"Bravo à toute l'équipe, vous êtes au top",
		"nul",
		"tres bien",
		"pas mal",
		"service au top, merci",
		"jamais reçu ma commande",
		"livraison rapide, produit conforme",
		"c est vraiment decevant",
		"Le support Free est injoignable",
		"j'ai commandé sur le site de Zalando et rien reçu",
		"trop cher pour ce que c'est",
		"le SAV ne répond jamais",
		"appli tres lente depuis la maj",
		"merci beaucoup pour votre aide 🙏",
		"la qualité est au rendez vous",
		"Je recommande à 100%",
		"personnel désagréable",
		"on a super bien mangé, le staff est adorable",
		"commande annulée sans raison",
		"je veux me désabonner",
		"Bof bof",
		"Colis perdu par la poste",
		"Très satisfaite de mon achat",
		"le livreur est parti sans laisser d'avis de passage",
		"Produit conforme a la description",
		"J'ai acheté un Google Pixel et il ne s'allume plus",
		"Le Happy Hour du bar est vraiment sympa",
		"le customer care ne sert à rien",
		"Commande passée sur Cdiscount, jamais reçue",
		"le Big Mac était froid et les frites aussi",
		"tres bon produit, je recommande",
		"ma Smart TV ne trouve plus le wifi depuis la mise a jour",
		"Best Western bien placé mais chambre trop petite",
		"leur hotline est toujours occupée",
		"franchement c'est du grand n'importe quoi",
		"Le Black Friday était une arnaque",
		"le produit est pas terrible, je m attendais a mieux",
		"livraison ok mais emballage abime",
		"jai jamais recu mon colis",
		"vraiment decu du sav, aucune reponse",
		"ca fait 2 semaines que j attends",
		"bon rapport qualite prix",
		"l appli bug tout le temps",
		"la serveuse etait tres gentille",
		"je recommande pas du tout",
		"trop long a recevoir",
	},
	"de": {
		"Sehr gutes Produkt, schnelle Lieferung",
		"Der Kundenservice ist eine Katastrophe",
		"Alles super, gerne wieder 👍",
		"Leider kam das Paket beschädigt an",
		"ich warte seit zwei wochen auf meine bestellung",
		"Die App stürzt ständig ab, bitte beheben",
		"Top Qualität zum fairen Preis",
		"Das Hotel war sauber und das Personal sehr freundlich",
		"Mir wurde doppelt abgebucht und keiner meldet sich",
		"Schuhe passen perfekt, bin sehr zufrieden",
		"die lieferung hat ewig gedauert, nie wieder",
		"Der Akku hält kaum einen Tag, enttäuschend",
		"Warum kann ich meine Adresse nicht ändern?",
		"Vielen Dank für die schnelle Hilfe!",
		"Das Essen war kalt und der Kellner unfreundlich",
		"Ware entspricht der Beschreibung, gerne wieder",
		"Mein Samsung Handy wird nach dem Update nicht mehr erkannt",
		"Bin total begeistert 😍",
		"Der Techniker war pünktlich und sehr kompetent",
		"Rückerstattung dauert viel zu lange",
		"Man erreicht niemanden telefonisch, sehr ärgerlich",
		"Das Produkt ist nach einer Woche kaputt gegangen",
		"ganz ok, aber für den Preis hätte ich mehr erwartet",
		"Die Größe fällt klein aus, lieber eine Nummer größer bestellen",
		"Schneller Versand und gut verpackt",
		"Der Fahrer hat das Paket einfach vor die Tür gestellt",
		"Ich kann mich seit gestern nicht mehr einloggen",
		"Die Pizza war lecker, aber der Lieferdienst war langsam",
		"Preis Leistung stimmt, klare Kaufempfehlung",
		"Kundenservice von Amazon hat mir sofort geholfen",
		"Zimmer war klein, aber sauber und ruhig",
		"Funktioniert einwandfrei, danke!",
		"Der Support antwortet immer nur mit Textbausteinen",
		"Ich bin sehr enttäuscht von der Qualität",
		"die webseite ist total unübersichtlich",
		"Wir kommen gerne wieder, das Frühstück war super lecker",
		"Meine Bestellung wurde ohne Grund storniert",
		"Das Material fühlt sich billig an",
		"Nettes Team, schneller Service, alles bestens",
		"Habe die falsche Farbe bekommen und muss jetzt alles zurückschicken",
		"Der Bluetooth Lautsprecher von JBL klingt richtig gut",
		"leider keine Antwort auf meine Mails bekommen",
		"super, danke!",
		"Alles gut",
		"sehr schlecht",
		"Lieferung kam zu spät",
		"nie wieder!!!",
		"bin zufrieden",
		"Tolles Produkt",
		"ware kam beschädigt an, keine antwort vom support",
		"das handy von Apple ist echt top",
		"zu teuer",
		"Kundenservice unfreundlich",
		"Hat alles super geklappt",
		"Ich habe meine Bestellung storniert",
		"Der Kaffee war kalt",
		"warum dauert das so lange",
		"Schnelle Lieferung, gerne wieder",
		"fur den preis ok",
		"Qualitat ist schlecht",
		"Die App ist kompliziert",
		"Mega Service und nette Mitarbeiter",
		"Rechnung falsch",
		"Kann ich empfehlen",
		"leider zu klein",
		"Paket nicht angekommen",
		"Was für ein Reinfall",
		"Ich habe bei Best Buy bestellt und nichts bekommen",
		"Mein Google Pixel geht nicht mehr an",
		"der Happy Hour Deal war ein Witz",
		"Die Smart Watch ist super, der Akku hält lange",
		"Der Black Friday Sale war eine Enttäuschung",
		"Customer Support war sehr hilfreich",
		"Das Update hat alles kaputt gemacht",
		"Shipping war schnell aber die Verpackung war kaputt",
		"bin mega happy mit dem Teil",
		"Lieferzeit viel zu lang, Ware ok",
		"Hab das Ding nach zwei Tagen zurückgeschickt",
		"Kein Netz seit drei Tagen, Hotline nicht erreichbar",
		"ware ist ok aber versand war langsam",
		"hab mein geld immer noch nicht zuruck",
		"einfach nur schlecht, finger weg",
		"die app funktioniert nicht richtig",
		"sehr netter kontakt, schnelle antwort",
		"warum ist das so teuer geworden",
		"musste 3 mal anrufen bis jemand geholfen hat",
		"qualitat lasst zu wunschen ubrig",
		"hat nicht gepasst, zu gross",
		"der kundendienst war ne katastrophe",
	},
	"nl": {
		"Heel tevreden, snelle levering",
		"De klantenservice is echt slecht, niemand neemt op",
		"Product kwam kapot aan",
		"ik wacht al twee weken op mijn pakket",
		"Super vriendelijk personeel en een schone kamer 👍",
		"De app werkt niet meer sinds de laatste update",
		"Goede kwaliteit voor een eerlijke prijs",
		"Het eten was koud en we moesten lang wachten",
		"Ik heb mijn geld nog steeds niet terug gekregen",
		"De bezorger heeft het pakket gewoon bij de buren gelaten",
		"Mooie schoenen, ze zitten heel lekker",
		"Waarom kan ik mijn bestelling niet annuleren?",
		"Bedankt voor de snelle hulp!",
		"Mijn Samsung telefoon wordt niet herkend, erg vervelend",
		"Prima service, ik kom zeker terug",
		"de batterij is binnen een dag leeg, jammer",
		"Alles netjes verpakt en op tijd geleverd",
		"heel goed",
		"niet tevreden",
		"snelle levering, top!",
		"pakket nooit ontvangen",
		"de app crasht steeds",
		"prima product",
		"erg slechte service",
		"ik ben heel blij met mijn aankoop",
		"waarom duurt het zo lang",
		"Bestelling te laat",
		"Ik heb een Google Pixel gekocht en hij doet het niet",
		"de Black Friday deals waren een grap",
		"de customer service was erg behulpzaam",
		"het duurde echt te lang",
		"ik heb nog steeds niks ontvangen",
		"de kwaliteit valt tegen",
		"niet goed, geld terug",
		"ze reageren niet op mijn mails",
	},
	"it": {
		"Ottimo prodotto, spedizione veloce",
		"Il servizio clienti è pessimo, nessuno risponde",
		"Il pacco è arrivato danneggiato",
		"sto aspettando il rimborso da un mese",
		"Personale gentilissimo e camera pulita 👍",
		"L'app non funziona dopo l'aggiornamento",
		"Buona qualità a un prezzo giusto",
		"La pizza era fredda e il corriere in ritardo",
		"Mi hanno addebitato due volte e nessuno mi aiuta",
		"Scarpe comode, le consiglio a tutti",
		"Perché non posso cambiare l'indirizzo di consegna?",
		"Grazie mille per l'aiuto!",
		"Il mio telefono Samsung non si accende più",
		"Esperienza bellissima, torneremo sicuramente",
		"la batteria dura pochissimo, che delusione",
		"Tutto perfetto, arrivato prima del previsto",
		"non ci sono parole, servizio da schifo",
		"ottimo",
		"pessimo servizio",
		"molto bene grazie",
		"non funziona",
		"consegna in ritardo",
		"prodotto arrivato rotto",
		"il personale era scortese",
		"perche non posso pagare con PayPal",
		"tutto ok grazie mille",
		"mai piu",
		"Ho comprato un iPhone su Amazon ed è arrivato rotto",
		"il Black Friday è stato una delusione",
		"il customer service non risponde mai",
		"il prodotto e arrivato in ritardo",
		"non mi e piaciuto per niente",
		"servizio clienti inesistente",
		"ho ricevuto un articolo sbagliato",
		"tutto bene, consegna veloce",
	},
	"pt": {
		"Ótimo produto, entrega rápida",
		"O atendimento ao cliente é péssimo, ninguém responde",
		"A encomenda chegou danificada",
		"estou esperando o reembolso faz um mês",
		"Funcionários muito simpáticos e quarto limpo 👍",
		"O aplicativo não funciona depois da atualização",
		"Boa qualidade por um preço justo",
		"A pizza chegou fria e o entregador atrasou",
		"Cobraram duas vezes e ninguém me ajuda",
		"Sapatos confortáveis, recomendo a todos",
		"Por que não consigo mudar o endereço de entrega?",
		"Muito obrigada pela ajuda!",
		"Meu celular Samsung não liga mais",
		"Adorei a experiência, vamos voltar com certeza",
		"a bateria dura muito pouco, que decepção",
		"nao recebi meu pedido ate agora, pessimo",
		"Tudo perfeito, chegou antes do prazo",
		"otimo",
		"muito bom",
		"nao funciona",
		"pessimo atendimento",
		"produto chegou quebrado",
		"adorei!!",
		"recomendo muito",
		"o app trava toda hora",
		"quero cancelar minha assinatura",
		"Comprei um Galaxy na Amazon e veio com defeito",
		"o Black Friday foi uma fraude",
		"o delivery demorou demais",
		"o produto e muito bom",
		"nao gostei da qualidade",
		"demorou muito pra chegar",
		"atendimento horrivel, nunca mais compro",
		"veio errado e ninguem resolve",
	},
}

// languageMinAccuracy is what each language must reach on its cases.
var languageMinAccuracy = map[string]float64{"en": 0.95, "es": 0.95, "fr": 0.95, "de": 0.95, "nl": 0.85, "it": 0.85, "pt": 0.85}

func TestLanguageAccuracy(t *testing.T) {
	for _, lang := range []string{"en", "es", "fr", "de", "nl", "it", "pt"} {
		cases := languageCases[lang]
		right := 0
		for _, text := range cases {
			got := Language(text)
			if got == lang {
				right++
				continue
			}
			t.Logf("%s: Language(%q) = %q, scores %v", lang, text, got, LanguageScores(text))
		}
		acc := float64(right) / float64(len(cases))
		t.Logf("%s: %d/%d right (%.1f%%)", lang, right, len(cases), 100*acc)
		if acc < languageMinAccuracy[lang] {
			t.Errorf("%s: accuracy %.1f%%, want at least %.0f%%", lang, 100*acc, 100*languageMinAccuracy[lang])
		}
	}
}

func TestLanguageUndetermined(t *testing.T) {
	for _, text := range []string{
		"OK", "👍👍", "5/5", "https://example.com", "", "Samsung Galaxy S21", "10/10", "www.heed.io",
		"iPhone 13 Pro", "Nike Air Max 90", "ok ok", "???", "asdfgh", "N/A",
		"Отличный сервис, спасибо", // a language we do not tell
		"Amazon Prime", "Deutsche Bahn", "Zara", "test", "很好，谢谢", "😡😡😡",
		"no funciona", "entrega rapida", // Spanish or Portuguese
		"genial!!", // Spanish or French
	} {
		if got := Language(text); got != "" {
			t.Errorf("Language(%q) = %q, want \"\"; scores %v", text, got, LanguageScores(text))
		}
	}
}

func TestLanguageScoresEmptyWithoutEvidence(t *testing.T) {
	for _, text := range []string{"", "👍👍", "5/5", "https://example.com/x?y=1", "OK", "!!!"} {
		if s := LanguageScores(text); len(s) != 0 {
			t.Errorf("LanguageScores(%q) = %v, want none", text, s)
		}
	}
}

func TestLanguageScoresSortedAndSumToOne(t *testing.T) {
	for lang, cases := range languageCases {
		for _, text := range cases {
			s := LanguageScores(text)
			if len(s) == 0 {
				t.Errorf("LanguageScores(%q) is empty", text)
				continue
			}
			if got := Language(text); got != "" && got != s[0].Lang {
				t.Errorf("%s: Language(%q) = %q but LanguageScores puts %q first", lang, text, got, s[0].Lang)
			}
			sum := 0.0
			for i, c := range s {
				if c.Score < 0 || c.Score > 1 {
					t.Errorf("LanguageScores(%q): %s scores %v, outside 0…1", text, c.Lang, c.Score)
				}
				if i > 0 && c.Score > s[i-1].Score {
					t.Errorf("LanguageScores(%q) not highest first: %v", text, s)
				}
				sum += c.Score
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("LanguageScores(%q) sums to %v: %v", text, sum, s)
			}
		}
	}
}

// TestLanguageCasesAreNotTrainingText keeps the accuracy honest: no test
// sentence of three words or more may be among the sentences the trigram
// profiles learn from.
func TestLanguageCasesAreNotTrainingText(t *testing.T) {
	for lang, cases := range languageCases {
		train, err := langFS.ReadFile("lang/" + lang + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		lower := strings.ToLower(string(train))
		for _, text := range cases {
			if len(strings.Fields(text)) >= 3 && strings.Contains(lower, strings.ToLower(text)) {
				t.Errorf("%s: test sentence %q is in the training text", lang, text)
			}
		}
	}
}

func TestLanguageDoesNotAllocate(t *testing.T) {
	text := languageCases["es"][1]
	if n := testing.AllocsPerRun(100, func() { Language(text) }); n != 0 {
		t.Errorf("Language allocates %v times per call", n)
	}
}

func BenchmarkLanguage(b *testing.B) {
	var texts []string
	for _, lang := range []string{"en", "es", "fr", "de", "nl", "it", "pt"} {
		texts = append(texts, languageCases[lang]...)
	}
	langModel() // built on first use: not on the clock
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		Language(texts[n%len(texts)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "texts/s")
}
