// Import job page: follow the progress while the server reads or loads, then show the result.
(function () {
  "use strict";
  const panel = document.getElementById("progress-panel");
  if (!panel || panel.dataset.busy !== "1") return;
  const url = panel.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        document.getElementById("job-progress").max = data.total;
        document.getElementById("job-progress").value = data.done;
        document.getElementById("job-count").textContent = data.done + " / " + data.total;
        document.getElementById("job-state").textContent = data.label;
        if (["uploaded", "reading", "loading"].indexOf(data.state) >= 0) {
          setTimeout(poll, 1000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
