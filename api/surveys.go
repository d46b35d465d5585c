package api

import (
	"context"
	"net/http"
	"time"

	"github.com/heedhq/heed"
	"github.com/heedhq/heed/survey"
)

type surveysOutput struct {
	Body struct {
		Surveys []heed.Survey `json:"surveys"`
	}
}

func (s *server) listSurveys(ctx context.Context, _ *struct{}) (*surveysOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	list, err := s.cfg.Surveys.ListSurveys(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &surveysOutput{}
	out.Body.Surveys = make([]heed.Survey, len(list))
	for i, sv := range list {
		out.Body.Surveys[i] = surveyOut(sv)
	}
	return out, nil
}

type surveyKey struct {
	Key string `path:"key" doc:"The survey's key"`
}

type surveyOutput struct {
	Status int
	Body   heed.Survey
}

func (s *server) getSurvey(ctx context.Context, in *surveyKey) (*surveyOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.GetSurvey(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	return &surveyOutput{Status: http.StatusOK, Body: surveyOut(sv)}, nil
}

// surveyInput is a survey as a client writes it. Everything but the name
// may be left out; read-only fields of a GET are accepted and ignored, so
// a fetched survey can be sent back as it is.
type surveyInput struct {
	Key      string `json:"key,omitempty" doc:"Stable key for links and the API; derived from the name when left out. In a PUT it must equal the path's if given"`
	Kind     string `json:"kind,omitempty" enum:"nps,csat,ces" doc:"The main question: nps (0–10, the default), csat (1–5) or ces (1–7). Never changes"`
	Name     string `json:"name,omitempty" doc:"For employees; respondents see the texts (required)"`
	Language string `json:"language,omitempty" doc:"Default language, e.g. en (the default)"`
	// Texts left out are the kind's defaults in every shipped language.
	Texts     map[string]heed.SurveyText `json:"texts,omitempty" doc:"What respondents read, by language; left out: the kind's defaults in en, nl and de"`
	Questions []heed.Question            `json:"questions,omitempty" doc:"Extra questions after the score and the reason"`
	Hidden    []string                   `json:"hidden,omitempty" doc:"Fields carried from the link or API call into the response unseen"`
	Origins   []string                   `json:"origins,omitempty" doc:"Origins that may embed the widget, e.g. https://shop.example.com"`
	OpenLink  bool                       `json:"open_link,omitempty" doc:"Enable the anonymous link"`
	Reward    bool                       `json:"reward,omitempty" doc:"Hand each respondent a code from the survey's pool"`
	CreatedAt *time.Time                 `json:"created_at,omitempty" readOnly:"true" doc:"Ignored"`
	UpdatedAt *time.Time                 `json:"updated_at,omitempty" readOnly:"true" doc:"Ignored"`
}

func (in surveyInput) survey(key string) heed.Survey {
	return heed.Survey{
		Key: key, Kind: heed.SurveyKind(in.Kind), Name: in.Name, Language: in.Language, Texts: in.Texts,
		Questions: in.Questions, Hidden: in.Hidden, Origins: in.Origins, OpenLink: in.OpenLink, Reward: in.Reward,
	}
}

type createSurveyInput struct {
	Body surveyInput
}

func (s *server) createSurvey(ctx context.Context, in *createSurveyInput) (*surveyOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.CreateSurvey(ctx, p, in.Body.survey(in.Body.Key))
	if err != nil {
		return nil, err
	}
	return &surveyOutput{Status: http.StatusCreated, Body: surveyOut(sv)}, nil
}

type updateSurveyInput struct {
	Key  string `path:"key" doc:"The survey's key"`
	Body surveyInput
}

func (s *server) updateSurvey(ctx context.Context, in *updateSurveyInput) (*surveyOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	key, err := pathMatches("key", in.Key, in.Body.Key)
	if err != nil {
		return nil, err
	}
	sv, err := s.cfg.Surveys.UpdateSurvey(ctx, p, in.Body.survey(key))
	if err != nil {
		return nil, err
	}
	return &surveyOutput{Status: http.StatusOK, Body: surveyOut(sv)}, nil
}

// surveyOut makes a survey's empty lists answer [] rather than null.
func surveyOut(sv heed.Survey) heed.Survey {
	sv.Questions, sv.Hidden, sv.Origins = nonNil(sv.Questions), nonNil(sv.Hidden), nonNil(sv.Origins)
	return sv
}

type rewardPoolOutput struct {
	Body survey.RewardPool
}

type addRewardCodesInput struct {
	Key  string `path:"key" doc:"The survey's key"`
	Body struct {
		Codes []string `json:"codes" doc:"Codes to add; blank ones and codes already in the pool are skipped"`
	}
}

func (s *server) addRewardCodes(ctx context.Context, in *addRewardCodesInput) (*rewardPoolOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := s.cfg.Surveys.AddRewardCodes(ctx, p, in.Key, in.Body.Codes)
	if err != nil {
		return nil, err
	}
	return &rewardPoolOutput{Body: pool}, nil
}

type rewardCountOutput struct {
	Body struct {
		Total int `json:"total" doc:"Codes ever added"`
		Left  int `json:"left" doc:"Codes not handed out yet"`
	}
}

func (s *server) countRewardCodes(ctx context.Context, in *surveyKey) (*rewardCountOutput, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	pool, err := s.cfg.Surveys.RewardCodes(ctx, p, in.Key)
	if err != nil {
		return nil, err
	}
	out := &rewardCountOutput{}
	out.Body.Total, out.Body.Left = pool.Total, pool.Left
	return out, nil
}
