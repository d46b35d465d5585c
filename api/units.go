package api

import (
	"context"
	"net/http"
	"time"

	"github.com/heedhq/heed"
)

type unitsOutput struct {
	Body struct {
		Units []heed.Unit `json:"units"`
	}
}

func (s *server) listUnits(ctx context.Context, _ *struct{}) (*unitsOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.cfg.Directory.ListUnits(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &unitsOutput{}
	out.Body.Units = nonNil(units)
	return out, nil
}

type unitKey struct {
	Key string `path:"key" doc:"The unit's key"`
}

type unitOutput struct {
	Status int
	Body   heed.Unit
}

func (s *server) getUnit(ctx context.Context, in *unitKey) (*unitOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.cfg.Directory.GetUnit(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	return &unitOutput{Status: http.StatusOK, Body: u}, nil
}

// unitInput is a unit as a client writes it. The fields a GET answers but
// a client does not set are accepted and ignored, so a fetched unit can be
// sent back as it is.
type unitInput struct {
	Key         string     `json:"key,omitempty" doc:"Must equal the key in the path if given"`
	Name        string     `json:"name,omitempty"`
	Parent      string     `json:"parent,omitempty" doc:"The parent unit's key; empty for a root"`
	Responsible string     `json:"responsible,omitempty" doc:"Email of the employee who answers for the unit"`
	Depth       int        `json:"depth,omitempty" readOnly:"true" doc:"Ignored"`
	CreatedAt   *time.Time `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

type putUnitInput struct {
	Key  string `path:"key" doc:"The unit's key"`
	Body unitInput
}

func (s *server) putUnit(ctx context.Context, in *putUnitInput) (*unitOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	u, created, err := s.cfg.Directory.PutUnit(ctx, p, heed.Unit{
		Key: key, Name: in.Body.Name, Parent: in.Body.Parent, Responsible: in.Body.Responsible,
	})
	if err != nil {
		return nil, err
	}
	return &unitOutput{Status: putStatus(created), Body: u}, nil
}

// pathMatches returns the identifier of a PUT: the path's, which the body
// may repeat but not contradict.
func pathMatches(field, inPath, inBody string) (string, error) {
	if inBody != "" && inBody != inPath {
		return "", heed.FieldErrorf(heed.EInvalid, field, "%s %q in the body does not match %q in the path", field, inBody, inPath)
	}
	return inPath, nil
}

// pathIDMatches is pathMatches for a numeric id: 0 in the body is none.
func pathIDMatches(field string, inPath, inBody int64) (int64, error) {
	if inBody != 0 && inBody != inPath {
		return 0, heed.FieldErrorf(heed.EInvalid, field, "%s %d in the body does not match %d in the path", field, inBody, inPath)
	}
	return inPath, nil
}

func putStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// nonNil makes empty lists answer [] rather than null.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
