package sqlite

import (
	"context"
	"database/sql"
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
	var created, updated int64
	if err := sc.Scan(&s.ID, &s.Key, &kind, &s.Name, &def, &created, &updated); err != nil {
		return heed.Survey{}, err
	}
	s.Kind = heed.SurveyKind(kind)
	s.CreatedAt, s.UpdatedAt = fromMicros(created), fromMicros(updated)
	return s, sqlstore.DecodeSurvey(def, &s)
}

// CreateSurvey inserts s; EConflict on field "key" when the key is taken.
func (q queries) CreateSurvey(ctx context.Context, s heed.Survey, now time.Time) (heed.Survey, error) {
	if err := sqlstore.CheckSurvey(s); err != nil {
		return heed.Survey{}, err
	}
	def, err := sqlstore.SurveyDefinition(s)
	if err != nil {
		return heed.Survey{}, err
	}
	var id int64
	err = q.w.QueryRowContext(ctx, `INSERT INTO surveys (key, kind, name, definition, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
		s.Key, string(s.Kind), s.Name, def, micros(now), micros(now)).Scan(&id)
	if err != nil {
		return heed.Survey{}, rowErr(err, sqlstore.SurveyKeyTaken("survey", s.Key), "sqlite: create survey")
	}
	return q.getSurveyOn(ctx, q.w, id)
}

// UpdateSurvey rewrites the survey with s.Key, keeping its kind.
func (q queries) UpdateSurvey(ctx context.Context, s heed.Survey, now time.Time) (heed.Survey, error) {
	var out heed.Survey
	err := q.withTx(ctx, func(q queries) error {
		var id int64
		var kind string
		err := q.w.QueryRowContext(ctx, `SELECT id, kind FROM surveys WHERE key = ?`, s.Key).Scan(&id, &kind)
		if err != nil {
			return rowErr(err, sqlstore.SurveyNotFound(s.Key, 0), "sqlite: find survey")
		}
		if s.Kind, err = sqlstore.UpdatedKind(s, heed.SurveyKind(kind)); err != nil {
			return err
		}
		def, err := sqlstore.SurveyDefinition(s)
		if err != nil {
			return err
		}
		_, err = q.w.ExecContext(ctx, `UPDATE surveys SET name = ?, definition = ?, updated_at = ? WHERE id = ?`,
			s.Name, def, micros(now), id)
		if err != nil {
			return heed.Internal(err, "sqlite: update survey")
		}
		out, err = q.getSurveyOn(ctx, q.w, id)
		return err
	})
	return out, err
}

// GetSurvey returns the survey with key.
func (q queries) GetSurvey(ctx context.Context, key string) (heed.Survey, error) {
	s, err := scanSurvey(q.r.QueryRowContext(ctx, surveySelect+` WHERE key = ?`, key))
	return s, rowErr(err, sqlstore.SurveyNotFound(key, 0), "sqlite: get survey")
}

// GetSurveyByID returns the survey with id.
func (q queries) GetSurveyByID(ctx context.Context, id int64) (heed.Survey, error) {
	return q.getSurveyOn(ctx, q.r, id)
}

// getSurveyOn reads a survey on db: the write side sees what the caller
// just wrote.
func (q queries) getSurveyOn(ctx context.Context, db querier, id int64) (heed.Survey, error) {
	s, err := scanSurvey(db.QueryRowContext(ctx, surveySelect+` WHERE id = ?`, id))
	return s, rowErr(err, sqlstore.SurveyNotFound("", id), "sqlite: get survey")
}

// ListSurveys returns every survey by key.
func (q queries) ListSurveys(ctx context.Context) ([]heed.Survey, error) {
	return queryList(ctx, q.r, surveySelect+` ORDER BY key`, nil, []heed.Survey{}, scanSurvey, "sqlite: list surveys")
}

// AddRewardCodes adds the codes not yet in the survey's pool, in the
// order given (which is the order they are given out).
func (q queries) AddRewardCodes(ctx context.Context, surveyID int64, codes []string, now time.Time) (int, error) {
	if err := sqlstore.CheckRewardCodes(codes); err != nil {
		return 0, err
	}
	added := 0
	err := q.withTx(ctx, func(q queries) error {
		var one int
		err := q.w.QueryRowContext(ctx, `SELECT 1 FROM surveys WHERE id = ?`, surveyID).Scan(&one)
		if err != nil {
			return rowErr(err, sqlstore.SurveyNotFound("", surveyID), "sqlite: find survey")
		}
		st, err := q.prepare(ctx, `INSERT INTO reward_codes (survey_id, code, created_at) VALUES (?, ?, ?)
			ON CONFLICT (survey_id, code) DO NOTHING`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, c := range codes {
			res, err := st.ExecContext(ctx, surveyID, c, micros(now))
			if err != nil {
				return heed.Internal(err, "sqlite: add reward code")
			}
			n, err := res.RowsAffected()
			if err != nil {
				return heed.Internal(err, "sqlite: add reward code")
			}
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}

// TakeRewardCode gives the response the code it has, or the oldest free
// one. SQLite's single writer makes the read and the claim one step.
// INDEXED BY: left to itself, SQLite looks for the free codes in the
// response_id index, among the free codes of every survey.
func (q queries) TakeRewardCode(ctx context.Context, surveyID, responseID int64, now time.Time) (string, error) {
	var code string
	err := q.withTx(ctx, func(q queries) error {
		err := q.w.QueryRowContext(ctx, `SELECT code FROM reward_codes WHERE response_id = ?`, responseID).Scan(&code)
		if ok, err := found(err, "sqlite: find reward code"); ok || err != nil {
			return err
		}
		err = q.w.QueryRowContext(ctx, `UPDATE reward_codes SET response_id = ?, given_at = ?
			WHERE id = (SELECT id FROM reward_codes INDEXED BY reward_codes_free
				WHERE survey_id = ? AND response_id IS NULL ORDER BY id LIMIT 1)
			RETURNING code`, responseID, micros(now), surveyID).Scan(&code)
		return rowErr(err, sqlstore.NoRewardCodeLeft(surveyID), "sqlite: take reward code")
	})
	return code, err
}

// CountRewardCodes counts the survey's pool and the codes not given.
func (q queries) CountRewardCodes(ctx context.Context, surveyID int64) (total, left int, err error) {
	err = q.r.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) - COUNT(response_id) FROM reward_codes WHERE survey_id = ?`,
		surveyID).Scan(&total, &left)
	return total, left, heed.Internal(err, "sqlite: count reward codes")
}

// programSelect reads programs with their survey's key, in scanProgram's
// order.
const programSelect = `SELECT p.id, p.key, p.name, s.key, p.active, p.definition, p.last_run_at, p.created_at, p.updated_at
	FROM programs p JOIN surveys s ON s.id = p.survey_id`

func scanProgram(sc sqlstore.Scanner) (heed.Program, error) {
	var p heed.Program
	var def string
	var created, updated int64
	var lastRun sql.NullInt64
	if err := sc.Scan(&p.ID, &p.Key, &p.Name, &p.Survey, &p.Active, &def, &lastRun, &created, &updated); err != nil {
		return heed.Program{}, err
	}
	p.LastRunAt, p.CreatedAt, p.UpdatedAt = nullMicros(lastRun), fromMicros(created), fromMicros(updated)
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
		err = q.w.QueryRowContext(ctx, `INSERT INTO programs (key, name, survey_id, active, definition, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING RETURNING id`,
			p.Key, p.Name, surveyID, p.Active, def, micros(now), micros(now)).Scan(&id)
		if err != nil {
			return rowErr(err, sqlstore.SurveyKeyTaken("program", p.Key), "sqlite: create program")
		}
		out, err = q.getProgramOn(ctx, q.w, id)
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
		err = q.w.QueryRowContext(ctx, `UPDATE programs SET name = ?, survey_id = ?, active = ?, definition = ?,
			updated_at = ? WHERE key = ? RETURNING id`, p.Name, surveyID, p.Active, def, micros(now), p.Key).Scan(&id)
		if err != nil {
			return rowErr(err, sqlstore.ProgramNotFound(p.Key, 0), "sqlite: update program")
		}
		out, err = q.getProgramOn(ctx, q.w, id)
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
	err = q.w.QueryRowContext(ctx, `SELECT id FROM surveys WHERE key = ?`, p.Survey).Scan(&surveyID)
	return surveyID, def, rowErr(err, sqlstore.ProgramSurveyNotFound(p.Survey), "sqlite: find program survey")
}

// GetProgram returns the program with key.
func (q queries) GetProgram(ctx context.Context, key string) (heed.Program, error) {
	p, err := scanProgram(q.r.QueryRowContext(ctx, programSelect+` WHERE p.key = ?`, key))
	return p, rowErr(err, sqlstore.ProgramNotFound(key, 0), "sqlite: get program")
}

// GetProgramByID returns the program with id.
func (q queries) GetProgramByID(ctx context.Context, id int64) (heed.Program, error) {
	return q.getProgramOn(ctx, q.r, id)
}

func (q queries) getProgramOn(ctx context.Context, db querier, id int64) (heed.Program, error) {
	p, err := scanProgram(db.QueryRowContext(ctx, programSelect+` WHERE p.id = ?`, id))
	return p, rowErr(err, sqlstore.ProgramNotFound("", id), "sqlite: get program")
}

// ListPrograms returns every program by key.
func (q queries) ListPrograms(ctx context.Context) ([]heed.Program, error) {
	return queryList(ctx, q.r, programSelect+` ORDER BY p.key`, nil, []heed.Program{}, scanProgram, "sqlite: list programs")
}

// MarkProgramRun records that the program ran at now. The single writer
// already makes two runs take turns.
func (q queries) MarkProgramRun(ctx context.Context, id int64, now time.Time) error {
	res, err := q.w.ExecContext(ctx, `UPDATE programs SET last_run_at = ? WHERE id = ?`, micros(now), id)
	return rowTouched(res, err, sqlstore.ProgramNotFound("", id), "sqlite: mark program run")
}

// SampleCandidates returns p's population with when each was last asked,
// in one statement (see sqlstore.SampleCandidatesSQL).
func (q queries) SampleCandidates(ctx context.Context, p heed.Program) ([]heed.SampleCandidate, error) {
	args := newArgs()
	stmt, err := sqlstore.SampleCandidatesSQL(ctx, p, args, q.unitPath, "c.attributes")
	if err != nil {
		return nil, err
	}
	return queryList(ctx, q.r, stmt, args.Values(), []heed.SampleCandidate{}, scanSampleCandidate,
		"sqlite: sample candidates")
}

func scanSampleCandidate(sc sqlstore.Scanner) (heed.SampleCandidate, error) {
	var c heed.SampleCandidate
	var attrs string
	var byProgram, byAny sql.NullInt64
	err := sc.Scan(&c.CustomerID, &c.ExternalID, &c.UnitID, &c.Email, &c.Language, &c.Segment, &attrs, &c.Consent,
		&c.OpenCase, &byProgram, &byAny)
	c.Attributes = json.RawMessage(attrs) // stored canonical by UpsertCustomers
	if byProgram.Valid {
		c.LastAskedByProgram = fromMicros(byProgram.Int64)
	}
	if byAny.Valid {
		c.LastAskedAny = fromMicros(byAny.Int64)
	}
	return c, err
}
