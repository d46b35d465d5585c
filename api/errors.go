package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/danielgtaylor/huma/v2"
	"github.com/heedhq/heed"
)

// errorResponse is the body of every error answer of the API:
//
//	{"error": {"code": "invalid", "message": "...", "field": "email"}}
//
// It is also a huma.StatusError, so handlers and huma itself can return it.
type errorResponse struct {
	Body errorBody `json:"error"`

	status  int
	headers http.Header
}

// errorBody is what an error says: a stable code for programs, a message
// for people, the input field at fault and, for batches, every problem.
type errorBody struct {
	Code    string         `json:"code" doc:"Stable error code, e.g. invalid, not_found, forbidden"`
	Message string         `json:"message" doc:"What went wrong, safe to show"`
	Field   string         `json:"field,omitempty" doc:"The input field at fault, if any"`
	Details heed.RowErrors `json:"details,omitempty" doc:"For batches and files: every problem, by line (index+1 in a JSON array)"`
}

func (e *errorResponse) Error() string           { return e.Body.Code + ": " + e.Body.Message }
func (e *errorResponse) GetStatus() int          { return e.status }
func (e *errorResponse) GetHeaders() http.Header { return e.headers }

// codeStatuses is the one table from Heed's error codes to HTTP statuses;
// a code not in it (EInternal) is a 500.
var codeStatuses = []struct {
	code   heed.Code
	status int
}{
	{heed.EBadRequest, http.StatusBadRequest},
	{heed.EUnauthorized, http.StatusUnauthorized},
	{heed.EForbidden, http.StatusForbidden},
	{heed.ENotFound, http.StatusNotFound},
	{heed.EConflict, http.StatusConflict},
	{heed.ETooLarge, http.StatusRequestEntityTooLarge},
	{heed.EInvalid, http.StatusUnprocessableEntity},
	{heed.ERateLimited, http.StatusTooManyRequests},
	{heed.EUnavailable, http.StatusServiceUnavailable},
}

// statusFor is the HTTP status of an error code.
func statusFor(code heed.Code) int {
	for _, cs := range codeStatuses {
		if cs.code == code {
			return cs.status
		}
	}
	return http.StatusInternalServerError
}

// codeFor names the statuses that huma and the router produce on their
// own: the table above read backwards, plus the few HTTP-only cases.
func codeFor(status int) string {
	for _, cs := range codeStatuses {
		if cs.status == status {
			return string(cs.code)
		}
	}
	switch {
	case status == http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case status == http.StatusNotAcceptable:
		return "not_acceptable"
	case status == http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case status == http.StatusRequestTimeout:
		return "timeout"
	case status >= 400 && status < 500:
		return string(heed.EBadRequest)
	}
	return string(heed.EInternal)
}

// newError builds an error answer.
func newError(status int, code heed.Code, field, format string, args ...any) *errorResponse {
	msg := fmt.Sprintf(format, args...)
	return &errorResponse{status: status, Body: errorBody{Code: string(code), Message: msg, Field: field}}
}

// errorFor turns an error from a service into the API's answer. Internal
// and unavailable errors are logged with their cause and the request id;
// the client sees only a safe message.
func (s *server) errorFor(ctx context.Context, err error) *errorResponse {
	var ready *errorResponse
	if errors.As(err, &ready) {
		return ready
	}
	err = heed.CheckOutage(ctx, err, s.cfg.Ping)
	code := heed.ErrorCode(err)
	e := &errorResponse{status: statusFor(code), Body: errorBody{
		Code:    string(code),
		Message: heed.ErrorMessage(err),
		Field:   heed.ErrorField(err),
	}}
	var rows heed.RowErrors
	if errors.As(err, &rows) {
		e.Body.Details = rows
		if len(rows) > 0 {
			e.Body.Field = rows[0].Field
		}
	}
	switch code {
	case heed.EInternal:
		e.Body.Message = "internal error"
		s.log.ErrorContext(ctx, "api: internal error", "request_id", requestID(ctx), "err", err)
	case heed.EUnavailable:
		e.Body.Message = "database unavailable"
		s.log.WarnContext(ctx, "api: store unavailable", "request_id", requestID(ctx), "err", err)
	case heed.EUnauthorized:
		e.headers = http.Header{"Www-Authenticate": {`Bearer realm="heed"`}}
	}
	return e
}

// writeError answers with e outside huma (authentication, unknown routes).
func writeError(w http.ResponseWriter, e *errorResponse) {
	for k, vs := range e.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "Bearer <token>", not "Bearer \u003ctoken\u003e"
	_ = enc.Encode(e)        // a failed write means the client went away; nothing to tell it
}

// humaErrorsOnce guards the replacement of huma.NewError. Huma offers its
// error constructor only as a package variable, and the API must answer
// huma's own errors (validation, body too large, unparsable JSON) in the
// same shape as its other errors. Every API this process builds wants the
// same replacement, which holds no state, so it is set once; sync.Once
// keeps tests that build servers in parallel free of a data race.
var humaErrorsOnce sync.Once

func useHeedErrorsInHuma() {
	humaErrorsOnce.Do(func() { huma.NewError = fromHuma })
}

// fromHuma is huma.NewError in Heed's shape. Huma reports a failing input
// as an ErrorDetail whose Location is "body.email", "body[3].unit",
// "query.limit" or "path.key"; that becomes the field, and for items of a
// JSON array a detail line (index+1), like the batch errors of the
// services.
func fromHuma(status int, msg string, errs ...error) huma.StatusError {
	for _, err := range errs {
		var ready *errorResponse
		if errors.As(err, &ready) {
			return ready
		}
	}
	e := &errorResponse{status: status, Body: errorBody{Code: codeFor(status), Message: msg}}
	var problems []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		line, field, problem := describe(err)
		if e.Body.Field == "" {
			e.Body.Field = field
		}
		if line > 0 {
			e.Body.Details = append(e.Body.Details, heed.RowError{File: "request", Line: line, Field: field, Problem: problem})
		}
		problems = append(problems, withField(field, problem))
	}
	if status == http.StatusBadRequest && len(problems) > 0 {
		e.Body.Message = "request body is not valid JSON: " + problems[0]
	} else if len(problems) > 0 {
		e.Body.Message = problems[0]
		if len(problems) > 1 {
			e.Body.Message += " (and " + strconv.Itoa(len(problems)-1) + " more)"
		}
	}
	if status >= 500 {
		e.Body.Message = "internal error"
	}
	return e
}

var (
	locationRE = regexp.MustCompile(`^(?:body|query|path|header)(?:\[(\d+)\])?(?:\.(.+))?$`)
	requiredRE = regexp.MustCompile(`required property (\S+) to be present`)
)

// describe reads the line (for array items), field and problem out of one
// of huma's error details.
func describe(err error) (line int, field, problem string) {
	var d *huma.ErrorDetail
	if !errors.As(err, &d) {
		return 0, "", err.Error()
	}
	problem = d.Message
	if m := locationRE.FindStringSubmatch(d.Location); m != nil {
		if m[1] != "" {
			i, _ := strconv.Atoi(m[1])
			line = i + 1
		}
		field = m[2]
	}
	if m := requiredRE.FindStringSubmatch(problem); m != nil {
		// huma places a missing property at its parent object.
		field = strings.TrimPrefix(field+"."+m[1], ".")
		problem = "is required"
	}
	return line, field, problem
}

func withField(field, problem string) string {
	if field == "" {
		return problem
	}
	return field + ": " + problem
}
