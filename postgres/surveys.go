package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/internal/sqlstore"
)

// surveySelect reads surveys in scanSurvey's order.
const surveySelect = `SELECT id, key, kind, name, definition, created_at, updated_at FROM surveys`

func scanSurvey(sc sqlstore.Scanner) (heed.Survey, error) {
	var s heed.Survey
	var kind, def string
	if err := sc.Scan(&s.ID, &s.Key, &kind, &s.Name, &def, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return heed.Survey{}, err
	}
	s.Kind = heed.SurveyKind(kind)
	s.CreatedAt, s.UpdatedAt = utc(s.CreatedAt), utc(s.UpdatedAt)
	return s, sqlstore.DecodeSurvey(def, &s)
}

// CreateSurvey inserts s; EConflict on field "key" when the key is taken,
// also by a concurrent insert (ON CONFLICT waits for it to commit).
func (q queries) CreateSurvey(ctx context.Context, s heed.Survey, now time.Time) (heed.Survey, error) {
	if err := sqlstore.CheckSurvey(s); err != nil {
		return heed.Survey{}, err
	}
	def, err := sqlstore.SurveyDefinition(s)
	if err != nil {
		return heed.Survey{}, err
	}
	var id int64
	err = q.db.QueryRow(ctx, `INSERT INTO surveys (key, kind, name, definition, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (key) DO NOTHING RETURNING id`,
		s.Key, string(s.Kind), s.Name, def, utc(now)).Scan(&id)
	if err != nil {
		return heed.Survey{}, rowErr(err, sqlstore.SurveyKeyTaken("survey", s.Key), "postgres: create survey")
	}
	return q.GetSurveyByID(ctx, id)
}

// UpdateSurvey rewrites the survey with s.Key, keeping its kind.
func (q queries) UpdateSurvey(ctx context.Context, s heed.Survey, now time.Time) (heed.Survey, error) {
	var out heed.Survey
	err := q.withTx(ctx, func(q queries) error {
		var id int64
		var kind string
		err := q.db.QueryRow(ctx, `SELECT id, kind FROM surveys WHERE key = $1 FOR UPDATE`, s.Key).Scan(&id, &kind)
		if err != nil {
			return rowErr(err, sqlstore.SurveyNotFound(s.Key, 0), "postgres: find survey")
		}
		if s.Kind, err = sqlstore.UpdatedKind(s, heed.SurveyKind(kind)); err != nil {
			return err
		}
		def, err := sqlstore.SurveyDefinition(s)
		if err != nil {
			return err
		}
		_, err = q.db.Exec(ctx, `UPDATE surveys SET name = $1, definition = $2, updated_at = $3 WHERE id = $4`,
			s.Name, def, utc(now), id)
		if err != nil {
			return heed.Internal(err, "postgres: update survey")
		}
		out, err = q.GetSurveyByID(ctx, id)
		return err
	})
	return out, err
}

// GetSurvey returns the survey with key.
func (q queries) GetSurvey(ctx context.Context, key string) (heed.Survey, error) {
	s, err := scanSurvey(q.db.QueryRow(ctx, surveySelect+` WHERE key = $1`, key))
	return s, rowErr(err, sqlstore.SurveyNotFound(key, 0), "postgres: get survey")
}

// GetSurveyByID returns the survey with id.
func (q queries) GetSurveyByID(ctx context.Context, id int64) (heed.Survey, error) {
	s, err := scanSurvey(q.db.QueryRow(ctx, surveySelect+` WHERE id = $1`, id))
	return s, rowErr(err, sqlstore.SurveyNotFound("", id), "postgres: get survey")
}

// ListSurveys returns every survey by key.
func (q queries) ListSurveys(ctx context.Context) ([]heed.Survey, error) {
	return queryList(ctx, q.db, surveySelect+` ORDER BY key COLLATE "C"`, nil, []heed.Survey{}, scanSurvey,
		"postgres: list surveys")
}

// AddRewardCodes adds the codes not yet in the survey's pool in one
// statement, in the order given (which is the order they are given out).
func (q queries) AddRewardCodes(ctx context.Context, surveyID int64, codes []string, now time.Time) (int, error) {
	if err := sqlstore.CheckRewardCodes(codes); err != nil {
		return 0, err
	}
	if codes == nil {
		codes = []string{}
	}
	tag, err := q.db.Exec(ctx, `INSERT INTO reward_codes (survey_id, code, created_at)
		SELECT $1, x.code, $3 FROM unnest($2::text[]) WITH ORDINALITY AS x(code, n) ORDER BY x.n
		ON CONFLICT (survey_id, code) DO NOTHING`, surveyID, codes, utc(now))
	if missingReference(err) {
		return 0, sqlstore.SurveyNotFound("", surveyID)
	}
	if err != nil {
		return 0, heed.Internal(err, "postgres: add reward codes")
	}
	return int(tag.RowsAffected()), nil
}

// TakeRewardCode gives the response the code it has, or the oldest free
// one no concurrent taker is claiming (FOR UPDATE SKIP LOCKED): two
// takers never get the same code, nor wait for each other.
func (q queries) TakeRewardCode(ctx context.Context, surveyID, responseID int64, now time.Time) (string, error) {
	code, ok, err := q.givenRewardCode(ctx, responseID)
	if ok || err != nil {
		return code, err
	}
	err = q.db.QueryRow(ctx, `UPDATE reward_codes SET response_id = $2, given_at = $3
		WHERE id = (SELECT id FROM reward_codes WHERE survey_id = $1 AND response_id IS NULL
			ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
		RETURNING code`, surveyID, responseID, utc(now)).Scan(&code)
	if isUniqueViolation(err) {
		// The same response took a code at the same time. Outside a
		// transaction, that one is committed: give it. Inside, the
		// caller's transaction is aborted and must start again.
		if q.deltas != nil {
			return "", clashedTake(err)
		}
		code, ok, err = q.givenRewardCode(ctx, responseID)
		if err == nil && !ok {
			err = clashedTake(nil)
		}
		return code, err
	}
	return code, rowErr(err, sqlstore.NoRewardCodeLeft(surveyID), "postgres: take reward code")
}

// givenRewardCode returns the code the response was given, if any.
func (q queries) givenRewardCode(ctx context.Context, responseID int64) (string, bool, error) {
	var code string
	ok, err := found(q.db.QueryRow(ctx, `SELECT code FROM reward_codes WHERE response_id = $1`, responseID).Scan(&code),
		"postgres: find reward code")
	return code, ok, err
}

func clashedTake(err error) error {
	return &heed.Error{Code: heed.EConflict, Message: "a reward code was being given to this response at the same time; try again", Err: err}
}

// CountRewardCodes counts the survey's pool and the codes not given.
func (q queries) CountRewardCodes(ctx context.Context, surveyID int64) (total, left int, err error) {
	err = q.db.QueryRow(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(response_id) FROM reward_codes WHERE survey_id = $1`,
		surveyID).Scan(&total, &left)
	return total, left, heed.Internal(err, "postgres: count reward codes")
}

// programSelect reads programs with their survey's key, in scanProgram's
// order.
const programSelect = `SELECT p.id, p.key, p.name, s.key, p.active, p.definition, p.last_run_at, p.created_at, p.updated_at
	FROM programs p JOIN surveys s ON s.id = p.survey_id`

func scanProgram(sc sqlstore.Scanner) (heed.Program, error) {
	var p heed.Program
	var def string
	if err := sc.Scan(&p.ID, &p.Key, &p.Name, &p.Survey, &p.Active, &def, &p.LastRunAt, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return heed.Program{}, err
	}
	p.LastRunAt, p.CreatedAt, p.UpdatedAt = utcPtr(p.LastRunAt), utc(p.CreatedAt), utc(p.UpdatedAt)
	return p, sqlstore.DecodeProgram(def, &p)
}

// CreateProgram inserts p; EConflict on field "key" when the key is
// taken, ENotFound on field "survey" for an unknown survey.
func (q queries) CreateProgram(ctx context.Context, p heed.Program, now time.Time) (heed.Program, error) {
	var out heed.Program
	err := q.withTx(ctx, func(q queries) error {
		surveyID, def, err := q.programRow(ctx, p)
		if err != nil {
			return err
		}
		var id int64
		err = q.db.QueryRow(ctx, `INSERT INTO programs (key, name, survey_id, active, definition, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (key) DO NOTHING RETURNING id`,
			p.Key, p.Name, surveyID, p.Active, def, utc(now)).Scan(&id)
		if err != nil {
			return rowErr(err, sqlstore.SurveyKeyTaken("program", p.Key), "postgres: create program")
		}
		out, err = q.GetProgramByID(ctx, id)
		return err
	})
	return out, err
}

// UpdateProgram rewrites the program with p.Key.
func (q queries) UpdateProgram(ctx context.Context, p heed.Program, now time.Time) (heed.Program, error) {
	var out heed.Program
	err := q.withTx(ctx, func(q queries) error {
		surveyID, def, err := q.programRow(ctx, p)
		if err != nil {
			return err
		}
		var id int64
		err = q.db.QueryRow(ctx, `UPDATE programs SET name = $1, survey_id = $2, active = $3, definition = $4,
			updated_at = $5 WHERE key = $6 RETURNING id`, p.Name, surveyID, p.Active, def, utc(now), p.Key).Scan(&id)
		if err != nil {
			return rowErr(err, sqlstore.ProgramNotFound(p.Key, 0), "postgres: update program")
		}
		out, err = q.GetProgramByID(ctx, id)
		return err
	})
	return out, err
}

// programRow checks p and returns its survey's id and its definition.
func (q queries) programRow(ctx context.Context, p heed.Program) (int64, string, error) {
	if err := sqlstore.CheckProgram(p); err != nil {
		return 0, "", err
	}
	def, err := sqlstore.ProgramDefinition(p)
	if err != nil {
		return 0, "", err
	}
	var surveyID int64
	err = q.db.QueryRow(ctx, `SELECT id FROM surveys WHERE key = $1`, p.Survey).Scan(&surveyID)
	return surveyID, def, rowErr(err, sqlstore.ProgramSurveyNotFound(p.Survey), "postgres: find program survey")
}

// GetProgram returns the program with key.
func (q queries) GetProgram(ctx context.Context, key string) (heed.Program, error) {
	p, err := scanProgram(q.db.QueryRow(ctx, programSelect+` WHERE p.key = $1`, key))
	return p, rowErr(err, sqlstore.ProgramNotFound(key, 0), "postgres: get program")
}

// GetProgramByID returns the program with id.
func (q queries) GetProgramByID(ctx context.Context, id int64) (heed.Program, error) {
	p, err := scanProgram(q.db.QueryRow(ctx, programSelect+` WHERE p.id = $1`, id))
	return p, rowErr(err, sqlstore.ProgramNotFound("", id), "postgres: get program")
}

// ListPrograms returns every program by key.
func (q queries) ListPrograms(ctx context.Context) ([]heed.Program, error) {
	return queryList(ctx, q.db, programSelect+` ORDER BY p.key COLLATE "C"`, nil, []heed.Program{}, scanProgram,
		"postgres: list programs")
}

// sampleLock is the advisory lock every program run takes: runs of
// different programs read each other's invitations (the 30-day rule), so
// they take turns across processes, as SQLite's single writer makes them.
const sampleLock = 0x6865656473616d70 // "heedsamp"

// MarkProgramRun records that the program ran at now. Inside InTx it
// first takes the transaction-scoped sampling lock, so any second run, of
// this program or another, in any process, waits here until the first
// commits and then sees its invitations.
func (q queries) MarkProgramRun(ctx context.Context, id int64, now time.Time) error {
	if _, err := q.db.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(sampleLock)); err != nil {
		return heed.Internal(err, "postgres: lock program runs")
	}
	tag, err := q.db.Exec(ctx, `UPDATE programs SET last_run_at = $1 WHERE id = $2`, utc(now), id)
	return rowTouched(tag, err, sqlstore.ProgramNotFound("", id), "postgres: mark program run")
}

// SampleCandidates returns p's population with when each was last asked,
// in one statement (see sqlstore.SampleCandidatesSQL).
func (q queries) SampleCandidates(ctx context.Context, p heed.Program) ([]heed.SampleCandidate, error) {
	args := newArgs()
	stmt, err := sqlstore.SampleCandidatesSQL(ctx, p, args, q.unitPath, "c.attributes::text")
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.db, stmt, args.Values(), []heed.SampleCandidate{}, scanSampleCandidate,
		"postgres: sample candidates")
}

func scanSampleCandidate(sc sqlstore.Scanner) (heed.SampleCandidate, error) {
	var c heed.SampleCandidate
	var attrs string
	var byProgram, byAny *time.Time
	err := sc.Scan(&c.CustomerID, &c.ExternalID, &c.UnitID, &c.Email, &c.Language, &c.Segment, &attrs, &c.Consent,
		&c.OpenCase, &byProgram, &byAny)
	if err != nil {
		return heed.SampleCandidate{}, err
	}
	if byProgram != nil {
		c.LastAskedByProgram = utc(*byProgram)
	}
	if byAny != nil {
		c.LastAskedAny = utc(*byAny)
	}
	// jsonb keeps its own key order: return the canonical form SQLite has.
	canon, err := sqlstore.CanonicalAttributes(json.RawMessage(attrs))
	c.Attributes = json.RawMessage(canon)
	return c, err
}
