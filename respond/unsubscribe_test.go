package respond_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/heedhq/heed/survey"
)

func TestUnsubscribe(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-1")

	// Scanners fetch the link: the page only asks.
	for range 2 {
		p := e.get(link+"/unsubscribe", nil)
		wantStatus(t, p, 200, "unsubscribe page")
		wantContains(t, p, "unsubscribe page", "<h1>"+survey.UIText("en").UnsubscribeQ+"</h1>",
			`<form method="post" action="`+link+`/unsubscribe"><button type="submit" class="send">Unsubscribe from surveys</button></form>`)
	}
	if !e.customer("C-1").Consent {
		t.Fatal("GET unsubscribe withdrew consent")
	}

	// A button press from another site is refused.
	p := e.post(link+"/unsubscribe", nil, header("Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"))
	wantStatus(t, p, 403, "cross-site unsubscribe")
	if !e.customer("C-1").Consent {
		t.Fatal("a cross-site post withdrew consent")
	}

	p = e.post(link+"/unsubscribe", nil, nil)
	wantStatus(t, p, 200, "unsubscribe")
	wantContains(t, p, "unsubscribed", "You will not receive any more surveys from us.")
	if e.customer("C-1").Consent {
		t.Error("consent is still given after unsubscribing")
	}
	// Again: still fine, still unsubscribed.
	wantStatus(t, e.post(link+"/unsubscribe", nil, nil), 200, "unsubscribe twice")

	p = e.post("/s/"+strings.Repeat("Z", 32)+"/unsubscribe", nil, nil)
	wantStatus(t, p, 404, "unsubscribe unknown link")
}

func TestOneClickUnsubscribe(t *testing.T) {
	e := newEnv(t, envOptions{})
	link, _ := e.invite("visit", "C-NL")
	// RFC 8058: the provider's server posts the body alone, no Origin.
	req := e.request(http.MethodPost, link+"/unsubscribe", strings.NewReader("List-Unsubscribe=One-Click"), nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	p := e.do(req)
	wantStatus(t, p, 200, "one-click")
	wantContains(t, p, "one-click", `<html lang="nl">`, survey.UIText("nl").Unsubscribed)
	if e.customer("C-NL").Consent {
		t.Error("one-click unsubscribe left consent given")
	}

	// A provider that sends its own Origin, and a multipart body, counts too.
	link, _ = e.invite("visit", "C-DE")
	body := "--b\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--b--\r\n"
	req = e.request(http.MethodPost, link+"/unsubscribe", strings.NewReader(body),
		header("Origin", "https://mail.provider.example", "Sec-Fetch-Site", "cross-site"))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	wantStatus(t, e.do(req), 200, "multipart one-click from another origin")
	if e.customer("C-DE").Consent {
		t.Error("multipart one-click unsubscribe left consent given")
	}
}
