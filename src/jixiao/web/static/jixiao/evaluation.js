// Self-evaluation form: suggested scores, execution score, total and grade follow what is typed.
(function () {
  "use strict";
  const form = document.getElementById("evaluation-form");
  if (!form) return;
  const url = form.dataset.previewUrl;
  let timer = null;

  function show(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value === null || value === undefined ? "—" : value;
  }

  function refresh() {
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        show("live-execution", data.execution ? data.execution.suggested : null);
        show("live-total", data.total_suggested);
        show("live-grade", data.grade_suggested);
        data.indicators.forEach(function (score, index) {
          const row = form.querySelector("tr.evaluation-row[data-index='" + index + "']");
          if (!row) return;
          const cell = row.querySelector("td.suggestion");
          const strong = cell.querySelector(".suggested") || document.createElement("strong");
          strong.className = "suggested" + (score.differs ? " differs" : "");
          strong.textContent = score.suggested === null ? "—" : score.suggested;
          let explain = cell.querySelector(".explain");
          if (!explain) {
            explain = document.createElement("div");
            explain.className = "explain";
            cell.prepend(explain);
          }
          explain.textContent = score.explanation;
          cell.prepend(strong);
          const reason = row.querySelector("[name$='-score_reason']");
          if (reason) {
            reason.required = !!score.differs;
            reason.placeholder = score.differs ? "填报得分与建议得分不同，请说明理由" : "得分理由（选填）";
          }
        });
      })
      .catch(function () { /* the server recomputes on save */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
