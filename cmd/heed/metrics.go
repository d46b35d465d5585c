package main

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/jobs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// httpMetrics counts and times the requests of one server.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// newRegistry returns a registry of this process's own (not the global
// one, so tests can run several servers in one process) with the Go and
// process collectors, the HTTP series and the job counts.
func newRegistry(js *jobs.Service, log *slog.Logger) (*prometheus.Registry, *httpMetrics) {
	reg := prometheus.NewRegistry()
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "heed_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "heed_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route pattern and status.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route", "status"}),
	}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requests, m.duration,
		&jobCounts{jobs: js, log: log},
	)
	return reg, m
}

// observe records one answered request.
func (m *httpMetrics) observe(method, route string, status int, d time.Duration) {
	s := strconv.Itoa(status)
	method = metricMethod(method)
	m.requests.WithLabelValues(method, route, s).Inc()
	m.duration.WithLabelValues(method, route, s).Observe(d.Seconds())
}

// metricMethod keeps the method label to the standard methods, so a
// client inventing methods cannot grow the number of series.
func metricMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "OTHER"
}

// metricsHandler serves the registry in the Prometheus text format.
func metricsHandler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
}

// jobCounts is a collector reading the number of jobs per state from the
// store at scrape time: the queue is shared by every process, so a
// counter kept in memory would be wrong.
type jobCounts struct {
	jobs *jobs.Service
	log  *slog.Logger
}

var jobCountsDesc = prometheus.NewDesc("heed_jobs", "Jobs in the store, by state (shared by every process).", []string{"state"}, nil)

func (c *jobCounts) Describe(ch chan<- *prometheus.Desc) { ch <- jobCountsDesc }

func (c *jobCounts) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.jobs.Counts(ctx, heed.System())
	if err != nil {
		c.log.Warn("metrics: count jobs", "error", err)
		return
	}
	for _, st := range []heed.JobState{heed.JobQueued, heed.JobRunning, heed.JobDone, heed.JobDead} {
		ch <- prometheus.MustNewConstMetric(jobCountsDesc, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
