package heed

import "time"

// EventUpsert is what UpsertEvents did with one event.
type EventUpsert struct {
	ID      int64 `json:"id"`
	Created bool  `json:"created"`
	Changed bool  `json:"changed"` // created, or its customer, kind, time or amount changed
}

// ScoredAnswer is one survey answer of a customer as profiling reads it:
// the kind of its survey gives the scale of its score.
type ScoredAnswer struct {
	Kind  SurveyKind `json:"kind"`
	Score int        `json:"score"`
	At    time.Time  `json:"at"` // when it was first answered
}

// CustomerHistory is what one customer did and said: their events and
// their scored answers, each oldest first. The loyalty ladder and the
// churn risk are inferred from it.
type CustomerHistory struct {
	Customer Customer
	Events   []CustomerEvent
	Answers  []ScoredAnswer
}
