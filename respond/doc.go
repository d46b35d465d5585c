// Package respond is the respondent's face of Heed: the survey pages
// behind personal and anonymous links, the unsubscribe page and the
// embeddable widget, served under /s/ without an account. It calls only
// the survey service; pages work without JavaScript and on a phone.
//
// # One tap, and never an answer from a machine
//
// Without a score in its address, a personal link (/s/{token}) opens on
// the main question alone, each score a submit button: one tap posts the
// score and records the answer, and the page that follows asks the
// reason and any extra questions, with the score shown as a radio group
// that can still be changed. Each later post changes the same response while
// survey.ChangeWindow (24 hours) lasts.
//
// The score buttons in an invitation email link to the page with
// ?score=N. Mail security scanners fetch every link in a message, so
// opening such a link (a GET) never records anything: the page opens at
// the reason step with N preselected, and the score counts only when
//
//   - the respondent sends the form (Send), or
//   - confirm.js, a small script served from this origin (the pages allow
//     no inline script), posts the preselected score in the background to
//     POST /s/{token}/confirm on the first real interaction with the page:
//     a pointer press, a key press or a touch. Scanners do not produce
//     these events; the script posts nothing on load, on scroll or on
//     focus. A form sent while that post is under way waits for it.
//
// So a respondent who taps N in the email and then touches the page in
// any way has answered N, with or without a reason; a scanner, or a
// person who closes the page without touching it, has answered nothing.
//
// Unsubscribing follows the same rule: GET /s/{token}/unsubscribe shows
// a button, and only a POST (the button, or a mail provider's RFC 8058
// one-click request) withdraws consent.
package respond
