package metrics_test

import (
	"fmt"

	"github.com/heedhq/heed/metrics"
)

// An NPS is counted from the 0–10 answers and shown with its sample size and
// its 95% margin of error, or flagged when there are too few answers. Here 5
// promoters, 3 passives and 2 detractors: 50% − 20% = 30, variance .61,
// margin 1.96·sqrt(.61/10)·100 = 48.4.
func ExampleNPS() {
	var s metrics.NPS
	for _, score := range []int{10, 9, 9, 8, 7, 6, 10, 3, 9, 8} {
		if err := s.Add(score); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Printf("NPS %.0f ± %.0f (n = %d, insufficient: %v)\n",
		s.Score(), s.MarginOfError(), s.N, metrics.Insufficient(s.N, metrics.MinSample))

	big := metrics.NPS{N: 100, Promoters: 50, Passives: 30, Detractors: 20}
	fmt.Printf("NPS %.0f ± %.1f (n = %d)\n", big.Score(), big.MarginOfError(), big.N)
	// Output:
	// NPS 30 ± 48 (n = 10, insufficient: true)
	// NPS 30 ± 15.3 (n = 100)
}

// A planner asks how many answers a unit needs for a goal of ±15 points, and
// what margin the answers it can expect will give.
func ExampleSampleSizeForMargin() {
	need := metrics.SampleSizeForMargin(15, metrics.WorstCaseVariance, 400)
	fmt.Println("answers needed for ±15 in a store of 400:", need)
	fmt.Printf("margin from 60 answers: ±%.1f\n", metrics.MarginForSample(60, 400, metrics.WorstCaseVariance))
	// Output:
	// answers needed for ±15 in a store of 400: 120
	// margin from 60 answers: ±23.4
}
