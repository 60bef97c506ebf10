// Monitoring form: the execution rate, the money checks and every finding (the monitoring alerts among
// them) follow what is typed. The server computes them from the form as posted; nothing is saved.
(function () {
  "use strict";
  const form = document.getElementById("monitoring-form");
  if (!form) return;
  const url = form.dataset.previewUrl;
  let timer = null;

  function findingList(items) {
    const ul = document.createElement("ul");
    ul.className = "findings";
    items.forEach(function (f) {
      const li = document.createElement("li");
      li.className = "finding sev-" + f.severity;
      const sev = document.createElement("span");
      sev.className = "sev";
      sev.textContent = f.label || "";
      li.append(sev, " " + f.message);
      ul.append(li);
    });
    return ul;
  }

  function notes(texts, severity) {
    return texts.map(function (text) {
      const li = document.createElement("li");
      li.className = "finding sev-" + severity;
      li.textContent = text;
      return li;
    });
  }

  function refresh() {
    return fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        const rate = document.getElementById("live-rate");
        if (rate) rate.textContent = data.rate === null ? "—" : data.rate + "%";
        const money = document.getElementById("live-money");
        if (money) money.replaceChildren.apply(money, notes(data.problems, "error").concat(notes(data.warnings, "warning")));
        form.querySelectorAll("tr.monitoring-row").forEach(function (row) {
          const holder = row.querySelector(".row-findings");
          const hidden = holder ? holder.querySelector("input[type=hidden]") : null;
          if (!holder) return;
          holder.replaceChildren(findingList(data.row_findings[row.dataset.index] || []));
          if (hidden) holder.append(hidden); // the row's indicator id travels with the form
        });
        const general = document.getElementById("live-general");
        const panel = form.querySelector(".problems");
        if (general) general.replaceChildren(findingList(data.general_findings));
        if (panel) panel.hidden = data.general_findings.length === 0;
      })
      .catch(function () { return null; /* the server checks again on save */ });
  }

  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  refresh();
})();
