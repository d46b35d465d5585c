// Heed survey widget. A site listed in the survey's origins includes it:
//
//   <script src="https://heed.example/s/widget.js" data-survey="KEY" async></script>
//
// Hidden fields are read from attributes named after them
// (data-order_id="123"). It shows a small panel in a corner of the page
// (in a shadow root, so the site's styles and ours do not mix), posts the
// answer as JSON and thanks the respondent. Closed or answered, it stays
// away from that browser for 90 days. No framework, no cookies.
(function () {
  "use strict";
  var me = document.currentScript;
  var key = me && me.getAttribute("data-survey");
  if (!key || !window.fetch || !Element.prototype.attachShadow) return;
  var api = me.src.replace(/\/s\/widget\.js([?#].*)?$/, "") + "/s/widget/" + encodeURIComponent(key);
  var memo = "heed-widget:" + key;
  var quiet = 90 * 24 * 3600 * 1000;
  try {
    if (Date.now() - Number(localStorage.getItem(memo) || 0) < quiet) return;
  } catch (e) { /* storage blocked: ask anyway */ }

  var CSS = [
    ":host{all:initial}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    ".panel{position:fixed;right:16px;bottom:16px;z-index:2147483000;width:min(380px,calc(100vw - 32px));max-height:calc(100vh - 32px);overflow:auto;",
    "padding:16px;background:#fff;color:#1b2330;border-radius:12px;box-shadow:0 8px 32px rgba(16,24,40,.28);font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}",
    "h2{margin:0 48px 8px 0;font-size:17px;line-height:1.3}",
    "fieldset{border:0;margin:0 0 12px;padding:0;min-width:0}",
    "legend{padding:0;margin:0 0 8px;font-weight:650}",
    ".pts{display:grid;gap:4px;grid-template-columns:repeat(6,1fr)}.n5{grid-template-columns:repeat(5,1fr)}.n7{grid-template-columns:repeat(7,1fr)}",
    "button{font:inherit;cursor:pointer}",
    ".pts button{min-height:44px;min-width:44px;padding:0;border:2px solid #0f6b66;border-radius:8px;background:#fff;color:#0a524e;font-weight:700}",
    ".pts button[aria-pressed=true]{background:#0f6b66;color:#fff}",
    ":focus-visible{outline:3px solid #1b2330;outline-offset:2px}",
    ".ends{display:flex;justify-content:space-between;gap:8px;margin:6px 0 0;font-size:13px;color:#4f5968}",
    ".ends span:last-child{text-align:right}",
    "label.f{display:block;margin:0 0 4px;font-weight:650}",
    ".opt{color:#4f5968;font-weight:400}",
    "textarea,input[type=text]{display:block;width:100%;padding:8px;border:1px solid #6b7280;border-radius:8px;font:inherit;color:inherit;background:#fff}",
    "textarea{min-height:80px;margin-bottom:12px;resize:vertical}",
    ".c{display:flex;align-items:center;gap:8px;min-height:44px}.c input{width:20px;height:20px;margin:0;accent-color:#0f6b66}",
    ".send{display:block;width:100%;min-height:44px;margin-top:12px;border:0;border-radius:8px;background:#0f6b66;color:#fff;font-weight:700}",
    ".x{position:absolute;top:6px;right:6px;width:44px;height:44px;border:0;border-radius:8px;background:transparent;color:#1b2330;font-size:26px;line-height:1}",
    ".err{margin:8px 0 0;color:#a8201a;font-weight:650}",
    ".code{padding:8px;border-radius:8px;background:#f4f5f7;font:700 20px ui-monospace,monospace;text-align:center;user-select:all}"
  ].join("");

  fetch(api, { credentials: "omit" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (cfg) { if (cfg) whenReady(function () { show(cfg); }); })
    .catch(function () { /* no widget rather than a broken one */ });

  // whenReady runs fn once there is a body (an async script in the head
  // can run before it is parsed).
  function whenReady(fn) {
    if (document.body) fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // el makes an element: el("p", {class: "x"}, "text", child, …).
  function el(tag, attrs) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }

  function style(root) {
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      root.appendChild(el("style", {}, CSS));
    }
  }

  function remember() {
    try { localStorage.setItem(memo, String(Date.now())); } catch (e) { /* ignore */ }
  }

  function show(cfg) {
    var host = el("div", { "data-heed-widget": key });
    var root = host.attachShadow({ mode: "open" });
    style(root);
    var score = null;
    var panel = el("section", { class: "panel", role: "dialog", "aria-labelledby": "t", lang: cfg.language });
    var close = el("button", { type: "button", class: "x", "aria-label": cfg.close, title: cfg.close }, "\u00d7");
    var pts = el("div", { class: "pts n" + (cfg.max - cfg.min + 1) });
    var more = el("div", { hidden: true });
    var err = el("p", { class: "err", role: "alert" });
    var form = el("form", { novalidate: true },
      el("fieldset", {},
        el("legend", {}, cfg.question),
        pts,
        el("p", { class: "ends" },
          el("span", { id: "lo" }, cfg.min + " = " + cfg.low), " ",
          el("span", { id: "hi" }, cfg.max + " = " + cfg.high))),
      more, err);
    for (var n = cfg.min; n <= cfg.max; n++) {
      var b = el("button", { type: "button", "aria-pressed": "false", value: String(n),
        "aria-describedby": n === cfg.min ? "lo" : n === cfg.max ? "hi" : null }, String(n));
      pts.appendChild(b);
    }
    pts.addEventListener("click", function (ev) {
      var b = ev.target.closest("button");
      if (!b) return;
      score = Number(b.value);
      pts.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", String(x === b)); });
      more.hidden = false;
    });
    more.appendChild(el("label", { class: "f", for: "c" }, cfg.reason, " ", el("span", { class: "opt" }, "(" + cfg.optional + ")")));
    more.appendChild(el("textarea", { id: "c", maxlength: "5000", rows: "3" }));
    cfg.questions.forEach(function (q) { more.appendChild(question(cfg, q)); });
    var send = el("button", { type: "submit", class: "send" }, cfg.submit);
    more.appendChild(send);

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (score === null) return;
      send.disabled = true;
      err.textContent = "";
      post(cfg, form, score).then(function (res) {
        send.disabled = false;
        if (!res.ok) { err.textContent = res.body.error || ""; return; }
        remember();
        var done = el("div", { role: "status" }, el("p", {}, res.body.thanks));
        if (res.body.reward) {
          done.appendChild(el("p", {}, res.body.reward_txt));
          done.appendChild(el("p", { class: "code" }, res.body.reward));
        }
        form.replaceWith(done);
        close.focus();
      });
    });
    close.addEventListener("click", function () { remember(); host.remove(); });
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") { remember(); host.remove(); }
    });
    panel.appendChild(close);
    panel.appendChild(el("h2", { id: "t" }, cfg.title));
    panel.appendChild(form);
    root.appendChild(panel);
    document.body.appendChild(host);
  }

  // question builds an extra question: radios, checkboxes or a text input.
  function question(cfg, q) {
    var mark = el("span", { class: "opt" }, "(" + (q.required ? cfg.required : cfg.optional) + ")");
    if (q.type === "text") {
      return el("p", {}, el("label", { class: "f", for: "q-" + q.id }, q.label, " ", mark),
        el("input", { type: "text", id: "q-" + q.id, "data-q": q.id, maxlength: "5000" }));
    }
    var fs = el("fieldset", {}, el("legend", {}, q.label, " ", mark));
    (q.options || []).forEach(function (o, i) {
      var id = "q-" + q.id + "-" + i;
      fs.appendChild(el("div", { class: "c" },
        el("input", { type: q.type === "multiple" ? "checkbox" : "radio", id: id, name: "q-" + q.id, value: o.value, "data-q": q.id }),
        el("label", { for: id }, o.label)));
    });
    return fs;
  }

  function post(cfg, form, score) {
    var answers = {};
    cfg.questions.forEach(function (q) {
      var inputs = form.querySelectorAll('[data-q="' + q.id + '"]');
      var vals = [];
      inputs.forEach(function (i) {
        if ((i.type === "text" && i.value.trim()) || i.checked) vals.push(i.value);
      });
      if (q.type === "multiple") answers[q.id] = vals;
      else if (vals.length) answers[q.id] = vals[0];
    });
    var hidden = {};
    cfg.hidden.forEach(function (h) {
      var v = me.getAttribute("data-" + h);
      if (v != null) hidden[h] = v;
    });
    var body = { score: score, comment: form.querySelector("textarea").value, answers: answers, hidden: hidden, language: cfg.language };
    return fetch(api + "/responses", {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, body: b }; });
    }).catch(function () { return { ok: false, body: {} }; });
  }
})();
