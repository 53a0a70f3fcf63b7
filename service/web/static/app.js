// spoormatch: small progressive enhancements; every page also works without them.
"use strict";

// <div data-load="/url">: fetch a part of the page (e.g. suggestions, which take a
// moment to compute) and show progress meanwhile.
function loadParts(root) {
  root.querySelectorAll("[data-load]").forEach(function (el) {
    var url = el.getAttribute("data-load");
    el.removeAttribute("data-load");
    el.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "X-Partial": "1" } })
      .then(function (r) {
        if (r.redirected && r.url.indexOf("/login") >= 0) { window.location = r.url; return ""; }
        return r.text().then(function (t) { return r.ok ? t : "<p class='error'>Laden mislukt (" + r.status + "). Laad de pagina opnieuw.</p>"; });
      })
      .then(function (html) { el.innerHTML = html; el.removeAttribute("aria-busy"); loadParts(el); })
      .catch(function () { el.innerHTML = "<p class='error'>Laden mislukt: geen verbinding.</p>"; });
  });
}

// <form data-busy="Bezig met ...">: after submit, disable the button and show progress.
function busyForms(root) {
  root.addEventListener("submit", function (ev) {
    var form = ev.target;
    var text = form.getAttribute && form.getAttribute("data-busy");
    if (!text) { return; }
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    var note = document.createElement("p");
    note.className = "loading"; note.setAttribute("role", "status");
    note.innerHTML = "<progress></progress> " + text;
    form.appendChild(note);
  });
}

document.addEventListener("DOMContentLoaded", function () { loadParts(document); busyForms(document); });
