package api

import (
	"context"
	"time"

	"github.com/heedhq/heed"
)

type listEmployeesInput struct {
	Unit  string `query:"unit" doc:"Only this unit and the units below it"`
	Limit int    `query:"limit" minimum:"0" doc:"At most this many (0: all)"`
}

type employeesOutput struct {
	Body struct {
		Employees []heed.Employee `json:"employees"`
	}
}

func (s *server) listEmployees(ctx context.Context, in *listEmployeesInput) (*employeesOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	emps, err := s.cfg.Directory.ListEmployees(ctx, p, heed.EmployeeFilter{Unit: in.Unit, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	out := &employeesOutput{}
	out.Body.Employees = nonNil(emps)
	return out, nil
}

type employeeEmail struct {
	Email string `path:"email" doc:"The employee's email"`
}

type employeeOutput struct {
	Status int
	Body   heed.Employee
}

func (s *server) getEmployee(ctx context.Context, in *employeeEmail) (*employeeOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	e, err := s.cfg.Directory.GetEmployee(ctx, p, in.Email)
	if err != nil {
		return nil, err
	}
	return &employeeOutput{Status: 200, Body: e}, nil
}

// employeeInput is an employee as a client writes it; read-only fields of
// a GET are accepted and ignored.
type employeeInput struct {
	Email       string     `json:"email,omitempty" doc:"Must equal the email in the path if given"`
	Name        string     `json:"name,omitempty" doc:"Defaults to the part of the email before @"`
	Role        string     `json:"role,omitempty" doc:"frontline, manager, analyst or admin"`
	Unit        string     `json:"unit,omitempty" doc:"The unit's key; required for frontline and manager"`
	HasPassword bool       `json:"has_password,omitempty" readOnly:"true" doc:"Ignored; set passwords with POST /users"`
	CreatedAt   *time.Time `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

type putEmployeeInput struct {
	Email string `path:"email" doc:"The employee's email"`
	Body  employeeInput
}

func (s *server) putEmployee(ctx context.Context, in *putEmployeeInput) (*employeeOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	email, err := pathMatches("email", heed.NormEmail(in.Email), heed.NormEmail(in.Body.Email))
	if err != nil {
		return nil, err
	}
	e, created, err := s.cfg.Directory.PutEmployee(ctx, p, heed.Employee{
		Email: email, Name: in.Body.Name, Role: heed.Role(in.Body.Role), Unit: in.Body.Unit,
	})
	if err != nil {
		return nil, err
	}
	return &employeeOutput{Status: putStatus(created), Body: e}, nil
}
