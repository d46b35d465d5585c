package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// CreateSession stores a signed-in browser's session.
func (q queries) CreateSession(ctx context.Context, s heed.Session) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO sessions
		(token_hash, employee_id, created_at, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?)`,
		s.TokenHash, s.EmployeeID, micros(s.CreatedAt), micros(s.ExpiresAt), s.UserAgent, s.IP)
	return heed.Internal(err, "sqlite: create session")
}

// GetSession returns the session if it exists and expires after now.
func (q queries) GetSession(ctx context.Context, tokenHash string, now time.Time) (heed.Session, error) {
	var s heed.Session
	var created, expires int64
	err := q.r.QueryRowContext(ctx, `SELECT token_hash, employee_id, created_at, expires_at, user_agent, ip
		FROM sessions WHERE token_hash = ? AND expires_at > ?`, tokenHash, micros(now)).
		Scan(&s.TokenHash, &s.EmployeeID, &created, &expires, &s.UserAgent, &s.IP)
	if err != nil {
		return heed.Session{}, rowErr(err, heed.Errorf(heed.ENotFound, "no such session"), "sqlite: get session")
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return s, nil
}

// DeleteSession removes a session; deleting one that is gone is no error,
// so signing out twice is harmless.
func (q queries) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return heed.Internal(err, "sqlite: delete session")
}

// DeleteEmployeeSessions removes every session of one employee.
func (q queries) DeleteEmployeeSessions(ctx context.Context, employeeID int64) (int, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE employee_id = ?`, employeeID)
	if err != nil {
		return 0, heed.Internal(err, "sqlite: delete employee sessions")
	}
	n, err := res.RowsAffected()
	return int(n), heed.Internal(err, "sqlite: delete employee sessions")
}

// DeleteExpiredSessions removes sessions that expired at or before now.
func (q queries) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(now))
	if err != nil {
		return 0, heed.Internal(err, "sqlite: delete expired sessions")
	}
	n, err := res.RowsAffected()
	return int(n), heed.Internal(err, "sqlite: delete expired sessions")
}

// tokenSelect reads API tokens with the employee's email and the unit's
// key joined in.
const tokenSelect = `SELECT t.id, t.name, t.token_hash, t.prefix, t.role,
	COALESCE(e.email, ''), COALESCE(t.employee_id, 0), COALESCE(u.key, ''), COALESCE(t.unit_id, 0),
	t.created_at, t.last_used_at, t.revoked_at
	FROM api_tokens t
	LEFT JOIN employees e ON e.id = t.employee_id
	LEFT JOIN units u ON u.id = t.unit_id`

func scanToken(row sqlstore.Scanner) (heed.APIToken, error) {
	var t heed.APIToken
	var created int64
	var used, revoked sql.NullInt64
	err := row.Scan(&t.ID, &t.Name, &t.TokenHash, &t.Prefix, &t.Role,
		&t.Employee, &t.EmployeeID, &t.Unit, &t.UnitID, &created, &used, &revoked)
	if err != nil {
		return heed.APIToken{}, err
	}
	t.CreatedAt = fromMicros(created)
	t.LastUsedAt, t.RevokedAt = nullMicros(used), nullMicros(revoked)
	return t, nil
}

// CreateAPIToken stores a token. The employee and unit may be given by ID
// or, when the ID is 0, by email and key.
func (q queries) CreateAPIToken(ctx context.Context, t heed.APIToken) (heed.APIToken, error) {
	var out heed.APIToken
	err := q.withTx(ctx, func(q queries) error {
		if err := q.resolveTokenRefs(ctx, &t); err != nil {
			return err
		}
		res, err := q.w.ExecContext(ctx, `INSERT INTO api_tokens
			(name, token_hash, prefix, role, employee_id, unit_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.Name, t.TokenHash, t.Prefix, string(t.Role), sqlstore.NullID(t.EmployeeID), sqlstore.NullID(t.UnitID),
			micros(t.CreatedAt))
		if err != nil {
			return heed.Internal(err, "sqlite: create api token")
		}
		id, err := res.LastInsertId()
		if err != nil {
			return heed.Internal(err, "sqlite: create api token")
		}
		out, err = scanToken(q.r.QueryRowContext(ctx, tokenSelect+` WHERE t.id = ?`, id))
		return heed.Internal(err, "sqlite: read new api token")
	})
	return out, err
}

// resolveTokenRefs fills EmployeeID and UnitID from Employee and Unit
// when only the latter are given.
func (q queries) resolveTokenRefs(ctx context.Context, t *heed.APIToken) error {
	return sqlstore.ResolveTokenRefs(ctx, t,
		q.lookupID(`SELECT id FROM employees WHERE email = ?`, "sqlite: find token employee"),
		q.lookupID(`SELECT id FROM units WHERE key = ?`, "sqlite: find token unit"))
}

// GetAPIToken returns the token with this hash unless it is revoked.
func (q queries) GetAPIToken(ctx context.Context, tokenHash string) (heed.APIToken, error) {
	t, err := scanToken(q.r.QueryRowContext(ctx, tokenSelect+` WHERE t.token_hash = ? AND t.revoked_at IS NULL`, tokenHash))
	if err != nil {
		return heed.APIToken{}, rowErr(err, sqlstore.TokenNotFound(), "sqlite: get api token")
	}
	return t, nil
}

// ListAPITokens returns every token, revoked ones included, oldest first.
func (q queries) ListAPITokens(ctx context.Context) ([]heed.APIToken, error) {
	return queryList(ctx, q.r, tokenSelect+` ORDER BY t.id`, nil, nil, scanToken, "sqlite: list api tokens")
}

// RevokeAPIToken marks a token revoked; revoking it again keeps the first
// time. ENotFound if there is no such token.
func (q queries) RevokeAPIToken(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?`, micros(now), id)
	return rowTouched(res, err, sqlstore.TokenNotFound(), "sqlite: revoke api token")
}

// TouchAPIToken records that a token was just used.
func (q queries) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, micros(now), id)
	return rowTouched(res, err, sqlstore.TokenNotFound(), "sqlite: touch api token")
}

// RecordLoginFailure notes one failed sign-in under key.
func (q queries) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO login_failures (key, at) VALUES (?, ?)`, key, micros(at))
	return heed.Internal(err, "sqlite: record login failure")
}

// CountLoginFailures counts the failures under key at or after since.
func (q queries) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = ? AND at >= ?`, key, micros(since)).Scan(&n)
	return n, heed.Internal(err, "sqlite: count login failures")
}

// PurgeLoginFailures deletes failures recorded before a time.
func (q queries) PurgeLoginFailures(ctx context.Context, before time.Time) (int, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM login_failures WHERE at < ?`, micros(before))
	if err != nil {
		return 0, heed.Internal(err, "sqlite: purge login failures")
	}
	n, err := res.RowsAffected()
	return int(n), heed.Internal(err, "sqlite: purge login failures")
}

// ClearLoginFailures forgets every failure under key.
func (q queries) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := q.w.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
	return heed.Internal(err, "sqlite: clear login failures")
}
