// Printing a form: the 打印 buttons open the browser's print dialog, and the print page opens it by itself.
// (A script file, not an onclick attribute: the content security policy allows scripts from this site only.)
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  if (document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () { window.print(); });
  }
})();
