package api

import (
	"context"
	"net/http"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

// This file asks customers: sampling programs and their runs, and
// invitations, whether made by a program or by a call naming customers.

type programsOutput struct {
	Body struct {
		Programs []heed.Program `json:"programs"`
	}
}

func (s *server) listPrograms(ctx context.Context, _ *struct{}) (*programsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Surveys.ListPrograms(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &programsOutput{}
	out.Body.Programs = make([]heed.Program, len(list))
	for i, pr := range list {
		out.Body.Programs[i] = programOut(pr)
	}
	return out, nil
}

type programKey struct {
	Key string `path:"key" doc:"The program's key"`
}

type programOutput struct {
	Status int
	Body   heed.Program
}

func (s *server) getProgram(ctx context.Context, in *programKey) (*programOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	pr, err := s.cfg.Surveys.GetProgram(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	return &programOutput{Status: http.StatusOK, Body: programOut(pr)}, nil
}

// programInput is a program as a client writes it; read-only fields of a
// GET are accepted and ignored, so a fetched program can be sent back.
type programInput struct {
	Key               string            `json:"key,omitempty" doc:"Derived from the name when left out. In a PUT it must equal the path's if given"`
	Name              string            `json:"name,omitempty" doc:"Required"`
	Survey            string            `json:"survey,omitempty" doc:"The survey's key (required)"`
	Channel           string            `json:"channel,omitempty" enum:"email" doc:"How invitations go out: email (the default and only one)"`
	Active            bool              `json:"active,omitempty" doc:"Run by the scheduler of heed serve"`
	Units             []string          `json:"units,omitempty" doc:"Population: customers of these units and the units below them; none: everyone"`
	Segments          []string          `json:"segments,omitempty" doc:"Population: customers of any of these segments; none: any"`
	Attributes        map[string]string `json:"attributes,omitempty" doc:"Population: customers whose attributes hold every pair"`
	Target            int               `json:"target,omitempty" doc:"Invitations per period, spread evenly over its days"`
	Period            string            `json:"period,omitempty" enum:"week,month,quarter" doc:"The period of the target (default month)"`
	Margin            float64           `json:"margin,omitempty" doc:"When set: stratify by unit, asking each enough to reach ±margin points per period (target is then ignored)"`
	ProgramDays       int               `json:"program_days,omitempty" doc:"Not asked by this program again within this many days (default 183)"`
	GlobalDays        int               `json:"global_days,omitempty" doc:"Not asked by any program within this many days (default 30)"`
	ReminderDays      int               `json:"reminder_days,omitempty" doc:"One reminder after this many days (default 3; negative: none)"`
	ExpiryDays        int               `json:"expiry_days,omitempty" doc:"Links expire after this many days (default 30)"`
	Seed              int64             `json:"seed,omitempty" doc:"Makes the tie-breaking shuffle reproducible; left out: kept, or chosen at random"`
	FirstContactHours int               `json:"first_contact_hours,omitempty" doc:"Cases its answers open must see a first contact within this many hours (default 48)"`
	ResolveDays       int               `json:"resolve_days,omitempty" doc:"… and be closed within this many days (default 14)"`
	ResurveyDays      int               `json:"resurvey_days,omitempty" doc:"Closing a case re-surveys the customer after this many days (default 30)"`
	LastRunAt         *time.Time        `json:"last_run_at,omitempty" readOnly:"true" doc:"Ignored"`
	CreatedAt         *time.Time        `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt         *time.Time        `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in programInput) program(key string) heed.Program {
	return heed.Program{
		Key: key, Name: in.Name, Survey: in.Survey, Channel: in.Channel, Active: in.Active,
		Units: in.Units, Segments: in.Segments, Attributes: in.Attributes,
		Target: in.Target, Period: in.Period, Margin: in.Margin,
		ProgramDays: in.ProgramDays, GlobalDays: in.GlobalDays, ReminderDays: in.ReminderDays, ExpiryDays: in.ExpiryDays,
		Seed: in.Seed, FirstContactHours: in.FirstContactHours, ResolveDays: in.ResolveDays, ResurveyDays: in.ResurveyDays,
	}
}

type createProgramInput struct {
	Body programInput
}

func (s *server) createProgram(ctx context.Context, in *createProgramInput) (*programOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	pr, err := s.cfg.Surveys.CreateProgram(ctx, p, in.Body.program(in.Body.Key))
	if err != nil {
		return nil, err
	}
	return &programOutput{Status: http.StatusCreated, Body: programOut(pr)}, nil
}

type updateProgramInput struct {
	Key  string `path:"key" doc:"The program's key"`
	Body programInput
}

func (s *server) updateProgram(ctx context.Context, in *updateProgramInput) (*programOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	pr, err := s.cfg.Surveys.UpdateProgram(ctx, p, in.Body.program(key))
	if err != nil {
		return nil, err
	}
	return &programOutput{Status: http.StatusOK, Body: programOut(pr)}, nil
}

// programOut makes a program's empty population answer [] and {} rather
// than null.
func programOut(pr heed.Program) heed.Program {
	pr.Units, pr.Segments = nonNil(pr.Units), nonNil(pr.Segments)
	if pr.Attributes == nil {
		pr.Attributes = map[string]string{}
	}
	return pr
}

type runProgramInput struct {
	Key    string `path:"key" doc:"The program's key"`
	DryRun bool   `query:"dry_run" doc:"Only say whom the run would ask; invite nobody"`
}

type sampleReportOutput struct {
	Body survey.SampleReport
}

func (s *server) runProgram(ctx context.Context, in *runProgramInput) (*sampleReportOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := s.cfg.Surveys.Sample(ctx, p, in.Key, in.DryRun)
	if err != nil {
		return nil, err
	}
	if rep.Skipped == nil {
		rep.Skipped = map[string]int{}
	}
	return &sampleReportOutput{Body: rep}, nil
}

type inviteInput struct {
	Key  string `path:"key" doc:"The survey's key"`
	Body struct {
		Customers []string          `json:"customers" doc:"External ids of the customers to invite, at most 1000"`
		Channel   string            `json:"channel,omitempty" enum:"link,email" doc:"link (the default): answer with the links; email: also send each customer the invitation email"`
		Hidden    map[string]string `json:"hidden,omitempty" doc:"Values of the survey's hidden fields, carried into each response"`
	}
}

type inviteOutput struct {
	Body struct {
		Results []survey.InviteResult `json:"results" doc:"One per customer named, in order: the invitation and its link, or why none was made (not_found, no_consent, no_email, duplicate)"`
	}
}

func (s *server) invite(ctx context.Context, in *inviteInput) (*inviteOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.cfg.Surveys.Invite(ctx, p, in.Key, survey.InviteRequest{
		Customers: in.Body.Customers, Channel: in.Body.Channel, Hidden: in.Body.Hidden,
	})
	if err != nil {
		return nil, err
	}
	out := &inviteOutput{}
	out.Body.Results = nonNil(res)
	return out, nil
}

type listInvitationsInput struct {
	Survey   string `query:"survey" doc:"Only invitations to this survey (key)"`
	Program  string `query:"program" doc:"Only invitations made by this program (key)"`
	Delivery string `query:"delivery" enum:"queued,sent,failed,bounced,dead,skipped" doc:"Only invitations whose email is in this state"`
	Limit    int    `query:"limit" minimum:"1" maximum:"1000" default:"50" doc:"Page size"`
	Cursor   string `query:"cursor" doc:"next_cursor of the previous page"`
}

type invitationsOutput struct {
	Body struct {
		Invitations []heed.Invitation `json:"invitations"`
		NextCursor  string            `json:"next_cursor,omitempty" doc:"Pass as cursor for the next page; absent on the last"`
	}
}

const invitationCursor = "invitation:"

func (s *server) listInvitations(ctx context.Context, in *listInvitationsInput) (*invitationsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	before, err := decodeIDCursor(invitationCursor, in.Cursor)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Surveys.ListInvitations(ctx, p, in.Survey, in.Program, heed.InvitationFilter{
		Delivery: heed.Delivery(in.Delivery), Limit: in.Limit, BeforeID: before,
	})
	if err != nil {
		return nil, err
	}
	out := &invitationsOutput{}
	out.Body.Invitations = nonNil(list)
	if len(list) == in.Limit {
		out.Body.NextCursor = encodeIDCursor(invitationCursor, list[len(list)-1].ID)
	}
	return out, nil
}
