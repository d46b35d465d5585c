package postgres

import (
	"context"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// CreateSession stores a signed-in browser's session.
func (q queries) CreateSession(ctx context.Context, s heed.Session) error {
	_, err := q.db.Exec(ctx, `INSERT INTO sessions
		(token_hash, employee_id, created_at, expires_at, user_agent, ip) VALUES ($1, $2, $3, $4, $5, $6)`,
		s.TokenHash, s.EmployeeID, utc(s.CreatedAt), utc(s.ExpiresAt), s.UserAgent, s.IP)
	return heed.Internal(err, "postgres: create session")
}

// GetSession returns the session if it exists and expires after now.
func (q queries) GetSession(ctx context.Context, tokenHash string, now time.Time) (heed.Session, error) {
	var s heed.Session
	err := q.db.QueryRow(ctx, `SELECT token_hash, employee_id, created_at, expires_at, user_agent, ip
		FROM sessions WHERE token_hash = $1 AND expires_at > $2`, tokenHash, utc(now)).
		Scan(&s.TokenHash, &s.EmployeeID, &s.CreatedAt, &s.ExpiresAt, &s.UserAgent, &s.IP)
	if err != nil {
		return heed.Session{}, rowErr(err, heed.Errorf(heed.ENotFound, "no such session"), "postgres: get session")
	}
	s.CreatedAt, s.ExpiresAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return s, nil
}

// DeleteSession removes a session; deleting one that is gone is no error,
// so signing out twice is harmless.
func (q queries) DeleteSession(ctx context.Context, tokenHash string) error {
	_, err := q.db.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return heed.Internal(err, "postgres: delete session")
}

// DeleteEmployeeSessions removes every session of one employee.
func (q queries) DeleteEmployeeSessions(ctx context.Context, employeeID int64) (int, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM sessions WHERE employee_id = $1`, employeeID)
	if err != nil {
		return 0, heed.Internal(err, "postgres: delete employee sessions")
	}
	return int(tag.RowsAffected()), nil
}

// DeleteExpiredSessions removes sessions that expired at or before now.
func (q queries) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, utc(now))
	if err != nil {
		return 0, heed.Internal(err, "postgres: delete expired sessions")
	}
	return int(tag.RowsAffected()), nil
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
	var role string
	err := row.Scan(&t.ID, &t.Name, &t.TokenHash, &t.Prefix, &role,
		&t.Employee, &t.EmployeeID, &t.Unit, &t.UnitID, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
	if err != nil {
		return heed.APIToken{}, err
	}
	t.Role = heed.Role(role)
	t.CreatedAt = t.CreatedAt.UTC()
	t.LastUsedAt, t.RevokedAt = utcPtr(t.LastUsedAt), utcPtr(t.RevokedAt)
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
		var id int64
		err := q.db.QueryRow(ctx, `INSERT INTO api_tokens
			(name, token_hash, prefix, role, employee_id, unit_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.Name, t.TokenHash, t.Prefix, string(t.Role), nullIfZero(t.EmployeeID), nullIfZero(t.UnitID), utc(t.CreatedAt)).
			Scan(&id)
		if err != nil {
			return heed.Internal(err, "postgres: create api token")
		}
		out, err = scanToken(q.db.QueryRow(ctx, tokenSelect+` WHERE t.id = $1`, id))
		return heed.Internal(err, "postgres: read new api token")
	})
	return out, err
}

// resolveTokenRefs fills EmployeeID and UnitID from Employee and Unit
// when only the latter are given.
func (q queries) resolveTokenRefs(ctx context.Context, t *heed.APIToken) error {
	return sqlstore.ResolveTokenRefs(ctx, t,
		q.lookupID(`SELECT id FROM employees WHERE email = $1`, "postgres: find token employee"),
		q.lookupID(`SELECT id FROM units WHERE key = $1`, "postgres: find token unit"))
}

// GetAPIToken returns the token with this hash unless it is revoked.
func (q queries) GetAPIToken(ctx context.Context, tokenHash string) (heed.APIToken, error) {
	t, err := scanToken(q.db.QueryRow(ctx, tokenSelect+` WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, tokenHash))
	if err != nil {
		return heed.APIToken{}, rowErr(err, sqlstore.TokenNotFound(), "postgres: get api token")
	}
	return t, nil
}

// ListAPITokens returns every token, revoked ones included, oldest first.
func (q queries) ListAPITokens(ctx context.Context) ([]heed.APIToken, error) {
	return queryList(ctx, q.db, tokenSelect+` ORDER BY t.id`, nil, nil, scanToken, "postgres: list api tokens")
}

// RevokeAPIToken marks a token revoked; revoking it again keeps the first
// time. ENotFound if there is no such token.
func (q queries) RevokeAPIToken(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.TokenNotFound(), "postgres: revoke api token")
}

// TouchAPIToken records that a token was just used.
func (q queries) TouchAPIToken(ctx context.Context, id int64, now time.Time) error {
	tag, err := q.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.TokenNotFound(), "postgres: touch api token")
}

// RecordLoginFailure notes one failed sign-in under key.
func (q queries) RecordLoginFailure(ctx context.Context, key string, at time.Time) error {
	_, err := q.db.Exec(ctx, `INSERT INTO login_failures (key, at) VALUES ($1, $2)`, key, utc(at))
	return heed.Internal(err, "postgres: record login failure")
}

// CountLoginFailures counts the failures under key at or after since.
func (q queries) CountLoginFailures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2`, key, utc(since)).Scan(&n)
	return n, heed.Internal(err, "postgres: count login failures")
}

// PurgeLoginFailures deletes failures recorded before a time.
func (q queries) PurgeLoginFailures(ctx context.Context, before time.Time) (int, error) {
	tag, err := q.db.Exec(ctx, `DELETE FROM login_failures WHERE at < $1`, utc(before))
	if err != nil {
		return 0, heed.Internal(err, "postgres: purge login failures")
	}
	return int(tag.RowsAffected()), nil
}

// ClearLoginFailures forgets every failure under key.
func (q queries) ClearLoginFailures(ctx context.Context, key string) error {
	_, err := q.db.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return heed.Internal(err, "postgres: clear login failures")
}
