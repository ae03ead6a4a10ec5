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

// The top bar's <details class="menu"> is shown open on a wide screen by CSS (::details-content). Where a browser does
// not know ::details-content, open it here on a wide screen and fold it on a narrow one, following the window's width.
(function () {
  var supported = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (supported || !window.matchMedia) { return; }
  var wide = window.matchMedia("(min-width: 1024px)");
  function follow() {
    var menus = document.querySelectorAll("details[data-menu]");
    for (var i = 0; i < menus.length; i++) { menus[i].open = wide.matches; }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", follow); } else { follow(); }
  if (wide.addEventListener) { wide.addEventListener("change", follow); }
})();

// On a phone a table.list is shown as one card per row (see kinplan.css): label each cell with its column's heading.
function labelTableCells(root) {
  var tables = root.querySelectorAll("table.list");
  for (var t = 0; t < tables.length; t++) {
    var headings = tables[t].querySelectorAll("thead tr:last-child th");
    if (!headings.length) { continue; }
    var rows = tables[t].querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var column = 0;
      for (var c = 0; c < rows[r].cells.length; c++) {
        var cell = rows[r].cells[c];
        var heading = headings[column];
        var label = heading ? heading.textContent.trim() : "";
        var labelled = cell.tagName === "TD" && label && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan");
        if (labelled && cell.textContent.trim() && !cell.classList.contains("actions")) {
          cell.setAttribute("data-label", label);
        }
        column += cell.colSpan || 1;
      }
    }
  }
}
document.addEventListener("DOMContentLoaded", function () { labelTableCells(document); });
// Rows that htmx swaps in (a step marked done, a new relationship) get their labels too.
document.addEventListener("htmx:load", function () { labelTableCells(document); });
