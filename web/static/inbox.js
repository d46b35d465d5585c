// The inbox's live updates: the server sends an "inbox" event when what
// the page shows has changed (a case of the viewer's opened, changed, handed
// over or closed; a new answer), and this script fetches the page again and swaps
// in the lists. While a note is being typed, it only says there is news,
// so nothing typed is lost. Without JavaScript the page works as it is.
(() => {
  "use strict";
  const live = document.getElementById("inbox-live");
  const news = document.getElementById("inbox-news");
  const show = document.getElementById("inbox-show");
  const status = document.getElementById("inbox-status");
  if (!live || !news || !show || !window.EventSource || !window.fetch) return;

  let fetching = false;
  let again = false;

  // typing reports whether a field in the lists holds unsent text.
  const typing = () =>
    [...live.querySelectorAll("input[type=text], textarea")].some((el) => el.value.trim() !== "");

  const refresh = async () => {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      const resp = await fetch(location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!resp.ok || resp.redirected) return;
      const doc = new DOMParser().parseFromString(await resp.text(), "text/html");
      const fresh = doc.getElementById("inbox-live");
      if (!fresh) return;
      live.replaceChildren(...fresh.childNodes);
      live.setAttribute("data-since", fresh.getAttribute("data-since") || "");
      news.hidden = true;
      status.textContent = "Inbox updated.";
    } catch (e) {
      // Offline for a moment: the next event tries again.
    } finally {
      fetching = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };

  const src = live.getAttribute("data-events") + "?since=" + encodeURIComponent(live.getAttribute("data-since") || "");
  const events = new EventSource(src);
  events.addEventListener("inbox", () => {
    if (typing()) {
      news.hidden = false;
      return;
    }
    refresh();
  });
  show.addEventListener("click", refresh);
  // Leaving the page closes the stream at once rather than at the
  // server's next write.
  window.addEventListener("pagehide", () => events.close());
})();
