package api

import "context"

// routeKey is the context key of a request's route holder.
type routeKey struct{}

// routeHolder receives the route pattern of the operation that served a
// request. It is a pointer in the context so that the API, which routes
// on copies of the request, can hand the pattern back to the caller's
// middleware.
type routeHolder struct{ pattern string }

// WithRouteRecorder returns ctx with a place where the API notes the route
// pattern (e.g. "GET /api/v1/customers/{external_id}") of the operation
// that serves a request made with ctx. The API's own mux matches on a copy
// of the request, so the caller's request only ever carries the outer
// mux's pattern ("/api/v1/"); middleware that labels metrics by route
// reads the real one back with RouteFrom once the handler returned.
func WithRouteRecorder(ctx context.Context) context.Context {
	return context.WithValue(ctx, routeKey{}, &routeHolder{})
}

// RouteFrom returns the pattern the API noted in ctx's recorder: "" when
// ctx has no recorder or the request reached no route of the API (its
// token was refused, say).
func RouteFrom(ctx context.Context) string {
	if h, ok := ctx.Value(routeKey{}).(*routeHolder); ok {
		return h.pattern
	}
	return ""
}

// recordRoute notes pattern in ctx's recorder, if any.
func recordRoute(ctx context.Context, pattern string) {
	if h, ok := ctx.Value(routeKey{}).(*routeHolder); ok && pattern != "" {
		h.pattern = pattern
	}
}
