package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/heedhq/heed"
)

// invitationsBody is the content of invitations.html.
type invitationsBody struct {
	Invitations []invitationRow
	Surveys     []heed.Survey
	Programs    []heed.Program
	Deliveries  []heed.Delivery
	Survey      string
	Program     string
	Delivery    string
	Filtered    bool
	Paged       bool
	FirstURL    string
	NextURL     string
}

// invitationRow is one invitation of the list.
type invitationRow struct {
	heed.Invitation
	SurveyName string
	State      string // the delivery state, or "link" for one handed out
}

// invitationList shows the invitations the viewer may see, newest first,
// filtered by survey, program and delivery state (?before=ID pages).
func (s *server) invitationList(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	q := r.URL.Query()
	body := invitationsBody{Survey: strings.TrimSpace(q.Get("survey")), Program: strings.TrimSpace(q.Get("program")),
		Delivery: strings.TrimSpace(q.Get("delivery")), Deliveries: heed.DeliveryStates()}
	before, err := parseBefore(q.Get("before"))
	if err != nil {
		return err
	}
	f := heed.InvitationFilter{Delivery: heed.Delivery(body.Delivery), Limit: listPage + 1, BeforeID: before}
	list, err := s.sv.ListInvitations(ctx, v.P, body.Survey, body.Program, f)
	if err != nil {
		return err
	}
	surveys, err := s.sv.ListSurveys(ctx, v.P)
	if err != nil {
		return err
	}
	programs, err := s.sv.ListPrograms(ctx, v.P)
	if err != nil {
		return err
	}
	body.Surveys = sortedSurveys(surveys)
	body.Programs = slices.SortedFunc(slices.Values(programs), func(a, b heed.Program) int {
		return cmp.Or(strings.Compare(heed.Fold(a.Name), heed.Fold(b.Name)), strings.Compare(a.Key, b.Key))
	})
	names := map[string]string{}
	for _, sv := range surveys {
		names[sv.Key] = sv.Name
	}
	params := url.Values{}
	for k, x := range map[string]string{"survey": body.Survey, "program": body.Program, "delivery": body.Delivery} {
		if x != "" {
			params.Set(k, x)
		}
	}
	body.Filtered, body.Paged, body.FirstURL = len(params) > 0, before > 0, pageURL("/invitations", params, 0)
	if len(list) > listPage {
		list = list[:listPage]
		body.NextURL = pageURL("/invitations", params, list[listPage-1].ID)
	}
	for _, inv := range list {
		body.Invitations = append(body.Invitations, invitationRow{Invitation: inv,
			SurveyName: cmp.Or(names[inv.Survey], inv.Survey), State: cmp.Or(string(inv.Delivery), "link")})
	}
	return s.render(w, r, http.StatusOK, "invitations", view{Title: "Invitations", Section: "invitations", Body: body})
}
