package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/heedhq/heed"
)

// recentDeliveries is how many deliveries a webhook's page lists.
const recentDeliveries = 50

// webhookForm is the webhook editor's fields as typed.
type webhookForm struct {
	URL, Description string
	Format           string
	Events           []string
	Active           bool
}

// webhooksBody is the content of webhooks.html.
type webhooksBody struct {
	Webhooks []heed.Webhook
	Form     webhookForm
	Events   []string
	Created  *heed.Webhook // just created: the only time its secret is shown
	Error    string
	ErrorID  string
	Notice   string
}

// webhookList shows the webhooks and a form to add one (admins only:
// the service refuses everyone else).
func (s *server) webhookList(w http.ResponseWriter, r *http.Request) error {
	body := &webhooksBody{Form: webhookForm{Active: true, Format: heed.FormatStandard}}
	if r.URL.Query().Get("done") == "deleted" {
		body.Notice = "Webhook deleted."
	}
	return s.renderWebhooks(w, r, http.StatusOK, body)
}

func (s *server) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, body *webhooksBody) error {
	list, err := s.hooks.List(r.Context(), viewerFrom(r.Context()).P)
	if err != nil {
		return err
	}
	body.Webhooks, body.Events = list, heed.WebhookEvents()
	return s.render(w, r, status, "webhooks", view{Title: "Webhooks", Section: "webhooks", Body: body})
}

// parseWebhookForm reads the editor.
func parseWebhookForm(r *http.Request) (heed.Webhook, webhookForm, error) {
	if err := r.ParseForm(); err != nil {
		return heed.Webhook{}, webhookForm{}, heed.Errorf(heed.EBadRequest, "the form could not be read")
	}
	f := webhookForm{URL: strings.TrimSpace(r.PostForm.Get("url")), Description: strings.TrimSpace(r.PostForm.Get("description")),
		Format: r.PostForm.Get("format"), Events: r.PostForm["events"], Active: r.PostForm.Get("active") != ""}
	return heed.Webhook{URL: f.URL, Description: f.Description, Format: f.Format, Events: f.Events, Active: f.Active}, f, nil
}

// webhookCreate adds a webhook and shows its signing secret on the page
// it answers with — never in a link or a redirect, and never again.
func (s *server) webhookCreate(w http.ResponseWriter, r *http.Request) error {
	hook, f, err := parseWebhookForm(r)
	if err != nil {
		return err
	}
	created, err := s.hooks.Create(r.Context(), viewerFrom(r.Context()).P, hook)
	if err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		field, _, _ := strings.Cut(heed.ErrorField(err), "[")
		return s.renderWebhooks(w, r, status, &webhooksBody{Form: f, Error: sentence(heed.ErrorMessage(err)), ErrorID: field})
	}
	body := &webhooksBody{Form: webhookForm{Active: true, Format: heed.FormatStandard}, Created: &created}
	return s.renderWebhooks(w, r, http.StatusCreated, body)
}

// webhookBody is the content of webhook.html.
type webhookBody struct {
	Webhook    heed.Webhook
	Form       webhookForm
	Events     []string
	Deliveries []heed.WebhookDelivery
	Error      string
	ErrorID    string
	Notice     string
}

// webhookEdit shows a webhook's settings and its recent deliveries.
func (s *server) webhookEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "webhook")
	if err != nil {
		return err
	}
	hook, err := s.hooks.Get(r.Context(), viewerFrom(r.Context()).P, id)
	if err != nil {
		return err
	}
	body := &webhookBody{Webhook: hook, Form: webhookForm{URL: hook.URL, Description: hook.Description, Format: hook.Format,
		Events: hook.Events, Active: hook.Active}}
	switch r.URL.Query().Get("done") {
	case "saved":
		body.Notice = "Changes saved."
	case "redelivered":
		body.Notice = "Delivery queued to go out again, with the same message id."
	}
	return s.renderWebhook(w, r, http.StatusOK, body)
}

func (s *server) renderWebhook(w http.ResponseWriter, r *http.Request, status int, body *webhookBody) error {
	ds, err := s.hooks.Deliveries(r.Context(), viewerFrom(r.Context()).P,
		heed.DeliveryFilter{WebhookID: body.Webhook.ID, Limit: recentDeliveries})
	if err != nil {
		return err
	}
	body.Deliveries, body.Events = ds, heed.WebhookEvents()
	return s.render(w, r, status, "webhook", view{Title: "Webhook " + strconv.FormatInt(body.Webhook.ID, 10), Section: "webhooks", Body: body})
}

// webhookSave changes a webhook; its secret stays.
func (s *server) webhookSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "webhook")
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	old, err := s.hooks.Get(r.Context(), v.P, id)
	if err != nil {
		return err
	}
	hook, f, err := parseWebhookForm(r)
	if err != nil {
		return err
	}
	hook.ID = id
	if _, err := s.hooks.Update(r.Context(), v.P, hook); err != nil {
		status, ok := fieldStatus(err)
		if !ok {
			return err
		}
		field, _, _ := strings.Cut(heed.ErrorField(err), "[")
		return s.renderWebhook(w, r, status, &webhookBody{Webhook: old, Form: f, Error: sentence(heed.ErrorMessage(err)), ErrorID: field})
	}
	http.Redirect(w, r, "/settings/webhooks/"+strconv.FormatInt(id, 10)+"?done=saved", http.StatusSeeOther)
	return nil
}

// webhookDelete removes a webhook and its deliveries.
func (s *server) webhookDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "webhook")
	if err != nil {
		return err
	}
	if err := s.hooks.Delete(r.Context(), viewerFrom(r.Context()).P, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings/webhooks?done=deleted", http.StatusSeeOther)
	return nil
}

// webhookRedeliver sends one delivery again — one of the webhook in the
// path: a delivery of another webhook is not found here, and is not sent.
func (s *server) webhookRedeliver(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "webhook")
	if err != nil {
		return err
	}
	did, err := pathID(r, "delivery", "delivery")
	if err != nil {
		return err
	}
	ctx, v := r.Context(), viewerFrom(r.Context())
	// The webhook's deliveries from this one down, newest first: the
	// first is this one if it is the webhook's.
	ds, err := s.hooks.Deliveries(ctx, v.P, heed.DeliveryFilter{WebhookID: id, BeforeID: did + 1, Limit: 1})
	if err != nil {
		return err
	}
	if len(ds) == 0 || ds[0].ID != did {
		return heed.Errorf(heed.ENotFound, "webhook %d has no delivery %d", id, did)
	}
	if _, err := s.hooks.Redeliver(ctx, v.P, did); err != nil {
		return err
	}
	http.Redirect(w, r, "/settings/webhooks/"+strconv.FormatInt(id, 10)+"?done=redelivered", http.StatusSeeOther)
	return nil
}
