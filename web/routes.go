package web

import "net/http"

// handler builds the route table and wraps it in the protections every
// browser request gets.
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/{file...}", s.assets)

	mux.Handle("GET /login", s.public(s.loginPage))
	mux.Handle("POST /login", s.public(s.loginSubmit))
	mux.Handle("POST /logout", s.public(s.logout))

	mux.Handle("GET /{$}", s.page(s.overview))
	mux.Handle("GET /units", s.page(s.unitList))
	mux.Handle("GET /units/{key}", s.page(s.unitDetail))
	mux.Handle("GET /employees", s.page(s.employeeList))
	mux.Handle("GET /customers", s.page(s.customerList))
	mux.Handle("GET /customers/{id}", s.page(s.customerDetail))
	mux.Handle("GET /account", s.page(s.accountPage))
	mux.Handle("POST /account/password", s.page(s.accountPassword))
	mux.Handle("GET /jobs", s.page(s.jobList))
	mux.Handle("POST /jobs/test", s.page(s.jobEnqueueTest))
	mux.Handle("POST /jobs/{id}/retry", s.page(s.jobRetry))

	// Everything else, any method: a friendly 404 (with the navigation
	// when the visitor is signed in).
	mux.Handle("/", s.optional(s.notFound))

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	return s.recoverPanics(securityHeaders(cop.Handler(mux)))
}
