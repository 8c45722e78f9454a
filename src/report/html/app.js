// nhiscan HTML report: builds the page from the JSON in #data.
// Every string from the report goes into the page through textContent or
// an attribute set by setAttribute: never as markup.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var data = JSON.parse(document.getElementById("data").textContent);
  var PAGE = 100;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (k === "class") e.className = attrs[k];
        else e.setAttribute(k, attrs[k]);
      }
    }
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function byId(id) { return document.getElementById(id); }

  // Header: title, meta lines, sources and warnings.
  function header() {
    var meta = byId("meta");
    data.meta.forEach(function (m) {
      var d = add(meta, el("div"));
      add(d, el("dt", null, m[0]));
      add(d, el("dd", null, m[1]));
    });
    var list = byId("sources");
    if (data.sources.length === 0) add(list, el("li", { class: "muted" }, "none"));
    data.sources.forEach(function (s) {
      var li = add(list, el("li", { class: s.incomplete ? "incomplete" : "" }));
      add(li, el("span", { class: "status" }, s.status));
      li.appendChild(document.createTextNode(" " + (s.provider ? s.provider + " " : "") + s.kind + ": " + s.location +
        (s.scope ? " (" + s.scope + ")" : "") + (s.items === null ? "" : ", " + s.items + " items")));
      if (s.error) add(li, el("div", { class: "reason" }, "Reason: " + s.error));
    });
    var warnings = byId("warnings");
    data.warnings.forEach(function (w) { add(warnings, el("li", null, "Warning: " + w)); });
    byId("footer").textContent = data.tool.name + " " + data.tool.version +
      " · one self-contained file: no request leaves this page. Charts by Chart.js (MIT).";
  }

  function cards() {
    var box = byId("cards");
    data.cards.forEach(function (c) {
      var card = add(box, el("div", { class: "card" + (c.alert ? " alert" : "") }));
      add(card, el("h3", null, c.title));
      add(card, el("div", { class: "value" }, c.value));
      var ul = add(card, el("ul"));
      c.lines.forEach(function (l) { add(ul, el("li", null, l)); });
    });
  }

  // Charts: Chart.js bar charts, each with its numbers as a table.
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  var FIXED = {
    critical: "#b3261e", high: "#e8590c", medium: "#f2b705", low: "#6c8ebf",
    owned: "#2f9e44", "owner departed": "#f08c00", "no owner": "#c92a2a",
    admin: "#b3261e", privileged: "#e8590c", write: "#f2b705", read: "#4dabf7",
    none: "#8ce99a", unknown: "#adb5bd", added: "#2f9e44", removed: "#c92a2a"
  };
  var PALETTE = ["#1c7ed6", "#f76707", "#37b24d", "#ae3ec9", "#f59f00", "#0ca678", "#d6336c", "#495057"];
  function colour(label, i) { return FIXED[label] || PALETTE[i % PALETTE.length]; }

  function altTable(chart) {
    var table = el("table");
    var head = add(add(table, el("thead")), el("tr"));
    add(head, el("th", { scope: "col" }, chart.x));
    chart.series.forEach(function (s) { add(head, el("th", { scope: "col", class: "num" }, s.label)); });
    if (chart.stacked) add(head, el("th", { scope: "col", class: "num" }, "total"));
    var body = add(table, el("tbody"));
    chart.labels.forEach(function (label, i) {
      var tr = add(body, el("tr"));
      add(tr, el("th", { scope: "row" }, label));
      var total = 0;
      chart.series.forEach(function (s) { total += s.data[i]; add(tr, el("td", { class: "num" }, s.data[i])); });
      if (chart.stacked) add(tr, el("td", { class: "num" }, total));
    });
    return table;
  }

  function charts() {
    var box = byId("charts");
    if (window.Chart) {
      Chart.defaults.color = dark ? "#c9d1d9" : "#374151";
      Chart.defaults.borderColor = dark ? "#333c45" : "#d5dbe1";
      Chart.defaults.animation = false;
      Chart.defaults.font.family = "system-ui, sans-serif";
    }
    data.charts.forEach(function (c) {
      var fig = add(box, el("figure", { id: "chart-" + c.id }));
      add(fig, el("h3", null, c.title));
      add(fig, el("figcaption", null, c.caption));
      var total = 0;
      c.series.forEach(function (s) { s.data.forEach(function (n) { total += n; }); });
      var summary = c.title + ": " + c.labels.map(function (l, i) {
        var n = 0;
        c.series.forEach(function (s) { n += s.data[i]; });
        return l + " " + n;
      }).join(", ") + ".";
      if (total === 0) {
        add(fig, el("p", { class: "muted" }, "Nothing to count."));
      } else {
        var holder = add(fig, el("div", { class: "canvas-box" }));
        var canvas = add(holder, el("canvas", { role: "img", "aria-label": summary }));
        if (window.Chart) {
          new Chart(canvas, {
            type: "bar",
            data: {
              labels: c.labels,
              datasets: c.series.map(function (s, i) {
                return { label: s.label, data: s.data, backgroundColor: colour(s.label, i) };
              })
            },
            options: {
              responsive: true, maintainAspectRatio: false,
              plugins: { legend: { position: "bottom" } },
              scales: {
                x: { stacked: c.stacked, ticks: { autoSkip: false, maxRotation: 45 } },
                y: { stacked: c.stacked, beginAtZero: true, ticks: { precision: 0 } }
              }
            }
          });
        }
      }
      var alt = add(fig, el("details", { class: "alt" }));
      add(alt, el("summary", null, "Data table"));
      alt.appendChild(altTable(c));
    });
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details").forEach(function (d) { d.open = true; });
    });
  }

  // The explorer: filter, sort, page; a row opens to its evidence.
  var ex = data.explorer;
  var rows = ex.rows;
  var hay = new Array(rows.length);
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i], parts = [];
    for (var k in r.v) parts.push(r.v[k]);
    if (r.d && r.d.length) parts.push(r.d[0][1]);
    hay[i] = parts.join("\u0001").toLowerCase();
  }
  var state = { query: "", filters: {}, sort: null, desc: false, page: 0, open: {} };
  var matches = [];

  function passes(i) {
    var r = rows[i];
    if (state.query && hay[i].indexOf(state.query) < 0) return false;
    for (var key in state.filters) {
      var want = state.filters[key], got = r.f[key];
      if (Array.isArray(got) ? got.indexOf(want) < 0 : got !== want) return false;
    }
    return true;
  }

  function sortKey(i, key, numeric) {
    var r = rows[i];
    if (numeric) return r.s && key in r.s ? r.s[key] : Number(r.v[key]) || 0;
    return String(r.v[key] || "").toLowerCase();
  }

  function apply() {
    var out = [];
    for (var i = 0; i < rows.length; i++) if (passes(i)) out.push(i);
    if (state.sort) {
      var col = ex.columns.filter(function (c) { return c.key === state.sort; })[0];
      var keys = {};
      out.forEach(function (i) { keys[i] = sortKey(i, col.key, col.numeric); });
      var dir = state.desc ? -1 : 1;
      out.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        return (x < y ? -1 : x > y ? 1 : a - b) * dir;
      });
    }
    matches = out;
    state.page = 0;
    draw();
  }

  function evidence(r) {
    var dl = el("dl", { class: "evidence" });
    (r.d || []).forEach(function (pair) {
      add(dl, el("dt", null, pair[0]));
      var dd = add(dl, el("dd"));
      if (Array.isArray(pair[1])) {
        var ul = add(dd, el("ul"));
        pair[1].forEach(function (t) { add(ul, el("li", null, t)); });
      } else {
        dd.textContent = pair[1];
      }
    });
    return dl;
  }

  function draw() {
    var body = byId("rows");
    body.textContent = "";
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, to = Math.min(matches.length, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var n = from; n < to; n++) {
      var i = matches[n], r = rows[i];
      var tr = add(frag, el("tr", { class: "item" + (state.open[i] ? " open" : ""), "data-row": i, tabindex: "0", "aria-expanded": state.open[i] ? "true" : "false" }));
      if (r.d && r.d.length && r.d[0][0] === "id") tr.setAttribute("data-id", r.d[0][1]);
      ex.columns.forEach(function (c) {
        add(tr, el("td", { class: (c.numeric ? "num " : "") + c.key + (r.c && c.key === "name" ? " cred" : "") }, r.v[c.key]));
      });
      if (state.open[i]) {
        var td = add(add(frag, el("tr", { class: "detail" })), el("td", { colspan: ex.columns.length }));
        td.appendChild(evidence(r));
      }
    }
    body.appendChild(frag);
    var count = byId("count");
    count.textContent = matches.length === rows.length
      ? rows.length + " rows"
      : matches.length + " of " + rows.length + " rows match";
    count.setAttribute("data-matches", matches.length);
    byId("page").textContent = matches.length
      ? "rows " + (from + 1) + "-" + to + " of " + matches.length + " (page " + (state.page + 1) + " of " + pages + ")"
      : "no rows";
    byId("prev").disabled = state.page === 0;
    byId("next").disabled = state.page >= pages - 1;
  }

  function explorer() {
    var head = byId("head");
    ex.columns.forEach(function (c) {
      var th = add(head, el("th", { scope: "col", class: c.numeric ? "num" : "", "data-key": c.key }));
      var b = add(th, el("button", { type: "button" }, c.label));
      b.addEventListener("click", function () {
        if (state.sort === c.key) state.desc = !state.desc;
        else { state.sort = c.key; state.desc = c.numeric; }
        head.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
        apply();
      });
    });
    var box = byId("filters");
    ex.filters.forEach(function (f) {
      var label = add(box, el("label", null, f.label));
      var select = add(label, el("select", { id: "filter-" + f.key, "data-key": f.key }));
      add(select, el("option", { value: "" }, "any"));
      f.options.forEach(function (o) { add(select, el("option", { value: o }, o)); });
      select.addEventListener("change", function () {
        if (select.value) state.filters[f.key] = select.value;
        else delete state.filters[f.key];
        apply();
      });
    });
    var search = byId("search");
    search.addEventListener("input", function () {
      state.query = search.value.trim().toLowerCase();
      apply();
    });
    byId("reset").addEventListener("click", function () {
      search.value = "";
      state.query = "";
      state.filters = {};
      box.querySelectorAll("select").forEach(function (s) { s.value = ""; });
      apply();
    });
    byId("prev").addEventListener("click", function () { state.page--; draw(); });
    byId("next").addEventListener("click", function () { state.page++; draw(); });
    function toggle(tr) {
      var i = Number(tr.getAttribute("data-row"));
      if (state.open[i]) delete state.open[i]; else state.open[i] = true;
      draw();
    }
    byId("rows").addEventListener("click", function (e) {
      var tr = e.target.closest("tr.item");
      if (tr) toggle(tr);
    });
    byId("rows").addEventListener("keydown", function (e) {
      var tr = e.target.closest("tr.item");
      if (tr && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); toggle(tr); }
    });
    apply();
  }

  function setFilter(key, value) {
    var select = byId("filter-" + key);
    if (!select) return;
    select.value = value;
    select.dispatchEvent(new Event("change"));
    byId("explorer-h").scrollIntoView();
  }

  function rules() {
    var box = byId("rules");
    if (!data.rules.length) {
      byId("rules-section").hidden = data.kind !== "scan";
      add(box, el("p", { class: "muted" }, "No findings."));
      return;
    }
    data.rules.forEach(function (g) {
      var sec = add(box, el("section", { class: "rule", id: "rule-" + g.id }));
      var h = add(sec, el("h3"));
      add(h, el("span", { class: "sev sev-" + g.severity }, g.severity));
      h.appendChild(document.createTextNode(" " + g.id + " · " + g.count + (g.count === 1 ? " finding" : " findings")));
      add(sec, el("p", null, g.summary));
      var rem = add(sec, el("p"));
      add(rem, el("strong", null, "Remediation: "));
      rem.appendChild(document.createTextNode(g.remediation));
      var docs = add(sec, el("details"));
      add(docs, el("summary", null, "Rule documentation (" + g.help_uri + ")"));
      add(docs, el("div", { class: "docs" }, g.docs));
      var ul = add(sec, el("ul", { class: "findings" }));
      g.findings.forEach(function (f) {
        var li = add(ul, el("li"));
        add(li, el("span", { class: "sev sev-" + f.severity }, f.severity));
        li.appendChild(document.createTextNode(" " + (f.state ? "[" + f.state + "] " : "") + f.item + ": " + f.message));
        if (f.remediation && f.remediation !== g.remediation) add(li, el("div", { class: "muted" }, "Remediation: " + f.remediation));
      });
      var b = add(sec, el("button", { type: "button" },
        g.count > g.findings.length
          ? "Show all " + g.count + " in the inventory (" + (g.count - g.findings.length) + " more)"
          : "Show in the inventory"));
      b.addEventListener("click", function () { setFilter("rule", g.id); });
    });
  }

  if (data.kind === "diff") byId("explorer-h").textContent = "Changes";
  header();
  cards();
  charts();
  explorer();
  rules();
  document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
  document.body.setAttribute("data-ready", "true");
})();
