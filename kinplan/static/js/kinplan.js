// Kinplan's only script besides htmx. The Content Security Policy allows no inline script or event handler
// (no onclick="…"), so behaviour that a page needs is wired up here, from data- attributes.

// Send Django's CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});

// A refused form comes back as 400 with the form and its messages: show it in place like any other answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// <button type="button" data-print> prints the page. Delegated, so it also works in content htmx swaps in.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
