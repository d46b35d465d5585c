// The survey editor's live preview: as the admin types, the iframe shows
// the respondent's page for the form as it stands, unsaved. The page
// works without this script: its Update button posts the form into the
// iframe, and Save shows the saved survey there.
(() => {
  "use strict";
  const form = document.getElementById("survey-form");
  const frame = document.getElementById("preview");
  const lang = document.getElementById("preview-lang");
  const button = document.getElementById("preview-button");
  if (!form || !frame || !lang || !button) return;

  const url = button.getAttribute("formaction");
  let timer = 0;
  let last = "";

  // refresh loads the preview of the current fields with GET and
  // location.replace, so typing does not fill the back button's history.
  const refresh = () => {
    clearTimeout(timer);
    const data = new FormData(form);
    const query = new URLSearchParams(data).toString();
    if (query === last) return;
    last = query;
    frame.setAttribute("aria-busy", "true");
    frame.contentWindow.location.replace(url + "?" + query);
  };
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 350);
  };

  frame.addEventListener("load", () => frame.removeAttribute("aria-busy"));
  // Shown again with unsaved changes (a question added, an error): the
  // iframe still holds the saved survey until it is told otherwise.
  if (form.hasAttribute("data-dirty")) refresh();
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  lang.addEventListener("change", refresh);
  button.addEventListener("click", (e) => {
    e.preventDefault();
    last = "";
    refresh();
  });

  // Typing into a language's texts shows that language.
  form.addEventListener("focusin", (e) => {
    const section = e.target.closest("[data-lang]");
    if (!section) return;
    const tag = section.getAttribute("data-lang");
    if (lang.value !== tag && [...lang.options].some((o) => o.value === tag)) {
      lang.value = tag;
      refresh();
    }
  });
  // Opening a language's section shows it too.
  for (const d of form.querySelectorAll("details[data-lang]")) {
    d.addEventListener("toggle", () => {
      const tag = d.getAttribute("data-lang");
      if (d.open && lang.value !== tag && [...lang.options].some((o) => o.value === tag)) {
        lang.value = tag;
        refresh();
      }
    });
  }
})();
