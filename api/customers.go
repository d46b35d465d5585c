package api

import (
	"context"
	"encoding/json"
	"time"

	"github.com/heedhq/heed"
)

type listCustomersInput struct {
	Unit   string `query:"unit" doc:"Only this unit and the units below it"`
	Q      string `query:"q" doc:"Case-insensitive text in the name, email, phone or external id"`
	Limit  int    `query:"limit" minimum:"1" maximum:"1000" doc:"Page size (default 50)"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
}

type customerPageOutput struct {
	Body heed.CustomerPage
}

func (s *server) listCustomers(ctx context.Context, in *listCustomersInput) (*customerPageOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	page, err := s.cfg.Directory.ListCustomers(ctx, p, heed.CustomerFilter{
		Unit: in.Unit, Query: in.Q, Limit: in.Limit, Cursor: in.Cursor,
	})
	if err != nil {
		return nil, err
	}
	page.Customers = nonNil(page.Customers)
	return &customerPageOutput{Body: page}, nil
}

type customerID struct {
	ExternalID string `path:"external_id" doc:"The customer's id in your systems"`
}

type customerOutput struct {
	Status int
	Body   heed.Customer
}

func (s *server) getCustomer(ctx context.Context, in *customerID) (*customerOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.cfg.Directory.GetCustomer(ctx, p, in.ExternalID)
	if err != nil {
		return nil, err
	}
	return &customerOutput{Status: 200, Body: c}, nil
}

// customerInput is a customer as a client writes it; read-only fields of
// a GET are accepted and ignored.
type customerInput struct {
	ExternalID string          `json:"external_id,omitempty" doc:"Required in a batch; in a PUT it must equal the path's if given"`
	Name       string          `json:"name,omitempty"`
	Email      string          `json:"email,omitempty"`
	Phone      string          `json:"phone,omitempty"`
	Language   string          `json:"language,omitempty" doc:"BCP 47 tag, e.g. en or nl-BE"`
	Segment    string          `json:"segment,omitempty"`
	Value      decimal         `json:"value,omitempty"`
	Owner      string          `json:"owner,omitempty" doc:"The owning employee's email"`
	Unit       string          `json:"unit,omitempty" doc:"The unit's key (required)"`
	Attributes json.RawMessage `json:"attributes,omitempty" doc:"Free attributes: a JSON object"`
	Consent    bool            `json:"consent,omitempty" doc:"Consent to be surveyed"`
	OwnerName  string          `json:"owner_name,omitempty" readOnly:"true" doc:"Ignored: the owner's name, as read"`
	CreatedAt  *time.Time      `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt  *time.Time      `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (c customerInput) customer(externalID string) heed.Customer {
	return heed.Customer{
		ExternalID: externalID, Name: c.Name, Email: c.Email, Phone: c.Phone,
		Language: c.Language, Segment: c.Segment, Value: heed.Decimal(c.Value),
		Owner: c.Owner, Unit: c.Unit, Attributes: c.Attributes, Consent: c.Consent,
	}
}

type putCustomerInput struct {
	ExternalID string `path:"external_id" doc:"The customer's id in your systems"`
	Body       customerInput
}

func (s *server) putCustomer(ctx context.Context, in *putCustomerInput) (*customerOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	id, err := pathMatches("external_id", in.ExternalID, in.Body.ExternalID)
	if err != nil {
		return nil, err
	}
	c, created, err := s.cfg.Directory.PutCustomer(ctx, p, in.Body.customer(id))
	if err != nil {
		return nil, err
	}
	return &customerOutput{Status: putStatus(created), Body: c}, nil
}

type upsertCustomersInput struct {
	RawBody []byte `contentType:"application/json"`
}

type upsertResultOutput struct {
	Body heed.UpsertResult
}

func (s *server) upsertCustomers(ctx context.Context, in *upsertCustomersInput) (*upsertResultOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	custs, err := decodeCustomers(in.RawBody).customers()
	if err != nil {
		return nil, err
	}
	res, err := s.cfg.Directory.UpsertCustomers(ctx, p, custs)
	if err != nil {
		return nil, err
	}
	return &upsertResultOutput{Body: res}, nil
}
