// Indicator tree editor: add, remove and reorder rows; read each target as it is typed.
(function () {
  "use strict";
  const form = document.getElementById("declaration-form");
  if (!form) return;
  const table = document.getElementById("indicator-editor");
  const body = table.querySelector("tbody");
  const template = document.getElementById("indicator-template");
  // the rows' fields come from the record's shape on the server (cycle/shapes.py), not from here
  const shape = JSON.parse(form.dataset.rowFields || "{}");
  const roles = shape.roles || {};
  const levels = (roles.levels || "").split(" ");
  const numbered = new RegExp(shape.prefix + "-(\\d+|__prefix__)-");
  const total = form.querySelector("input[name='" + shape.prefix + "-TOTAL_FORMS']");
  const checkUrl = form.dataset.checkUrl;

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }
  function fieldOf(inputName) {
    return inputName.split("-").pop(); // {prefix}-{n}-{field}
  }

  // Django formsets number their fields; after a move or an add the numbers follow the rows.
  function renumber() {
    const rows = body.querySelectorAll("tr.indicator-row");
    rows.forEach(function (row, index) {
      row.querySelectorAll("input, select, textarea").forEach(function (el) {
        ["name", "id"].forEach(function (attr) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(numbered, shape.prefix + "-" + index + "-"));
        });
      });
    });
    total.value = rows.length;
  }

  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  let timer = null;
  function check(row) {
    const target = field(row, roles.target);
    const cell = row.querySelector("td.check");
    if (!target || !cell) return;
    // the check's parameters: target, name, level1, level2, and the declaration for last year's values (views.target_check)
    const params = new URLSearchParams({
      declaration: form.dataset.declaration || "",
      target: target.value,
      name: (field(row, roles.name) || {}).value || "",
      level1: (field(row, levels[0]) || {}).value || "",
      level2: (field(row, levels[1]) || {}).value || "",
    });
    fetch(checkUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        const items = data.findings.map(function (f) {
          // the word comes with the finding from the server (core's Severity.label): never a copy here
          return '<li class="finding sev-' + f.severity + '"><span class="sev">' + escapeHtml(f.label) + "</span> " + escapeHtml(f.message) + "</li>";
        });
        cell.innerHTML = '<div class="reading">' + escapeHtml(data.reading) + "</div>" +
          (items.length ? '<ul class="findings">' + items.join("") + "</ul>" : "");
      })
      .catch(function () { /* offline: the server checks again on save */ });
  }

  // The weights against the rule pack's shares (90 for the indicators, level-1 defaults), asked of the
  // server as they are typed: the same check that refuses 保存并提交 (cycle/shares.py).
  const shareBox = document.getElementById("share-check");
  let shareTimer = null;
  let blocking = shareBox ? shareBox.classList.contains("blocking") : false;

  function item(severity, label, text) {
    const li = document.createElement("li");
    li.className = "finding sev-" + severity;
    const sev = document.createElement("span");
    sev.className = "sev";
    sev.textContent = label;
    li.append(sev, " " + text);
    return li;
  }

  function drawShares(data) {
    blocking = !!data.blocking;
    shareBox.classList.toggle("blocking", blocking);
    document.getElementById("share-sum").textContent = data.summary;
    document.getElementById("share-level1").replaceChildren.apply(
      document.getElementById("share-level1"),
      data.level1.map(function (c) {
        const li = document.createElement("li");
        const small = document.createElement("small");
        small.textContent = "（默认 " + c.expected + " 分）";
        li.append(c.name + " " + c.sum + " 分", small);
        return li;
      })
    );
    const items = data.missing.map(function (m) { return item("error", data.missing_label, m); }).concat(
      data.findings.map(function (f) { return item(f.severity, f.label, f.message); })
    );
    const list = document.getElementById("share-findings");
    list.replaceChildren.apply(list, items);
    document.getElementById("share-block").hidden = !blocking;
  }

  function checkShares() {
    if (!shareBox) return;
    fetch(shareBox.dataset.url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) drawShares(data); })
      .catch(function () { /* offline: the server checks again on submission */ });
  }

  function sharesSoon() {
    clearTimeout(shareTimer);
    shareTimer = setTimeout(checkShares, 300);
  }

  // 保存并提交 with weights the server would refuse: say so here instead of a round trip (drafts still save)
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "submit" && blocking && shareBox) {
      event.preventDefault();
      document.getElementById("share-block").hidden = false;
      shareBox.focus();
    }
  });

  body.addEventListener("input", function (event) {
    const name = fieldOf(event.target.name || "");
    if ([roles.weight, levels[0], roles.name].includes(name)) sharesSoon();
    const row = event.target.closest("tr.indicator-row");
    if (!row || ![roles.target, roles.name].concat(levels).includes(name)) return;
    clearTimeout(timer);
    timer = setTimeout(function () { check(row); }, 350);
  });
  body.addEventListener("change", function (event) {
    if (/-DELETE$/.test(event.target.name || "")) {
      event.target.closest("tr").classList.toggle("deleted", event.target.checked);
      sharesSoon();
    }
    if (fieldOf(event.target.name || "") === levels[0]) sharesSoon();
  });
  body.addEventListener("click", function (event) {
    const button = event.target.closest("button");
    if (!button) return;
    const row = button.closest("tr.indicator-row");
    if (button.classList.contains("move-up") && row.previousElementSibling) {
      body.insertBefore(row, row.previousElementSibling);
      renumber();
    } else if (button.classList.contains("move-down") && row.nextElementSibling) {
      body.insertBefore(row.nextElementSibling, row);
      renumber();
    }
  });
  document.getElementById("add-indicator").addEventListener("click", function () {
    const fragment = template.content.cloneNode(true);
    const last = body.querySelector("tr.indicator-row:last-child");
    body.appendChild(fragment);
    const added = body.querySelector("tr.indicator-row:last-child");
    // a new row starts under the same level 1 and level 2 as the row above it
    if (last) {
      levels.forEach(function (key) {
        const from = field(last, key);
        const to = field(added, key);
        if (from && to) to.value = from.value;
      });
    }
    renumber();
    sharesSoon();
    const name = field(added, roles.name);
    if (name) name.focus();
  });
  body.querySelectorAll("tr.indicator-row").forEach(function (row) {
    const target = field(row, roles.target);
    if (target && target.value) check(row);
  });
})();
