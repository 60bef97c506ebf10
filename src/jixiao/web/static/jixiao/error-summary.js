// The error summary of a refused form: a link puts the cursor in its field, with the field's label in view.
(function () {
  "use strict";
  const summary = document.querySelector(".error-summary");
  if (!summary) return;
  summary.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    // the label sits above its field; in a table row the row itself is what gives the context
    const context = field.closest(".field, tr") || field;
    context.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
  summary.focus();
})();
