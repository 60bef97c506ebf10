// Indicator library suggestions in the declaration editor: typing a name or choosing a class shows
// library entries with their usual unit and the targets similar projects set and achieved.
// Kept apart from editor.js; without it the form works as before, only without suggestions.
(function () {
  "use strict";
  const script = document.currentScript;
  const table = document.getElementById("indicator-editor");
  if (!script || !table) return;
  const url = script.dataset.url;
  const panel = document.createElement("div");
  panel.id = "library-suggestions";
  panel.className = "library-suggestions panel";
  panel.setAttribute("role", "status");
  panel.setAttribute("aria-live", "polite");
  panel.hidden = true;
  table.parentNode.insertBefore(panel, table.nextSibling);
  let timer = null;
  let current = null; // the row the suggestions are for

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }
  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }
  function span(ranges) {
    if (!ranges || !ranges.length) return "—";
    return ranges.slice(0, 2).map(function (r) {
      return r.min + "–" + r.max + (r.unit || "") + "（中间一半 " + r.q1 + "–" + r.q3 + "，" + r.count + " 个）";
    }).join("；");
  }

  function show(row, entries) {
    panel.replaceChildren();
    if (!entries.length) { panel.hidden = true; return; }
    panel.appendChild(text("h3", "指标库建议"));
    const list = document.createElement("ul");
    list.className = "plain";
    entries.forEach(function (e) {
      const li = document.createElement("li");
      const use = text("button", e.name, "link use-suggestion");
      use.type = "button";
      use.title = "填入该指标名称";
      use.addEventListener("click", function () {
        const name = field(row, "name");
        if (name) name.value = e.name;
        ["level1", "level2"].forEach(function (level) {
          const el = field(row, level);
          if (el && !el.value && e[level]) el.value = e[level];
        });
        if (name) name.dispatchEvent(new Event("input", { bubbles: true }));
        panel.hidden = true;
      });
      li.appendChild(use);
      li.appendChild(text("small", " " + e.code + (e.common ? " 共性" : "") + " · " + (e.level1 || "") + "/" + (e.level2 || "")
        + " · 单位 " + (e.unit || "—") + " · " + e.projects + " 个项目"));
      li.appendChild(text("div", "指标值：" + span(e.targets), "hint"));
      li.appendChild(text("div", "实际完成：" + span(e.achieved) + (e.met_rate_pct ? "；达成率 " + e.met_rate_pct + "%" : ""), "hint"));
      const more = text("a", "详情");
      more.href = e.url;
      more.target = "_blank";
      li.appendChild(more);
      list.appendChild(li);
    });
    panel.appendChild(list);
    panel.hidden = false;
  }

  function ask(row) {
    current = row;
    const params = new URLSearchParams();
    ["name", "level1", "level2"].forEach(function (n) {
      const el = field(row, n);
      if (el && el.value) params.set(n, el.value);
    });
    if (!params.toString()) { panel.hidden = true; return; }
    fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { entries: [] }; })
      .then(function (data) { if (row === current) show(row, data.entries || []); })
      .catch(function () { panel.hidden = true; });
  }

  function later(event) {
    const row = event.target.closest("tr.indicator-row");
    const name = (event.target.name || "").split("-").pop();
    if (!row || ["name", "level1", "level2"].indexOf(name) < 0) return;
    clearTimeout(timer);
    timer = setTimeout(function () { ask(row); }, 250);
  }
  table.addEventListener("input", later);
  table.addEventListener("change", later);
})();
