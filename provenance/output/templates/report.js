"use strict";
// Draws the provenance report from the JSON block above. Document text and metadata are
// untrusted: they only ever reach the page through textContent, attribute values set with
// setAttribute on harmless attributes, and hrefs that are checked to be http(s).
(function () {
  var t0 = performance.now();
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var REL = D.relations;
  var PALETTE = ["#2f6fdf", "#d9480f", "#2b8a3e", "#ae3ec9", "#e8590c", "#1098ad", "#c2255c",
                 "#5f3dc4", "#a61e4d", "#087f5b", "#f08c00", "#364fc7"];
  var REL_COLOURS = ["#027a48", "#b42318", "#b54708", "#6941c6", "#175cd3"];
  var HTTP = /^https?:\/\/[^\s<>"'`]+$/i;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function outletName(i) { return D.outlets[i] || "(no outlet)"; }
  function outletColour(i) { return i < PALETTE.length ? PALETTE[i] : "#868e96"; }
  function docLabel(d) { return d.name || d.title || d.id; }
  function link(url, text) {
    if (typeof url === "string" && HTTP.test(url)) {
      var a = el("a", null, text || url);
      a.setAttribute("href", url);
      a.setAttribute("rel", "noopener noreferrer nofollow");
      a.setAttribute("target", "_blank");
      return a;
    }
    return el("span", "rawurl", url || "");
  }
  function fmtSim(v) { return v === null || v === undefined ? "—" : Number(v).toFixed(2); }
  function dateOf(s) { return typeof s === "string" && /^\d{4}-\d{2}-\d{2}/.test(s) ? s.slice(0, 10) : ""; }

  // ------------------------------------------------------------------ filters
  var F = { outlet: "", relation: "", from: "", to: "", q: "" };
  var haystacks = [];
  function clusterHay(ci) {
    if (haystacks[ci] === undefined) {
      var c = D.clusters[ci], parts = [c.id];
      c.m.forEach(function (m) {
        var d = D.documents[m[0]];
        parts.push(d.id, d.title || "", d.source || "");
        // The witness's own words, in one piece (dropped origin words are not its text).
        parts.push((m[3] || []).filter(function (s) { return s[0] !== 2; }).map(function (s) { return s[1]; }).join(""));
      });
      haystacks[ci] = parts.join(" \u0001 ").toLowerCase();
    }
    return haystacks[ci];
  }
  function docPasses(d) {
    if (F.outlet !== "" && String(d.outlet) !== F.outlet) return false;
    if (F.from && (!d.day || d.day < F.from)) return false;
    if (F.to && (!d.day || d.day > F.to)) return false;
    return true;
  }
  function clusterPasses(ci) {
    var c = D.clusters[ci];
    var ok = c.m.some(function (m) {
      if (F.relation !== "" && String(m[1]) !== F.relation) return false;
      return docPasses(D.documents[m[0]]);
    });
    if (!ok) return false;
    return !F.q || clusterHay(ci).indexOf(F.q) >= 0;
  }
  function docSearch(d) {
    if (!F.q) return true;
    if (d._hay === undefined) d._hay = ((d.title || "") + " " + (d.source || "") + " " + d.id + " " + (d.text || "")).toLowerCase();
    return d._hay.indexOf(F.q) >= 0;
  }

  // ------------------------------------------------------------------ pagers
  function pager(box, page, pages, total, noun, go) {
    box.textContent = "";
    var prev = el("button", null, "‹ previous"), next = el("button", null, "next ›");
    prev.type = next.type = "button";
    prev.disabled = page <= 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener("click", function () { go(page - 1); });
    next.addEventListener("click", function () { go(page + 1); });
    box.appendChild(prev);
    // "1 document", "2 documents": the noun comes plural and loses its "s" for one.
    box.appendChild(el("span", "muted", total ? "page " + (page + 1) + " of " + pages + " · " + total + " " + (total === 1 ? noun.slice(0, -1) : noun) : "no " + noun + " match the filters"));
    box.appendChild(next);
  }

  // ------------------------------------------------------------------ overview
  var DOC_PAGE = 25, docPage = 0, docOrder = D.documents.map(function (_, i) { return i; });
  docOrder.sort(function (a, b) {
    var x = D.documents[a], y = D.documents[b];
    return (y.share - x.share) || (y.reused - x.reused) || (x.id < y.id ? -1 : 1);
  });
  function drawDocs() {
    var rows = docOrder.filter(function (i) { var d = D.documents[i]; return docPasses(d) && docSearch(d); });
    var pages = Math.max(1, Math.ceil(rows.length / DOC_PAGE));
    docPage = Math.min(docPage, pages - 1);
    var body = $("doc-table").tBodies[0];
    body.textContent = "";
    rows.slice(docPage * DOC_PAGE, (docPage + 1) * DOC_PAGE).forEach(function (i) {
      var d = D.documents[i], tr = el("tr");
      var td = el("td"), a = el("a", null, docLabel(d));
      a.setAttribute("href", "#document-section");
      a.addEventListener("click", function () { showDocument(i); });
      td.appendChild(a);
      tr.appendChild(td);
      var o = el("td");
      var sw = el("span", "swatch");
      sw.style.background = outletColour(d.outlet);
      o.appendChild(sw);
      o.appendChild(document.createTextNode(outletName(d.outlet)));
      tr.appendChild(o);
      tr.appendChild(el("td", null, dateOf(d.published) || "undated"));
      tr.appendChild(el("td", "num", d.reused + "/" + d.claims));
      var s = el("td"), bar = el("span", "bar"), fill = el("span");
      fill.style.width = (d.share * 100).toFixed(1) + "%";
      bar.appendChild(fill);
      s.appendChild(bar);
      s.appendChild(document.createTextNode((d.share * 100).toFixed(0) + "%"));
      tr.appendChild(s);
      body.appendChild(tr);
    });
    pager($("doc-pager"), docPage, pages, rows.length, "documents", function (p) { docPage = p; drawDocs(); });
  }
  function drawCredited() {
    var box = $("credited");
    if (!D.credited.length) {
      box.appendChild(el("p", "muted", D.credits_by_claim || D.has_primary_sources
        ? "No document names an outside source it credits."
        : "This report carries no credited sources."));
      return;
    }
    var max = D.credited[0][2], table = el("table"), body = el("tbody");
    D.credited.slice(0, 15).forEach(function (c) {
      var tr = el("tr"), name = el("td");
      if (c[0]) name.appendChild(el("div", null, c[0]));
      if (c[1]) name.appendChild(link(c[1]));
      tr.appendChild(name);
      var s = el("td", "count"), bar = el("span", "bar"), fill = el("span");
      bar.style.width = "50px";
      fill.style.width = (100 * c[2] / max).toFixed(1) + "%";
      bar.appendChild(fill);
      s.appendChild(bar);
      s.appendChild(document.createTextNode(c[2] + (D.credits_by_claim ? (c[2] === 1 ? " credited claim, " : " credited claims, ")
        : (c[2] === 1 ? " claim, " : " claims, ")) + c[3] + " docs"));
      tr.appendChild(s);
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
  }

  // ------------------------------------------------------------------ graph
  function drawGraph() {
    var G = D.graph, box = $("graph");
    box.textContent = "";
    var legend = $("graph-legend");
    legend.textContent = "";
    if (!G.nodes.length) {
      box.appendChild(el("p", "muted", "No document reuses another."));
      return;
    }
    if (G.shown < G.total) legend.appendChild(el("span", "muted", "Showing the " + G.shown + " most connected of " + G.total + " documents in reuse."));
    for (var r = 1; r < REL.length; r++) {
      var item = el("span"), sw = el("span", "swatch");
      sw.style.background = REL_COLOURS[r];
      item.appendChild(sw);
      item.appendChild(document.createTextNode("→ " + REL[r]));
      legend.appendChild(item);
    }
    var s = svg("svg", { viewBox: "0 0 " + G.width + " " + G.height, role: "img", "aria-label": "reuse graph", id: "graph-svg" });
    var defs = svg("defs", {});
    REL_COLOURS.forEach(function (c, i) {
      // Fixed-size heads: with the default markerUnits they would grow with the stroke.
      var m = svg("marker", { id: "arrow" + i, viewBox: "0 0 10 10", refX: "10", refY: "5", markerUnits: "userSpaceOnUse", markerWidth: "8", markerHeight: "8", orient: "auto-start-reverse" });
      m.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: c }));
      defs.appendChild(m);
    });
    s.appendChild(defs);
    G.lanes.forEach(function (l, i) {
      if (i % 2 === 0) s.appendChild(svg("rect", { x: 0, y: l[1], width: G.width, height: l[2], fill: "#f3f5f8" }));
      var label = svg("text", { x: 8, y: l[1] + 16, "font-size": "12", fill: l[0] >= 0 ? outletColour(l[0]) : "#5f6b7a" });
      var name = l[0] === -2 ? "other outlets" : outletName(l[0]);
      label.textContent = name.length > 22 ? name.slice(0, 21) + "…" : name;
      s.appendChild(label);
    });
    G.ticks.forEach(function (tk) {
      s.appendChild(svg("line", { x1: tk[0], x2: tk[0], y1: 22, y2: G.height - 6, stroke: "#e3e7ee" }));
      var tx = svg("text", { x: tk[0], y: 16, "font-size": "11", "text-anchor": "middle", fill: "#5f6b7a" });
      tx.textContent = tk[1];
      s.appendChild(tx);
    });
    var pos = {};
    G.nodes.forEach(function (n) { pos[n[0]] = n; });
    var edgeLayer = svg("g", {}), nodeLayer = svg("g", {}), big = G.nodes.length > 60;
    G.edges.forEach(function (e) {
      var a = pos[e[0]], b = pos[e[1]];
      var dx = b[1] - a[1], dy = b[2] - a[2], len = Math.sqrt(dx * dx + dy * dy) || 1;
      var x2 = b[1] - dx / len * 7, y2 = b[2] - dy / len * 7;
      var bend = Math.min(40, len / 5);
      var cx = (a[1] + x2) / 2 - dy / len * bend, cy = (a[2] + y2) / 2 + dx / len * bend;
      var p = svg("path", { d: "M" + a[1] + "," + a[2] + " Q" + cx.toFixed(1) + "," + cy.toFixed(1) + " " + x2.toFixed(1) + "," + y2.toFixed(1),
        fill: "none", stroke: REL_COLOURS[e[3]], "stroke-width": Math.min(1 + e[2] * 0.4, 3).toFixed(1), "stroke-opacity": big ? "0.3" : "0.6",
        "marker-end": "url(#arrow" + e[3] + ")", "class": "edge", "data-s": e[0], "data-t": e[1] });
      var tip = svg("title", {});
      tip.textContent = docLabel(D.documents[e[0]]) + " → " + docLabel(D.documents[e[1]]) + ": " + e[2] + " shared claim" + (e[2] === 1 ? "" : "s");
      p.appendChild(tip);
      edgeLayer.appendChild(p);
    });
    var labels = G.labels;
    G.nodes.forEach(function (n) {
      var d = D.documents[n[0]];
      var c = svg("circle", { cx: n[1], cy: n[2], r: (big ? 4 : 5) + Math.min(d.reused, 10) * (big ? 0.15 : 0.4), fill: outletColour(d.outlet), "class": "node", "data-doc": n[0] });
      var tip = svg("title", {});
      tip.textContent = docLabel(d) + " — " + outletName(d.outlet) + ", " + (dateOf(d.published) || "undated");
      c.appendChild(tip);
      c.addEventListener("click", function () { showDocument(n[0]); $("document-section").scrollIntoView(); });
      nodeLayer.appendChild(c);
      if (labels) {
        var tx = svg("text", { x: n[1] + 9, y: n[2] + 4, "font-size": "10", fill: "#1d2330" });
        var t = docLabel(d);
        tx.textContent = t.length > 28 ? t.slice(0, 27) + "…" : t;
        nodeLayer.appendChild(tx);
      }
    });
    s.appendChild(edgeLayer);
    s.appendChild(nodeLayer);
    box.appendChild(s);
  }
  // Under a filter the graph lights the documents of the clusters that match it (and the
  // arrows between them), so a search or an outlet shows where its claims went.
  function dimGraph() {
    var s = $("graph-svg");
    if (!s) return;
    var active = F.outlet !== "" || F.relation !== "" || F.from || F.to || F.q, lit = {};
    shownClusters.forEach(function (ci) { D.clusters[ci].m.forEach(function (m) { lit[m[0]] = 1; }); });
    Array.prototype.forEach.call(s.querySelectorAll("circle.node"), function (c) {
      c.classList.toggle("dim", !!active && !lit[c.getAttribute("data-doc")]);
    });
    Array.prototype.forEach.call(s.querySelectorAll("path.edge"), function (p) {
      p.classList.toggle("dim", !!active && !(lit[p.getAttribute("data-s")] && lit[p.getAttribute("data-t")]));
    });
  }

  // ------------------------------------------------------------------ clusters
  var clusterPage = 0, shownClusters = [], WITNESSES = 12;
  function timeline(c) {
    var W = 600, s = svg("svg", { viewBox: "0 0 " + W + " 46", width: W, height: 46, "class": "timeline" });
    var days = c.m.map(function (m) { return dateOf(m[5]); });
    var dated = days.filter(Boolean).map(function (d) { return Date.parse(d); });
    var lo = Math.min.apply(null, dated), hi = Math.max.apply(null, dated);
    var undated = days.some(function (d) { return !d; });
    var right = undated ? W - 70 : W - 20;
    s.appendChild(svg("line", { x1: 20, x2: right, y1: 20, y2: 20, stroke: "#c5ccd6" }));
    var slot = {};
    c.m.forEach(function (m, i) {
      var d = days[i], x;
      if (!d) x = W - 35;
      else x = hi > lo ? 20 + (right - 20) * (Date.parse(d) - lo) / (hi - lo) : (20 + right) / 2;
      var k = Math.round(x), n = slot[k] = (slot[k] || 0) + 1;
      var doc = D.documents[m[0]];
      var dot = svg("circle", { cx: x + Math.min(n - 1, 3) * 6, cy: 20, r: m[1] === 0 ? 7 : 5, fill: outletColour(doc.outlet), stroke: REL_COLOURS[m[1]], "stroke-width": 2 });
      var tip = svg("title", {});
      tip.textContent = REL[m[1]] + ": " + outletName(doc.outlet) + ", " + (d || "undated");
      dot.appendChild(tip);
      s.appendChild(dot);
    });
    if (dated.length) {
      var a = svg("text", { x: 20, y: 42, "font-size": "11", fill: "#5f6b7a" });
      a.textContent = new Date(lo).toISOString().slice(0, 10);
      s.appendChild(a);
      if (hi > lo) {
        var b = svg("text", { x: right, y: 42, "font-size": "11", fill: "#5f6b7a", "text-anchor": "end" });
        b.textContent = new Date(hi).toISOString().slice(0, 10);
        s.appendChild(b);
      }
    }
    if (undated) {
      var u = svg("text", { x: W - 35, y: 42, "font-size": "11", fill: "#5f6b7a", "text-anchor": "middle" });
      u.textContent = "undated";
      s.appendChild(u);
    }
    return s;
  }
  function segments(box, segs) {
    (segs || []).forEach(function (sg) {
      box.appendChild(el("span", ["seg-same", "seg-changed", "seg-dropped"][sg[0]], sg[1]));
    });
  }
  function drawCluster(ci) {
    var c = D.clusters[ci], o = c.m[0], od = D.documents[o[0]];
    var sec = el("section", "cluster");
    sec.id = "cluster-" + ci;
    sec.setAttribute("data-cluster", c.id);
    var counts = {};
    c.m.slice(1).forEach(function (m) { counts[REL[m[1]]] = (counts[REL[m[1]]] || 0) + 1; });
    var parts = [];
    for (var r = 1; r < REL.length; r++) if (counts[REL[r]]) parts.push(counts[REL[r]] + " " + REL[r]);
    var docs = {};
    c.m.forEach(function (m) { docs[m[0]] = 1; });
    sec.appendChild(el("h3", null, "Cluster " + c.id + " · origin + " + (c.m.length - 1) + " cop" + (c.m.length === 2 ? "y" : "ies") +
      " across " + Object.keys(docs).length + " documents" + (parts.length ? " (" + parts.join(", ") + ")" : "")));
    var line = el("div");
    line.appendChild(el("strong", null, "Origin: "));
    line.appendChild(document.createTextNode(outletName(od.outlet) + ", " + (dateOf(o[5]) || "undated") + " · "));
    var a = el("a", null, docLabel(od));
    a.setAttribute("href", "#document-section");
    a.addEventListener("click", function () { showDocument(o[0]); });
    line.appendChild(a);
    if (c.basis) line.appendChild(el("span", "muted", " · basis: " + c.basis));
    if (c.hidden) line.appendChild(el("span", "hidden-note", " · hidden from reuse figures: " + c.hidden));
    sec.appendChild(line);
    if (c.tied && c.tied.length) {
      // No witness can be called the origin: the dates cannot say which of these came first.
      sec.appendChild(el("div", "tie", "Tie: " + c.tied.map(function (di) {
        var d = D.documents[di];
        return outletName(d.outlet) + " (" + (dateOf(d.published) || "undated") + ")";
      }).join(", ") + " could each be first; no copying is drawn between them, and the first stands as the origin the others are compared with."));
    }
    if (c.ps) {
      var ps = el("div");
      ps.appendChild(el("strong", null, "Primary source: "));
      if (c.ps[0]) ps.appendChild(document.createTextNode(c.ps[0] + " "));
      if (c.ps[1]) ps.appendChild(link(c.ps[1]));
      sec.appendChild(ps);
    }
    sec.appendChild(timeline(c));
    var grid = el("div", "witnesses");
    // A claim copied a hundred times shows its first witnesses; the rest on request.
    var limit = c.m.length > WITNESSES + 4 ? WITNESSES : c.m.length;
    function witness(m) {
      var d = D.documents[m[0]], w = el("div", "witness" + (m[1] === 0 ? " origin" : ""));
      var h = el("header");
      h.appendChild(el("span", "badge rel-" + REL[m[1]], REL[m[1]]));
      if (m[6]) h.appendChild(el("span", "hidden-note", " hidden: " + m[6]));
      h.appendChild(document.createTextNode(" " + (m[1] === 0 ? "" : fmtSim(m[2]) + " · ")));
      var sw = el("span", "swatch");
      sw.style.background = outletColour(d.outlet);
      h.appendChild(sw);
      h.appendChild(document.createTextNode(outletName(d.outlet) + ", " + (dateOf(m[5]) || "undated")));
      h.appendChild(el("br"));
      var a = el("a", null, docLabel(d));
      a.setAttribute("href", "#document-section");
      a.addEventListener("click", function () { showDocument(m[0]); });
      h.appendChild(a);
      w.appendChild(h);
      var tx = el("div", "wtext");
      segments(tx, m[3]);
      w.appendChild(tx);
      if (m[4] && m[4].length) {
        w.appendChild(el("div", "diff", m[4].map(function (x) { return x[0] + ": " + x[1] + " → " + x[2]; }).join("; ")));
      }
      grid.appendChild(w);
    }
    c.m.slice(0, limit).forEach(witness);
    sec.appendChild(grid);
    if (limit < c.m.length) {
      var more = el("button", "more", "show all " + c.m.length + " witnesses");
      more.type = "button";
      more.addEventListener("click", function () { c.m.slice(limit).forEach(witness); more.remove(); });
      sec.appendChild(more);
    }
    if (c.chain && c.chain.length) {
      var ch = el("div", "chain");
      ch.appendChild(el("strong", null, "Witness chain: "));
      var ol = el("ol");
      c.chain.forEach(function (l) {
        var li = el("li");
        li.appendChild(document.createTextNode(outletName(D.documents[l[0]].outlet) + " → " + outletName(D.documents[l[1]].outlet) +
          " · " + (l[2] === null ? "undated" : (l[2] >= 0 ? "+" : "") + l[2].toFixed(1) + " d") + " · " + fmtSim(l[3]) + (l[4] ? " · " + l[4] : "") +
          (l[7] === "credit" ? " · ordered by its credit" : "") + " · "));
        var credit = l[5] === "earlier" ? "credits " + (l[6].join(", ") || "the earlier document")
          : l[5] === "outside" ? "credits " + (l[6].join(", ") || "an outside source") : "uncredited";
        li.appendChild(el("span", l[5] === "earlier" || l[5] === "outside" ? "credited" : "uncredited", credit));
        ol.appendChild(li);
      });
      ch.appendChild(ol);
      sec.appendChild(ch);
    }
    if (c.unordered && c.unordered.length) {
      sec.appendChild(el("div", "chain muted", "Not linked, order unknown: " + c.unordered.map(function (u) {
        return outletName(D.documents[u[0]].outlet) + " (" + u[1] + ")";
      }).join(", ") + ". The same claim, but the data does not say who came first."));
    }
    return sec;
  }
  // Passages follow the filters like everything else: a passage shows when either of its two
  // documents passes them and, under a search, when its text or a document's name has the words.
  function passagePasses(p) {
    if (F.relation !== "" && p[3] !== REL[+F.relation]) return false;
    var a = D.documents[p[0]], b = D.documents[p[1]];
    if (!docPasses(a) && !docPasses(b)) return false;
    if (!F.q) return true;
    if (p._hay === undefined) {
      p._hay = [p[5], docLabel(a), docLabel(b), a.id, b.id, a.source || "", b.source || ""].join(" \u0001 ").toLowerCase();
    }
    return p._hay.indexOf(F.q) >= 0;
  }
  function drawPassages() {
    var box = $("passages");
    box.textContent = "";
    if (!D.passages.length) return;
    var shown = D.passages.filter(passagePasses);
    var count = shown.length === D.passages.length ? String(D.passages.length) : shown.length + " of " + D.passages.length;
    box.appendChild(el("h3", null, "Passages: consecutive claims reused together (" + count + ")"));
    if (!shown.length) { box.appendChild(el("p", "muted", "No passage matches the filters.")); return; }
    var table = el("table"), head = el("tr"), body = el("tbody");
    ["from", "to", "claims", "relation", "credited", "text"].forEach(function (h) { head.appendChild(el("th", null, h)); });
    var thead = el("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    shown.slice(0, 200).forEach(function (p) {
      var tr = el("tr", "passage");
      [p[0], p[1]].forEach(function (di) {
        var td = el("td"), a = el("a", null, docLabel(D.documents[di]));
        a.setAttribute("href", "#document-section");
        a.addEventListener("click", function () { showDocument(di); });
        td.appendChild(a);
        tr.appendChild(td);
      });
      tr.appendChild(el("td", "num", p[2]));
      tr.appendChild(el("td", null, p[3] || ""));
      tr.appendChild(el("td", null, p[4] ? "yes" : "no"));
      tr.appendChild(el("td", null, p[5].length > 220 ? p[5].slice(0, 219) + "…" : p[5]));
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.appendChild(table);
    if (shown.length > 200) box.appendChild(el("p", "muted", "… and " + (shown.length - 200) + " more (see the JSON or Markdown report)."));
  }
  function drawClusters() {
    shownClusters = [];
    for (var i = 0; i < D.clusters.length; i++) if (clusterPasses(i)) shownClusters.push(i);
    var per = D.page_size, pages = Math.max(1, Math.ceil(shownClusters.length / per));
    clusterPage = Math.min(clusterPage, pages - 1);
    var box = $("clusters");
    box.textContent = "";
    if (!D.clusters.length) box.appendChild(el("p", "muted", "No claim is shared between documents."));
    shownClusters.slice(clusterPage * per, (clusterPage + 1) * per).forEach(function (ci) { box.appendChild(drawCluster(ci)); });
    var go = function (p) { clusterPage = p; drawClusters(); $("clusters-section").scrollIntoView(); };
    pager($("cluster-pager-top"), clusterPage, pages, shownClusters.length, "clusters", go);
    pager($("cluster-pager"), clusterPage, pages, shownClusters.length, "clusters", go);
  }
  function showCluster(ci) {
    if (shownClusters.indexOf(ci) < 0) { clearFilters(); }
    clusterPage = Math.floor(shownClusters.indexOf(ci) / D.page_size);
    drawClusters();
    var sec = $("cluster-" + ci);
    if (sec) {
      sec.scrollIntoView();
      sec.classList.add("flash");
      setTimeout(function () { sec.classList.remove("flash"); }, 1500);
    }
  }

  // ------------------------------------------------------------------ document view
  function showDocument(i) {
    var d = D.documents[i], sel = $("doc-select");
    sel.value = String(i);
    var meta = $("docmeta");
    meta.textContent = "";
    meta.appendChild(el("h3", null, docLabel(d)));
    var p = el("p", "muted", outletName(d.outlet) + " · " + (d.published || "undated") + " · " + d.reused + " of " + d.claims + " claims reused · id ");
    p.appendChild(el("span", "id", d.id));
    meta.appendChild(p);
    if (d.url) { var u = el("p"); u.appendChild(link(d.url)); meta.appendChild(u); }
    else if (d.path) meta.appendChild(el("p", "rawurl", d.path));
    if (d.credits && d.credits.length) {
      var ul = el("ul", "credits");
      d.credits.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("strong", null, c[2]));
        var said = c[0] !== null && typeof d.text === "string" ? d.text.slice(c[0], c[1]) : c[3];
        li.appendChild(document.createTextNode(": “" + (said && said.length > 240 ? said.slice(0, 239) + "…" : said || "") + "”"));
        ul.appendChild(li);
      });
      meta.appendChild(el("h4", null, "Who this document credits (" + d.credits.length + " claims)"));
      meta.appendChild(ul);
    } else if (D.credits_by_claim) {
      meta.appendChild(el("p", "muted", "This document credits no source."));
    }
    var box = $("doctext");
    box.textContent = "";
    if (typeof d.text !== "string") {
      box.appendChild(el("span", "muted", "This report does not carry document texts."));
      return;
    }
    var at = 0;
    (d.spans || []).forEach(function (sp) {
      if (sp[0] < at || sp[1] > d.text.length) return;
      box.appendChild(document.createTextNode(d.text.slice(at, sp[0])));
      var m = el("mark", "m-" + REL[sp[3]], d.text.slice(sp[0], sp[1]));
      m.setAttribute("title", REL[sp[3]] + " · cluster " + D.clusters[sp[2]].id + " (click to open)");
      m.addEventListener("click", function () { showCluster(sp[2]); });
      box.appendChild(m);
      at = sp[1];
    });
    box.appendChild(document.createTextNode(d.text.slice(at)));
  }
  function fillDocSelect() {
    var sel = $("doc-select");
    docOrder.forEach(function (i) {
      var d = D.documents[i], o = el("option", null, docLabel(d).slice(0, 90) + " — " + outletName(d.outlet) + " (" + d.reused + " reused)");
      o.value = String(i);
      sel.appendChild(o);
    });
    sel.addEventListener("change", function () { showDocument(+sel.value); });
  }

  // ------------------------------------------------------------------ wiring
  function fillFilters() {
    var outlet = $("f-outlet"), rel = $("f-relation");
    D.outlets.forEach(function (name, i) {
      var o = el("option", null, name || "(no outlet)");
      o.value = String(i);
      outlet.appendChild(o);
    });
    REL.forEach(function (name, i) {
      var o = el("option", null, name);
      o.value = String(i);
      rel.appendChild(o);
    });
  }
  function readFilters() {
    F.outlet = $("f-outlet").value;
    F.relation = $("f-relation").value;
    F.from = $("f-from").value;
    F.to = $("f-to").value;
    F.q = $("f-search").value.trim().toLowerCase();
  }
  function applyFilters() {
    var started = performance.now();
    readFilters();
    clusterPage = 0;
    docPage = 0;
    drawDocs();
    drawClusters();
    drawPassages();
    dimGraph();
    var active = [F.outlet && outletName(+F.outlet), F.relation && REL[+F.relation], F.from && "from " + F.from, F.to && "to " + F.to, F.q && "“" + F.q + "”"].filter(Boolean);
    $("f-status").textContent = active.length ? shownClusters.length + " of " + D.clusters.length + " clusters match" : "";
    // Read by scripts/measure_report.py: how long the last filter took to redraw.
    document.body.setAttribute("data-filter-ms", (performance.now() - started).toFixed(1));
  }
  function clearFilters() {
    ["f-outlet", "f-relation", "f-from", "f-to", "f-search"].forEach(function (id) { $(id).value = ""; });
    applyFilters();
  }
  var timer = null;
  ["f-outlet", "f-relation", "f-from", "f-to"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("f-search").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(applyFilters, 200); });
  $("f-clear").addEventListener("click", clearFilters);

  fillFilters();
  drawCredited();
  drawPassages();
  drawGraph();
  drawDocs();
  drawClusters();
  fillDocSelect();
  if (docOrder.length) showDocument(docOrder[0]);
  // Links a reader can share: #doc=ID opens a document, #cluster=ID a cluster, #search=WORDS
  // a search.
  function follow() {
    var h = decodeURIComponent(location.hash.slice(1)), i;
    if (h.indexOf("doc=") === 0) {
      for (i = 0; i < D.documents.length; i++) if (D.documents[i].id === h.slice(4)) {
        showDocument(i);
        $("document-section").scrollIntoView();
        return;
      }
    } else if (h.indexOf("cluster=") === 0) {
      for (i = 0; i < D.clusters.length; i++) if (D.clusters[i].id === h.slice(8)) { showCluster(i); return; }
    } else if (h.indexOf("search=") === 0) {
      $("f-search").value = h.slice(7);
      applyFilters();
      $("clusters-section").scrollIntoView();
    }
  }
  window.addEventListener("hashchange", follow);
  follow();
  // Read by the browser tests and scripts/measure_report.py: milliseconds from navigation start
  // to the page drawn, and of that the script's own time.
  document.body.setAttribute("data-drawn-ms", performance.now().toFixed(1));
  document.body.setAttribute("data-script-ms", (performance.now() - t0).toFixed(1));
  document.body.setAttribute("data-ready", "1");
})();
