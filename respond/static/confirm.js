// Heed: record a score chosen in an email, but only for a person.
//
// A page opened from a score in an invitation email (?score=N) shows N
// preselected and records nothing by itself, because mail security
// scanners open every link. On the first real interaction — a pointer
// press, a key press or a touch, which scanners do not produce; never on
// load, scroll or focus — this posts the score then selected to
// /s/{token}/confirm in the background, a moment later, so a tap that
// picks another score posts that one. Sending the form records it too;
// a form sent while that post is under way waits for it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-confirm]");
  if (!form || !window.fetch) return;
  var url = form.getAttribute("data-confirm");
  var events = ["pointerdown", "keydown", "touchstart"];
  var pending = null;
  var submitted = false;

  function confirmScore(ev) {
    if (pending || !ev.isTrusted) return;
    events.forEach(function (name) { document.removeEventListener(name, confirmScore, true); });
    // The press comes before the click that changes a radio: read the
    // score once that click has landed.
    pending = new Promise(function (resolve) { setTimeout(resolve, 400); }).then(function () {
      var chosen = form.querySelector('input[name="score"]:checked');
      if (!chosen) return;
      var body = new URLSearchParams();
      body.set("score", chosen.value);
      return fetch(url, { method: "POST", body: body, credentials: "same-origin", keepalive: true });
    }).catch(function () {});
  }

  events.forEach(function (name) {
    document.addEventListener(name, confirmScore, { capture: true, passive: true });
  });

  form.addEventListener("submit", function (ev) {
    if (!pending || submitted) return;
    ev.preventDefault();
    submitted = true;
    pending.then(function () { form.submit(); });
  });
})();
