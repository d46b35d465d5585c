package heed

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"time"
)

// Code classifies an error for every face: the API maps it to an HTTP
// status, the CLI to a message and exit code, the web UI to a page.
type Code string

const (
	EBadRequest   Code = "bad_request"  // malformed input (not JSON, bad query parameter)
	EInvalid      Code = "invalid"      // well-formed input that breaks a rule (422)
	EUnauthorized Code = "unauthorized" // no or bad credentials
	EForbidden    Code = "forbidden"    // authenticated but not allowed
	ENotFound     Code = "not_found"    // no such thing, or not visible to the principal
	EConflict     Code = "conflict"     // the change clashes with the current state
	ETooLarge     Code = "too_large"    // request body or file over its limit
	ERateLimited  Code = "rate_limited" // too many attempts; try later
	EUnavailable  Code = "unavailable"  // a dependency (the store) cannot be reached
	EInternal     Code = "internal"     // a bug or an unexpected failure; details only in logs
)

// Error is Heed's application error. Message is safe to show to the
// client; Err (the cause) is for logs only.
type Error struct {
	Code    Code
	Message string
	Field   string // the input field at fault, if any
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Message
	if e.Field != "" {
		s += " (field " + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with a formatted client-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error that names the input field at fault.
func FieldErrorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected error; the client sees only "internal error".
// A failed or lost connection (to the database, typically) is no bug but
// an outage the client may retry: it becomes EUnavailable.
func Internal(err error, context string) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err // already classified; keep its code
	}
	if connectionFailed(err) {
		return &Error{Code: EUnavailable, Message: "database unavailable", Err: fmt.Errorf("%s: %w", context, err)}
	}
	return &Error{Code: EInternal, Message: "internal error", Err: fmt.Errorf("%s: %w", context, err)}
}

// pingTimeout bounds the ping of CheckOutage; it matches /healthz's.
const pingTimeout = 2 * time.Second

// CheckOutage tells a broken store from a bug: when err is internal and
// ping (a heed.Store's Ping) says the database does not answer — a closed
// pool, a server that stopped answering — it returns err as EUnavailable,
// so a client hears 503 and retries, as /healthz tells the load balancer.
// Every other error, and any error when ping is nil, comes back as it was.
func CheckOutage(ctx context.Context, err error, ping func(context.Context) error) error {
	if ping == nil || ErrorCode(err) != EInternal {
		return err
	}
	// Not the request's context: a client that hung up must not make the
	// store look down.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pingTimeout)
	defer cancel()
	if ping(ctx) == nil {
		return err
	}
	return &Error{Code: EUnavailable, Message: "database unavailable", Err: err}
}

// connectionFailed reports whether err is a connection that could not be
// made or was lost: a network error, or database/sql's word for a dead
// connection. Drivers wrap the network error, so errors.As finds it.
func connectionFailed(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone)
}

// ErrorCode returns the code of err, EInternal for unclassified errors and
// "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var rs RowErrors
	if errors.As(err, &rs) {
		return EInvalid
	}
	return EInternal
}

// ErrorMessage returns the client-safe message of err.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	var rs RowErrors
	if errors.As(err, &rs) {
		return rs.Error()
	}
	return "internal error"
}

// ErrorField returns the field named by err, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsNotFound reports whether err means "no such thing".
func IsNotFound(err error) bool { return ErrorCode(err) == ENotFound }

// RowError is one problem found in one row of an imported file or request
// body. It prints as FILE:LINE: field: problem.
type RowError struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"` // 1-based line in the file (CSV header is line 1), or index+1 in a JSON array
	Field   string `json:"field,omitempty"`
	Problem string `json:"problem"`
}

func (e RowError) String() string {
	s := fmt.Sprintf("%s:%d: ", e.File, e.Line)
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Problem
}

// RowErrors is every problem found in a batch; it is an error whose code is
// EInvalid, so a batch with any of them is rejected as a whole.
type RowErrors []RowError

func (rs RowErrors) Error() string {
	if len(rs) == 0 {
		return "no errors"
	}
	if len(rs) == 1 {
		return rs[0].String()
	}
	return fmt.Sprintf("%s (and %d more)", rs[0].String(), len(rs)-1)
}
