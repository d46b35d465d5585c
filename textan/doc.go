// Package textan reads customer feedback: it detects the language of a
// text, splits it into sentences, scores the sentiment of each sentence
// and of the whole (−1…1, negative / neutral / positive), and finds the
// themes it speaks of with a sentiment per mention. It is pure Go, runs
// in-process and needs nothing at run time: its word lists are embedded
// — the sentiment lexicons, with their licences, in lexicon/; the
// language profiles, written for Heed, in lang/. docs/textan.md says how
// it was built and how well it reads.
package textan
