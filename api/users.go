package api

import (
	"context"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/accounts"
)

type meOutput struct {
	Body struct {
		Kind     string    `json:"kind" doc:"employee, token or system"`
		Name     string    `json:"name" doc:"The token's name (or the employee's email)"`
		Employee string    `json:"employee,omitempty" doc:"The email of the employee whose rights the principal has, if any"`
		Role     heed.Role `json:"role"`
		Unit     string    `json:"unit,omitempty" doc:"The key of the unit the principal belongs to"`
	}
}

func (s *server) getMe(ctx context.Context, _ *struct{}) (*meOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	out := &meOutput{}
	out.Body.Kind, out.Body.Name, out.Body.Role = string(p.Kind), p.Name, p.Role
	if p.UnitID != 0 {
		u, err := s.cfg.Directory.GetUnitByID(ctx, p, p.UnitID) // a principal always sees its own unit
		if err != nil {
			return nil, err
		}
		out.Body.Unit = u.Key
	}
	if p.EmployeeID != 0 {
		e, err := s.cfg.Directory.GetEmployeeByID(ctx, p, p.EmployeeID) // everyone sees themself
		if err != nil {
			return nil, err
		}
		out.Body.Employee = e.Email
	}
	return out, nil
}

type createUserInput struct {
	Body struct {
		Email    string `json:"email"`
		Name     string `json:"name,omitempty" doc:"Defaults to the part of the email before @"`
		Role     string `json:"role" doc:"frontline, manager, analyst or admin"`
		Unit     string `json:"unit,omitempty" doc:"The unit's key; required for frontline and manager"`
		Password string `json:"password,omitempty" writeOnly:"true" doc:"Left out: one is generated and returned once"`
	}
}

type createUserOutput struct {
	Body struct {
		User     heed.Employee `json:"user"`
		Password string        `json:"password,omitempty" doc:"The generated password, shown only in this answer"`
	}
}

func (s *server) createUser(ctx context.Context, in *createUserInput) (*createUserOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	pw, generated := in.Body.Password, false
	if pw == "" {
		pw, generated = accounts.GeneratePassword(), true
	}
	emp, err := s.cfg.Accounts.AddUser(ctx, p, accounts.NewUser{
		Email: in.Body.Email, Name: in.Body.Name, Role: heed.Role(in.Body.Role), Unit: in.Body.Unit, Password: pw,
	})
	if err != nil {
		return nil, err
	}
	out := &createUserOutput{}
	out.Body.User = emp
	if generated {
		out.Body.Password = pw
	}
	return out, nil
}
