// Self-evaluation form: suggested scores, execution score, total, grade, findings and what still
// blocks submission all follow what is typed (the server computes them; nothing is saved).
(function () {
  "use strict";
  const form = document.getElementById("evaluation-form");
  if (!form) return;
  const url = form.dataset.previewUrl;
  // the rows' fields come from the record's shape on the server (cycle/shapes.py), not from here
  const shape = JSON.parse(form.dataset.rowFields || "{}");
  const roles = shape.roles || {};
  function rowInput(index, role) {
    return shape.prefix + "-" + index + "-" + roles[role];
  }
  let timer = null;
  let latest = null; // the last preview: what 采用建议分 fills in

  function show(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value === null || value === undefined ? "—" : value;
  }

  function findingList(items) {
    const ul = document.createElement("ul");
    ul.className = "findings";
    items.forEach(function (f) {
      const li = document.createElement("li");
      li.className = "finding sev-" + f.severity;
      const sev = document.createElement("span");
      sev.className = "sev";
      sev.textContent = f.label || ""; // core's word for the severity, sent with the finding
      li.append(sev, " " + f.message);
      ul.append(li);
    });
    return ul;
  }

  function refresh() {
    return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return null;
        latest = data;
        show("live-execution", data.execution ? data.execution.suggested : null);
        show("live-total", data.total_suggested);
        show("live-grade", data.grade_suggested);
        data.indicators.forEach(function (score, index) {
          const row = form.querySelector("tr.evaluation-row[data-index='" + index + "']");
          if (!row) return;
          const strong = row.querySelector(".suggested");
          if (strong) {
            strong.className = "suggested" + (score.differs ? " differs" : "");
            strong.textContent = score.suggested === null ? "—" : score.suggested;
          }
          const explain = row.querySelector(".explain");
          if (explain) explain.textContent = score.scorable ? score.explanation : "不能评分：" + (score.reason || "");
          const holder = row.querySelector(".row-findings");
          if (holder) holder.replaceChildren(findingList(data.row_findings[String(index)] || []));
          const adopt = row.querySelector("button.adopt");
          if (adopt) adopt.disabled = score.suggested === null;
          const reason = row.querySelector("[name='" + rowInput(index, "reason") + "']");
          if (reason) {
            reason.required = !!score.differs;
            reason.placeholder = score.differs ? "填报得分与建议得分不同，请说明理由" : "得分理由（选填）";
          }
        });
        const panel = form.querySelector(".problems");
        const problems = document.getElementById("live-problems");
        const general = document.getElementById("live-general");
        if (panel && problems && general) {
          problems.replaceChildren.apply(problems, data.problems.map(function (text) {
            const li = document.createElement("li");
            li.className = "finding sev-error";
            li.textContent = text;
            return li;
          }));
          general.replaceChildren(findingList(data.general_findings));
          panel.hidden = data.problems.length === 0 && data.general_findings.length === 0;
        }
        return data;
      })
      .catch(function () { return null; /* the server checks again on save */ });
  }

  function set(name, value) {
    const input = form.querySelector("[name='" + name + "']");
    if (input && value !== null && value !== undefined) input.value = value;
  }

  // 采用建议分: the suggestion of the form as it stands now (a fresh preview), written into the score inputs.
  // Without JavaScript the same buttons post the form and the server fills the scores (views._adopt).
  function adopt(which) {
    refresh().then(function (data) {
      if (!data) return;
      data.indicators.forEach(function (score, index) {
        if ((which === "all" || which === String(index)) && score.suggested !== null) {
          set(rowInput(index, "score"), score.suggested);
        }
      });
      if (which !== "all") return refresh();
      if (data.execution && data.execution.suggested !== null) set("execution_score", data.execution.suggested);
      // every row scored: the total and grade they make follow, as the server's 全部采用 fills them
      return refresh().then(function (scored) {
        const complete = scored && scored.indicators.every(function (s) { return s.recorded !== null; });
        if (!complete || scored.total_recorded === null) return null;
        set("total_score", scored.total_recorded);
        return refresh().then(function (graded) {
          if (graded && graded.grade_recorded) set("grade", graded.grade_recorded);
          return refresh();
        });
      });
    });
  }

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button[name='adopt']");
    if (!button) return;
    event.preventDefault();
    adopt(button.value);
  });

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
