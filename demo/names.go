package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/heedhq/heed"
)

// culture is one group of names customers and staff are drawn from. Most
// customers of a British chain prefer English; some, by their name, prefer
// the language of home, and have a phone number from there.
type culture struct {
	weight int     // relative share of people
	lang   string  // language some of them prefer; "" for English only
	share  float64 // of them, how many prefer lang
	first  []string
	last   []string
}

var cultures = []culture{
	{weight: 40, first: []string{
		"Oliver", "George", "Harry", "Jack", "Charlie", "Thomas", "James", "William", "Daniel", "Samuel",
		"Joseph", "Matthew", "Benjamin", "Lewis", "Callum", "Rhys", "Owen", "Ewan", "Fraser", "Liam",
		"Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Lucy", "Ella", "Chloe",
		"Hannah", "Charlotte", "Evie", "Megan", "Eilidh", "Niamh", "Siobhan", "Catherine", "Margaret", "Zoë",
	}, last: []string{
		"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
		"Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
		"Campbell", "MacDonald", "Stewart", "Murray", "Fraser", "O'Brien", "Murphy", "Kelly", "Byrne", "Hughes",
		"Lewis", "Morgan", "Price", "Griffiths", "Edwards", "Turner", "Cooper", "Harrison", "Ward", "Bennett",
	}},
	{weight: 9, first: []string{
		"Aarav", "Arjun", "Rohan", "Vikram", "Imran", "Hamza", "Ravi", "Sanjay", "Harpreet", "Gurpreet",
		"Priya", "Ananya", "Aisha", "Fatima", "Sana", "Zara", "Nisha", "Meera", "Kiran", "Anjali",
	}, last: []string{
		"Patel", "Shah", "Singh", "Kaur", "Khan", "Ahmed", "Hussain", "Sharma", "Gupta", "Mistry",
		"Chowdhury", "Rahman", "Begum", "Iqbal", "Malik", "Joshi", "Mehta", "Desai", "Nair", "Bhatt",
	}},
	{weight: 6, first: []string{
		"Jakub", "Piotr", "Tomasz", "Łukasz", "Marek", "Andrzej", "Kamil", "Mateusz", "Agnieszka", "Katarzyna",
		"Magdalena", "Joanna", "Zuzana", "Ioana", "Andrei", "Elena",
	}, last: []string{
		"Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Lewandowski", "Zieliński", "Kamińska", "Szymańska",
		"Popescu", "Ionescu", "Novák", "Horváth",
	}},
	{weight: 5, first: []string{
		"Chinedu", "Emeka", "Oluwaseun", "Kwame", "Kofi", "Tunde", "Adebayo", "Ngozi", "Chiamaka", "Amara",
		"Abena", "Folake", "Yetunde", "Ifeoma",
	}, last: []string{
		"Okafor", "Adeyemi", "Mensah", "Okonkwo", "Balogun", "Eze", "Boateng", "Asante", "Oyelaran", "Nwosu",
	}},
	{weight: 5, first: []string{
		"Wei", "Jun", "Hao", "Ming", "Li", "Mei", "Xiu", "Ying", "Jia", "Hui", "Kai", "Lan",
	}, last: []string{
		"Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Lam", "Cheung", "Huang", "Lin", "Ng", "Tan",
	}},
	{weight: 4, first: []string{
		"Omar", "Yusuf", "Karim", "Tariq", "Layla", "Noor", "Yasmin", "Leila", "Hassan", "Rania",
	}, last: []string{
		"Haddad", "Hassan", "Mansour", "Nasser", "Saleh", "Aziz", "Khalil", "Farah", "Hamdan", "Rashid",
	}},
	{weight: 8, lang: "nl", share: 0.65, first: []string{
		"Daan", "Sem", "Lucas", "Bram", "Thijs", "Jesse", "Ruben", "Sanne", "Fleur", "Lotte",
		"Anouk", "Femke", "Eva", "Maud", "Joris", "Willem",
	}, last: []string{
		"de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
		"Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peeters", "Maes",
	}},
	{weight: 8, lang: "de", share: 0.65, first: []string{
		"Lukas", "Felix", "Jonas", "Leon", "Maximilian", "Paul", "Tobias", "Anna", "Lena", "Marie",
		"Katharina", "Julia", "Sophie", "Jürgen", "Sabine", "Ursula",
	}, last: []string{
		"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
		"Hoffmann", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Huber", "Gruber",
	}},
	{weight: 8, lang: "fr", share: 0.65, first: []string{
		"Louis", "Hugo", "Gabriel", "Arthur", "Jules", "Théo", "Antoine", "Léa", "Chloé", "Manon",
		"Camille", "Inès", "Juliette", "Océane", "Benoît", "Hélène",
	}, last: []string{
		"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
		"Leroy", "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garnier", "Rousseau",
	}},
	{weight: 7, lang: "es", share: 0.65, first: []string{
		"Alejandro", "Pablo", "Javier", "Diego", "Sergio", "Álvaro", "Carlos", "Lucía", "María", "Paula",
		"Marta", "Elena", "Sofía", "Carmen", "José", "Nuria",
	}, last: []string{
		"García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
		"Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Álvarez",
	}},
}

// person is a generated name with the language they prefer.
type person struct {
	first, last, lang string
}

func (p person) name() string { return p.first + " " + p.last }

// pickPerson draws a name from the cultures by their weights.
func pickPerson(r *rand.Rand) person {
	total := 0
	for _, c := range cultures {
		total += c.weight
	}
	n := r.IntN(total)
	for _, c := range cultures {
		if n < c.weight {
			p := person{first: pick(r, c.first), last: pick(r, c.last), lang: "en"}
			if c.lang != "" && r.Float64() < c.share {
				p.lang = c.lang
			}
			return p
		}
		n -= c.weight
	}
	panic("unreachable")
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// slug turns a name into the part of an email address or key made of it:
// "Łukasz" → "lukasz", "van den Berg" → "vandenberg", "O'Brien" → "obrien".
// heed.Fold drops the accents, as search does, so every letter has its
// plain spelling ("Benoît" → "benoit").
func slug(s string, sep string) string {
	s = heed.Fold(s)
	var b strings.Builder
	space := false
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			if space && b.Len() > 0 {
				b.WriteString(sep)
			}
			space = false
			b.WriteRune(c)
		case c == ' ' || c == '-':
			space = true
		}
	}
	return b.String()
}
