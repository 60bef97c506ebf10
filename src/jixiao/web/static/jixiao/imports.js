// Import job page: follow the progress while the server reads or loads, then show the result.
(function () {
  "use strict";
  const panel = document.getElementById("progress-panel");
  if (!panel || panel.dataset.busy !== "1") return;
  const url = panel.dataset.statusUrl;
  // counts as every page prints them: 1,234 (whole numbers, so no float can change a digit)
  function count(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        const bar = document.getElementById("job-progress");
        if (data.state === "loading") {
          // loading is one transaction: there is no partial progress to show, only that it is under way
          bar.removeAttribute("value");
          document.getElementById("job-count").textContent = "正在写入 " + count(data.total) + " 个文件的记录…";
        } else {
          bar.max = data.total;
          bar.value = data.done;
          // a scan tells the page it is on (OCR takes seconds a page)
          document.getElementById("job-count").textContent =
            count(data.done) + " / " + count(data.total) + (data.step ? "　" + data.step : "");
        }
        document.getElementById("job-state").textContent = data.label;
        if (["uploaded", "reading", "confirmed", "loading"].indexOf(data.state) >= 0) {
          setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
