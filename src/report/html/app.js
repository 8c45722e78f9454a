// nhiscan HTML report: builds the page from the JSON in #data.
// Every string from the report goes into the page through textContent or
// an attribute set by setAttribute: never as markup.
(function () {
  "use strict";
  // Marks for scripts/bench-html.sh: where the load time goes.
  function mark(name) { if (performance.mark) performance.mark("nhiscan:" + name); }
  mark("start");
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

  // Inflates what table.rs packs (zlib, then base64) back to text, with the
  // browser's own DecompressionStream: no request, no library.
  function inflate(b64) {
    var bytes;
    if (Uint8Array.fromBase64) {
      bytes = Uint8Array.fromBase64(b64);
    } else {
      var bin = atob(b64);
      bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }

  // The explorer: filter, sort, page; a row opens to its evidence. The rows
  // are columns of numbers into one string table (T.strings); searching
  // tests each distinct text once, then each row by its numbers.
  var ex = data.explorer;
  var N = ex.rows;
  var T = null, S = null, credential = null;
  var lower = null, ranks = {}, numbers = {}, chunks = {};
  var state = { query: "", filters: {}, sort: null, desc: false, page: 0, open: {} };
  var matches = [];

  function lowered() {
    if (!lower) {
      lower = new Array(S.length);
      for (var s = 0; s < S.length; s++) lower[s] = S[s].toLowerCase();
    }
    return lower;
  }

  // Each row's sort key for column c: a number, or the rank of its text.
  function sortKeys(c) {
    var col = ex.columns[c];
    if (col.numeric) {
      if (!numbers[c]) {
        var given = T.sort[col.key], cells = T.cells[c], k = new Float64Array(N);
        for (var i = 0; i < N; i++) k[i] = given ? given[i] : Number(S[cells[i]]) || 0;
        numbers[c] = k;
      }
      return numbers[c];
    }
    if (!ranks[c]) {
      var low = lowered(), cells2 = T.cells[c], seen = new Uint8Array(S.length), used = [];
      for (var j = 0; j < N; j++) if (!seen[cells2[j]]) { seen[cells2[j]] = 1; used.push(cells2[j]); }
      used.sort(function (a, b) { return low[a] < low[b] ? -1 : low[a] > low[b] ? 1 : 0; });
      var rank = new Int32Array(S.length);
      for (var n = 0; n < used.length; n++) {
        rank[used[n]] = n > 0 && low[used[n]] === low[used[n - 1]] ? rank[used[n - 1]] : n;
      }
      var keys = new Int32Array(N);
      for (var m = 0; m < N; m++) keys[m] = rank[cells2[m]];
      ranks[c] = keys;
    }
    return ranks[c];
  }

  function apply() {
    var hit = null, cols = T.cells, ids = T.ids, q = state.query;
    if (q) {
      var low = lowered();
      hit = new Uint8Array(S.length);
      for (var s = 0; s < S.length; s++) if (low[s].indexOf(q) >= 0) hit[s] = 1;
    }
    var active = [];
    ex.filters.forEach(function (f, n) {
      if (f.key in state.filters) active.push([T.filters[n], state.filters[f.key]]);
    });
    var out = [];
    rows: for (var i = 0; i < N; i++) {
      if (hit) {
        var ok = hit[ids[i]];
        for (var c = 0; !ok && c < cols.length; c++) ok = hit[cols[c][i]];
        if (!ok) continue;
      }
      for (var a = 0; a < active.length; a++) {
        var values = active[a][0], want = active[a][1];
        if (values.one) {
          if (values.one[i] !== want) continue rows;
        } else {
          var found = false;
          for (var k = values.offsets[i]; k < values.offsets[i + 1]; k++) {
            if (values.values[k] === want) { found = true; break; }
          }
          if (!found) continue rows;
        }
      }
      out.push(i);
    }
    if (state.sort !== null) {
      var keys = sortKeys(state.sort), dir = state.desc ? -1 : 1;
      out.sort(function (a, b) {
        var x = keys[a], y = keys[b];
        return (x < y ? -1 : x > y ? 1 : a - b) * dir;
      });
    }
    matches = out;
    state.page = 0;
    draw();
  }

  function evidence(pairs) {
    var dl = el("dl", { class: "evidence" });
    (pairs || []).forEach(function (pair) {
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

  // The evidence of row i: its chunk, inflated the first time a row of it opens.
  function rowEvidence(i) {
    var n = Math.floor(i / ex.chunk), chunk = chunks[n];
    if (Array.isArray(chunk)) return chunk[i - n * ex.chunk];
    if (!chunk) {
      chunks[n] = inflate(ex.evidence[n]).then(function (text) {
        chunks[n] = JSON.parse(text);
        draw();
      }, function (e) {
        chunks[n] = [];
        console.error("nhiscan: cannot read the evidence: " + e);
      });
    }
    return null;
  }

  function draw() {
    var body = byId("rows");
    body.textContent = "";
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var from = state.page * PAGE, to = Math.min(matches.length, from + PAGE);
    var frag = document.createDocumentFragment();
    for (var n = from; n < to; n++) {
      var i = matches[n], open = state.open[i];
      var tr = add(frag, el("tr", { class: "item" + (open ? " open" : ""), "data-row": i, "data-id": S[T.ids[i]], tabindex: "0", "aria-expanded": open ? "true" : "false" }));
      for (var c = 0; c < ex.columns.length; c++) {
        var col = ex.columns[c];
        add(tr, el("td", { class: (col.numeric ? "num " : "") + col.key + (credential[i] && col.key === "name" ? " cred" : "") }, S[T.cells[c][i]]));
      }
      if (open) {
        var td = add(add(frag, el("tr", { class: "detail" })), el("td", { colspan: ex.columns.length }));
        var pairs = rowEvidence(i);
        if (pairs) td.appendChild(evidence(pairs));
        else add(td, el("p", { class: "muted" }, "Reading the evidence..."));
      }
    }
    body.appendChild(frag);
    var count = byId("count");
    count.textContent = matches.length === N
      ? N + " rows"
      : matches.length + " of " + N + " rows match";
    count.setAttribute("data-matches", matches.length);
    byId("page").textContent = matches.length
      ? "rows " + (from + 1) + "-" + to + " of " + matches.length + " (page " + (state.page + 1) + " of " + pages + ")"
      : "no rows";
    byId("prev").disabled = state.page === 0;
    byId("next").disabled = state.page >= pages - 1;
  }

  function explorer(table) {
    T = table;
    S = T.strings;
    credential = new Uint8Array(N);
    T.credentials.forEach(function (i) { credential[i] = 1; });
    var head = byId("head");
    ex.columns.forEach(function (c, n) {
      var th = add(head, el("th", { scope: "col", class: c.numeric ? "num" : "", "data-key": c.key }));
      var b = add(th, el("button", { type: "button" }, c.label));
      b.addEventListener("click", function () {
        if (state.sort === n) state.desc = !state.desc;
        else { state.sort = n; state.desc = c.numeric; }
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
        if (select.value) state.filters[f.key] = f.options.indexOf(select.value);
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
  var table = inflate(ex.table);
  charts();
  mark("charts");
  rules();
  mark("rules");
  table.then(function (text) {
    mark("inflated");
    var rows = JSON.parse(text);
    mark("parsed");
    explorer(rows);
    mark("ready");
    document.body.setAttribute("data-ready-ms", String(Math.round(performance.now())));
    document.body.setAttribute("data-ready", "true");
    // And once the browser has drawn it: the next frame, then the task after.
    requestAnimationFrame(function () {
      setTimeout(function () {
        mark("painted");
        document.body.setAttribute("data-painted-ms", String(Math.round(performance.now())));
      }, 0);
    });
  }).catch(function (e) {
    byId("count").textContent = "This browser could not read the inventory: " + e;
    console.error("nhiscan: cannot read the inventory: " + e);
  });
})();
