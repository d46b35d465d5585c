package web

import (
	"net/http"
	"strings"

	"github.com/heedhq/heed"
)

// rootCausesBody is the content of rootcauses.html.
type rootCausesBody struct {
	RootCauses []heed.RootCause
	CanEdit    bool
	Name, Key  string // the add form as typed
	Error      string
	Notice     string
}

// rootCauseList shows the list of root causes cases are filed under;
// admins add, rename and switch them off here.
func (s *server) rootCauseList(w http.ResponseWriter, r *http.Request) error {
	body := &rootCausesBody{}
	if r.URL.Query().Get("done") == "saved" {
		body.Notice = "Saved."
	}
	return s.renderRootCauses(w, r, http.StatusOK, body)
}

func (s *server) renderRootCauses(w http.ResponseWriter, r *http.Request, status int, body *rootCausesBody) error {
	v := viewerFrom(r.Context())
	list, err := s.cs.RootCauses(r.Context(), v.P)
	if err != nil {
		return err
	}
	body.RootCauses, body.CanEdit = list, v.P.IsAdmin()
	return s.render(w, r, status, "rootcauses", view{Title: "Root causes", Section: "rootcauses", Body: body})
}

// rootCauseSave adds a root cause (no key given: made from the name) or
// renames and (de)activates the one with the key.
func (s *server) rootCauseSave(w http.ResponseWriter, r *http.Request) error {
	ctx, v := r.Context(), viewerFrom(r.Context())
	if err := r.ParseForm(); err != nil {
		return heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	rc := heed.RootCause{Key: strings.TrimSpace(r.PostForm.Get("key")), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Active: r.PostForm.Get("active") != ""}
	adding := r.PostForm.Get("add") != ""
	var err error
	if adding {
		rc.Active = true
		// The store adds or rewrites by key: a new entry must not take over
		// an existing one by the same name.
		err = s.checkNewRootCause(r, rc)
	}
	if err == nil {
		err = s.cs.SaveRootCause(ctx, v.P, rc)
	}
	if err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		body := &rootCausesBody{Error: sentence(heed.ErrorMessage(err))}
		if adding {
			body.Name, body.Key = rc.Name, rc.Key
		}
		return s.renderRootCauses(w, r, status, body)
	}
	http.Redirect(w, r, "/settings/root-causes?done=saved", http.StatusSeeOther)
	return nil
}

func (s *server) checkNewRootCause(r *http.Request, rc heed.RootCause) error {
	list, err := s.cs.RootCauses(r.Context(), viewerFrom(r.Context()).P)
	if err != nil {
		return err
	}
	for _, old := range list {
		if (rc.Key != "" && old.Key == rc.Key) || heed.Fold(old.Name) == heed.Fold(rc.Name) {
			return heed.FieldErrorf(heed.EConflict, "name", "%q is on the list already (key %s); rename or switch that one on instead", old.Name, old.Key)
		}
	}
	return nil
}
