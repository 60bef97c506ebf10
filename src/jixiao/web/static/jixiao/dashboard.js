// Dashboard: draw each chart from the JSON the server put in the page (the same data as the tables below them).
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const GRADE_COLORS = { "优": "#2f7d4a", "良": "#4f86c6", "中": "#d9a441", "差": "#c0504d", "未评": "#9aa4ae" };
  const font = { fontFamily: "'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif" };
  const charts = [];

  // SVG keeps the text sharp in print and screenshots, and makes every point an element one can click.
  function chart(id, option) {
    const el = document.getElementById(id);
    if (!el) return null;
    const c = echarts.init(el, null, { renderer: "svg" });
    c.setOption(Object.assign({ textStyle: font, animation: false }, option));
    charts.push(c);
    return c;
  }
  function num(v) { return v === null || v === undefined ? null : Number(v); }

  // Tooltips are built from DOM nodes and text, never from HTML strings: the page's content security
  // policy refuses the style attributes of ECharts' own tooltip markup (the tooltip came out as
  // unformatted 「优5」 with a violation per hover), and names typed by filers must never be read as markup.
  function node(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // a title line, then one line per row: a colour mark (set through CSSOM, which the policy allows) and text
  function tipBox(title, rows) {
    const box = node("div", "tip");
    if (title) box.appendChild(node("div", "tip-title", title));
    rows.forEach(function (r) {
      const line = node("div", "tip-row");
      if (r.color && typeof r.color === "string") {
        const mark = node("span", "tip-mark");
        mark.style.backgroundColor = r.color;
        line.appendChild(mark);
      }
      line.appendChild(node("span", "tip-text", r.text));
      box.appendChild(line);
    });
    return box;
  }
  // one number format on every page (web/numbers.py): thousands separators, the digits as sent (no float)
  function grouped(v) {
    const text = String(v);
    const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
    return m ? m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (m[3] || "") : text;
  }
  function shown(v) { return v === null || v === undefined || v === "" ? "—" : grouped(v); }
  // the usual reading of a bar or a line: the category (or a fuller title), then each series with its value
  function seriesTip(titleOf, units) {
    return function (params) {
      const list = Array.isArray(params) ? params : [params];
      if (!list.length) return null;
      const first = list[0];
      const title = titleOf ? titleOf(first) : (first.axisValueLabel || first.name);
      return tipBox(title, list.map(function (p) {
        const unit = (units && units[p.seriesName]) || "";
        return { color: p.color, text: p.seriesName + "：" + shown(p.value) + (p.value === null || p.value === undefined ? "" : unit) };
      }));
    };
  }
  function tooltip(extra) {
    return Object.assign({ className: "jixiao-tooltip", renderMode: "html", formatter: seriesTip() }, extra);
  }
  function summaryLink(params) {
    const q = new URLSearchParams(window.location.search);
    if (data.year) q.set("year", data.year);
    Object.keys(params).forEach(function (k) { q.set(k, params[k]); });
    return data.summary_url + "?" + q.toString();
  }

  const grades = chart("chart-grades", {
    tooltip: tooltip({ trigger: "item" }),
    grid: { left: 40, right: 20, top: 20, bottom: 30 },
    xAxis: { type: "category", data: data.grades.map(function (g) { return g.grade; }) },
    yAxis: { type: "value", minInterval: 1, name: "项目数" },
    series: [{
      type: "bar", name: "项目数", barMaxWidth: 48,
      data: data.grades.map(function (g) { return { value: g.count, itemStyle: { color: GRADE_COLORS[g.grade] } }; }),
      label: { show: true, position: "top" },
    }],
  });
  if (grades) grades.on("click", function (p) {
    window.location.href = summaryLink({ grade: p.name === "未评" ? "none" : p.name });
  });

  // a point is [evaluation id, rate, score, grade, project, unit]
  const byGrade = {};
  data.points.forEach(function (p) {
    const g = p[3] || "未评";
    (byGrade[g] = byGrade[g] || []).push({
      value: [num(p[1]), num(p[2])], id: p[0], name: p[4], unit: p[5], rate: p[1], score: p[2],
    });
  });
  const scatter = chart("chart-scatter", {
    legend: { top: 0 },
    tooltip: tooltip({
      trigger: "item",
      // the figures as the server sent them (exact decimals), not as the chart's floating-point position
      formatter: function (p) {
        return tipBox(p.data.name, [
          { text: p.data.unit },
          { color: p.color, text: "执行率 " + grouped(p.data.rate) + "%，总分 " + grouped(p.data.score) },
        ]);
      },
    }),
    grid: { left: 50, right: 20, top: 40, bottom: 40 },
    xAxis: { type: "value", name: "执行率（%）", nameLocation: "middle", nameGap: 26, scale: true },
    yAxis: { type: "value", name: "总分", scale: true },
    series: Object.keys(byGrade).map(function (g) {
      return { type: "scatter", name: g, data: byGrade[g], symbolSize: 10, itemStyle: { color: GRADE_COLORS[g] || "#666" } };
    }),
  });
  if (scatter) scatter.on("click", function (p) {
    if (p.data && p.data.id) window.location.href = data.evaluation_url.replace("{id}", p.data.id);
  });

  const findings = data.findings.slice().reverse();
  const top = chart("chart-findings", {
    legend: { top: 0 },
    // the axis shows names cut to 14 characters; the tooltip gives the whole name
    tooltip: tooltip({
      trigger: "axis", axisPointer: { type: "shadow" },
      formatter: seriesTip(function (p) { return findings[p.dataIndex] ? findings[p.dataIndex].project : p.name; }),
    }),
    grid: { left: 8, right: 20, top: 30, bottom: 20, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: findings.map(function (f) { return f.project.length > 14 ? f.project.slice(0, 14) + "…" : f.project; }) },
    series: [
      { type: "bar", stack: "n", name: data.severities.error, data: findings.map(function (f) { return f.errors; }), itemStyle: { color: "#c0504d" } },
      { type: "bar", stack: "n", name: data.severities.warning, data: findings.map(function (f) { return f.warnings; }), itemStyle: { color: "#d9a441" } },
    ],
  });
  if (top) top.on("click", function (p) {
    const f = findings[p.dataIndex];
    if (f) window.location.href = data.declaration_url.replace("{id}", f.declaration);
  });

  const progress = data.progress;
  chart("chart-progress", {
    legend: { top: 0 },
    tooltip: tooltip({
      trigger: "axis", axisPointer: { type: "shadow" },
      formatter: seriesTip(function (p) { return progress[p.dataIndex] ? progress[p.dataIndex].name : p.name; }),
    }),
    grid: { left: 8, right: 20, top: 50, bottom: 20, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: progress.map(function (p) { return p.name.length > 14 ? p.name.slice(0, 14) + "…" : p.name; }) },
    series: [
      ["projects", "项目数", "#c9d3dd"], ["declared_approved", "目标已批复", "#9dbbd8"], ["declared_published", "目标已公开", "#4f86c6"],
      ["evaluated", "已报送自评", "#e0c079"], ["evaluation_published", "自评已公开", "#2f7d4a"],
    ].map(function (s) {
      return { type: "bar", name: s[1], data: progress.map(function (p) { return p[s[0]]; }), itemStyle: { color: s[2] } };
    }),
  });

  const years = data.years;
  chart("chart-years", {
    legend: { top: 0 },
    tooltip: tooltip({
      trigger: "axis",
      formatter: seriesTip(function (p) { return p.name + " 年度"; }, { "申请金额": " 万元", "全年执行数": " 万元", "执行率（%）": "%", "平均总分": " 分" }),
    }),
    grid: { left: 8, right: 8, top: 40, bottom: 20, containLabel: true },
    xAxis: { type: "category", data: years.map(function (y) { return String(y.year); }) },
    yAxis: [{ type: "value", name: "万元", axisLabel: { formatter: grouped } }, { type: "value", name: "分 / %", min: 0, max: 120 }],
    series: [
      { type: "bar", name: "申请金额", data: years.map(function (y) { return y.requested === null ? null : (num(y.requested) / 10000).toFixed(2); }) },
      { type: "bar", name: "全年执行数", data: years.map(function (y) { return y.executed === null ? null : (num(y.executed) / 10000).toFixed(2); }) },
      { type: "line", name: "执行率（%）", yAxisIndex: 1, data: years.map(function (y) { return num(y.rate); }) },
      { type: "line", name: "平均总分", yAxisIndex: 1, data: years.map(function (y) { return num(y.mean_score); }) },
    ],
  });

  // the scatter's full list, drawn only when asked for (a province has thousands of points)
  const show = document.getElementById("show-points");
  if (show) show.addEventListener("click", function () {
    const table = document.getElementById("table-points");
    const body = table.querySelector("tbody");
    body.textContent = "";
    data.points.forEach(function (p) {
      const tr = document.createElement("tr");
      const link = document.createElement("a");
      link.href = data.evaluation_url.replace("{id}", p[0]);
      link.textContent = p[4];
      const cells = [link, p[5], p[1], p[2], p[3]];
      cells.forEach(function (v, i) {
        const td = document.createElement("td");
        if (i === 2 || i === 3) td.className = "num";
        if (v instanceof Node) td.appendChild(v); else td.textContent = v;
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.hidden = false;
    show.hidden = true;
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
