// Import check page: clicking a value shows its box on the scanned page; clicking a box shows its value.
(function () {
  "use strict";
  function mark(path) {
    document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
    let box = null;
    document.querySelectorAll("[data-path]").forEach(function (el) {
      if (el.dataset.path !== path) return;
      el.classList.add("focus");
      if (el.tagName.toLowerCase() === "rect") box = el;
    });
    return box;
  }
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button.check-value");
    if (button) {
      const box = mark(button.dataset.path);
      if (box) box.closest("figure").scrollIntoView({ block: "nearest", behavior: "smooth" });
      return;
    }
    const rect = event.target.closest("rect[data-path]");
    if (rect) {
      mark(rect.dataset.path);
      const row = document.querySelector("tr.check-row[data-path='" + CSS.escape(rect.dataset.path) + "']");
      if (row) row.scrollIntoView({ block: "center", behavior: "smooth" });
    }
  });
})();
