package jobs

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the pool's Prometheus series. A nil *metrics records
// nothing, so a pool without a Registerer pays no cost.
type metrics struct {
	runs     *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	return &metrics{
		runs: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heed_jobs_finished_total",
			Help: "Job attempts by kind and outcome (done, retry, dead, released, lease_lost).",
		}, []string{"kind", "outcome"})),
		duration: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "heed_job_duration_seconds",
			Help:    "How long job handlers ran, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.005, 4, 10),
		}, []string{"kind"})),
		inFlight: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "heed_jobs_running",
			Help: "Job handlers running in this process.",
		})),
	}
}

// register registers c, or returns the collector already registered in
// its place, so several pools can share one registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	return c
}

func (m *metrics) started() {
	if m != nil {
		m.inFlight.Inc()
	}
}

func (m *metrics) ran(kind string, d time.Duration) {
	if m != nil {
		m.inFlight.Dec()
		m.duration.WithLabelValues(kind).Observe(d.Seconds())
	}
}

func (m *metrics) finished(kind, outcome string) {
	if m != nil {
		m.runs.WithLabelValues(kind, outcome).Inc()
	}
}
