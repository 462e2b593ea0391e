/* safety-kg: the network pages (overview.html and entity/*.html).
 *
 * Reads the JSON block #kg-data written by kg/views/network.py. Every piece of text
 * reaches the page through textContent or a DOM property, never innerHTML, so
 * names, headlines and evidence from articles always show as text.
 *
 * Layout: vis-network's physics stabilises for a bounded number of iterations and
 * is then switched off (frozen): nothing moves afterwards, which keeps large graphs
 * responsive. window.kgView exposes the state for tests and benchmarks.
 */
(function () {
  "use strict";

  var marks = { start: performance.now() };
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  marks.parsed = performance.now();
  var ENT = D.entities; // [name, type index, page href, aliases, article indices, n articles, n relations]
  var REL = D.relations; // [subject, predicate index, object, n evidence, [[sentence, article index]]]
  var ART = D.articles; // [id, headline, date, source]
  var TYPES = D.types;
  var PREDS = D.predicates;
  var SHOWN = D.shown; // entities 0 .. SHOWN-1 are drawn
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var ANIMATE_MAX = 300; // nodes up to which focusing a node is animated

  var statusEl = document.getElementById("status");
  var panel = document.getElementById("panel");
  var searchInput = document.getElementById("search");
  var searchMsg = document.getElementById("search-msg");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function pageHref(href) {
    return typeof href === "string" && PAGE_RE.test(href) ? D.root + href : null;
  }
  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // relations of every entity of the payload (indices into REL)
  var relsOf = ENT.map(function () {
    return [];
  });
  REL.forEach(function (r, k) {
    relsOf[r[0]].push(k);
    if (r[2] !== r[0]) relsOf[r[2]].push(k);
  });
  // in the panel: by predicate (model order), outgoing first, then by the other end's name
  relsOf.forEach(function (ks, i) {
    ks.sort(function (a, b) {
      var ra = REL[a];
      var rb = REL[b];
      var oa = ra[0] === i ? ra[2] : ra[0];
      var ob = rb[0] === i ? rb[2] : rb[0];
      return (
        ra[1] - rb[1] ||
        (ra[0] === i ? 0 : 1) - (rb[0] === i ? 0 : 1) ||
        (ENT[oa][0] < ENT[ob][0] ? -1 : ENT[oa][0] > ENT[ob][0] ? 1 : 0)
      );
    });
  });

  // -- the network ---------------------------------------------------------------
  var nodes = new vis.DataSet(D.vis.nodes);
  var edges = new vis.DataSet(D.vis.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, D.vis.options);
  marks.constructed = performance.now();
  var api = (window.kgView = {
    network: network,
    nodes: nodes,
    edges: edges,
    state: "stabilizing",
    stableAt: null,
    focused: null,
    animating: false,
    iterations: 0,
    marks: marks,
    find: find,
    focusNode: focusNode,
  });

  function drawnCounts() {
    var n = 0;
    var m = 0;
    nodes.forEach(function (x) {
      if (!x.hidden) n++;
    });
    var hiddenNode = {};
    nodes.forEach(function (x) {
      if (x.hidden) hiddenNode[x.id] = true;
    });
    edges.forEach(function (e) {
      if (!e.hidden && !hiddenNode[e.from] && !hiddenNode[e.to]) m++;
    });
    return [n, m];
  }

  function showStatus() {
    var c = drawnCounts();
    var text = plural(c[0], "node") + " · " + plural(c[1], "edge") + " shown";
    if (api.state === "ready") {
      text += " · layout frozen after " + api.iterations + " iterations. 拖动、缩放、点击节点查看详情。";
    }
    statusEl.textContent = text;
  }

  function freeze() {
    if (api.state !== "stabilizing") return;
    marks.stabilized = performance.now();
    network.setOptions({ physics: { enabled: false } });
    api.state = "frozen";
    network.once("afterDrawing", function () {
      api.state = "ready";
      api.stableAt = marks.drawn = performance.now();
      document.body.setAttribute("data-state", "ready");
      showStatus();
      if (D.focus !== null && D.focus !== undefined) network.selectNodes([D.focus]);
    });
    network.redraw();
  }

  network.on("stabilizationProgress", function (p) {
    api.iterations = p.iterations;
    statusEl.textContent = "Laying out the graph… 正在布局 " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    api.iterations = Math.max(api.iterations, D.vis.options.physics.stabilization.iterations);
    freeze();
  });
  if (SHOWN === 0) {
    freeze();
  }
  network.on("animationFinished", function () {
    api.animating = false;
  });

  // -- filters (the legend) --------------------------------------------------------
  var typeOn = TYPES.map(function () {
    return true;
  });
  var predOn = PREDS.map(function () {
    return true;
  });

  function applyFilters() {
    var nu = [];
    nodes.forEach(function (n) {
      var hide = !typeOn[n.t];
      if (!!n.hidden !== hide) nu.push({ id: n.id, hidden: hide });
    });
    if (nu.length) nodes.update(nu);
    var eu = [];
    edges.forEach(function (e) {
      var hide = !predOn[e.p];
      if (!!e.hidden !== hide) eu.push({ id: e.id, hidden: hide });
    });
    if (eu.length) edges.update(eu);
    showStatus();
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-type]"), function (box) {
    box.addEventListener("change", function () {
      typeOn[Number(box.getAttribute("data-type"))] = box.checked;
      applyFilters();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-pred]"), function (box) {
    box.addEventListener("change", function () {
      predOn[Number(box.getAttribute("data-pred"))] = box.checked;
      applyFilters();
    });
  });

  // -- search --------------------------------------------------------------------
  var exact = new Map(); // name or alias -> entity index (drawn entities first)
  ENT.forEach(function (e, i) {
    [e[0]].concat(e[3]).forEach(function (name) {
      var old = exact.get(name);
      if (old === undefined || (old >= SHOWN && i < SHOWN)) exact.set(name, i);
    });
  });
  var others = new Map(); // entities of the whole corpus (overview above its limit)
  (D.search || []).forEach(function (s) {
    [s[0]].concat(s[1]).forEach(function (name) {
      if (!others.has(name)) others.set(name, s);
    });
  });

  (function fillDatalist() {
    var list = document.getElementById("search-names");
    var seen = new Set();
    var frag = document.createDocumentFragment();
    for (var i = 0; i < SHOWN; i++) {
      if (seen.has(ENT[i][0])) continue;
      seen.add(ENT[i][0]);
      var o = document.createElement("option");
      o.value = ENT[i][0];
      frag.appendChild(o);
    }
    list.appendChild(frag);
  })();

  /** The drawn entity named (or aliased) q; else the first drawn one containing q. */
  function find(q) {
    q = (q || "").trim();
    if (!q) return -1;
    var i = exact.get(q);
    if (i !== undefined && i < SHOWN) return i;
    var best = -1;
    for (var k = 0; k < SHOWN; k++) {
      var e = ENT[k];
      var hit = e[0].indexOf(q) >= 0 || e[3].some(function (a) {
        return a.indexOf(q) >= 0;
      });
      if (hit && (best < 0 || e[0].length < ENT[best][0].length)) best = k;
    }
    return best;
  }

  function focusNode(i) {
    var n = nodes.get(i);
    if (!n) return false;
    if (n.hidden) {
      typeOn[n.t] = true;
      var box = document.querySelector('input[data-type="' + n.t + '"]');
      if (box) box.checked = true;
      applyFilters();
    }
    network.selectNodes([i]);
    api.focused = i;
    // vis animates frame by frame: on thousands of nodes each frame is a full redraw,
    // so big graphs jump straight to the node
    var animate = SHOWN <= ANIMATE_MAX;
    api.animating = animate;
    network.focus(i, {
      scale: Math.max(network.getScale(), 1.1),
      animation: animate ? { duration: 300, easingFunction: "easeInOutQuad" } : false,
    });
    document.body.setAttribute("data-focused", ENT[i][0]);
    showNode(i);
    return true;
  }

  function search(q, strict) {
    clear(searchMsg);
    var i = strict ? exact.get((q || "").trim()) : find(q);
    if (i !== undefined && i >= 0 && i < SHOWN) {
      focusNode(i);
      return;
    }
    if (strict) return;
    var other = others.get((q || "").trim());
    if (other) {
      searchMsg.appendChild(document.createTextNode("Not drawn here 未显示: "));
      var href = pageHref(other[2]);
      var a = el("a", null, other[0] + " →");
      if (href) a.href = href;
      searchMsg.appendChild(a);
    } else if ((q || "").trim()) {
      searchMsg.textContent = "No match 未找到";
    }
  }

  searchInput.addEventListener("input", function () {
    search(searchInput.value, true); // an exact name focuses while typing
  });
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search(searchInput.value, false);
  });

  // -- side panel ------------------------------------------------------------------
  function entityRef(i) {
    var e = ENT[i];
    var t = TYPES[e[1]];
    var span = el("span", "ref");
    span.appendChild(el("span", "glyph t" + e[1], t.glyph));
    if (i < SHOWN) {
      var b = el("button", "link", e[0]);
      b.type = "button";
      b.title = "Show in the graph";
      b.addEventListener("click", function () {
        focusNode(i);
      });
      span.appendChild(b);
    } else {
      var href = pageHref(e[2]);
      var a = el("a", null, e[0]);
      if (href) a.href = href;
      span.appendChild(a);
    }
    return span;
  }

  function evidenceList(r) {
    var ul = el("ul", "evidence");
    r[4].forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("q", null, ev[0]));
      var a = ART[ev[1]];
      if (a) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("cite", null, a[1] || a[0]));
        var meta = [a[2], a[3]].filter(Boolean).join(" · ");
        if (meta) li.appendChild(el("span", "meta", " " + meta));
      }
      ul.appendChild(li);
    });
    if (r[3] > r[4].length) {
      ul.appendChild(el("li", "more", "+" + (r[3] - r[4].length) + " more sentences in the focused views"));
    }
    return ul;
  }

  function predLabel(p) {
    return PREDS[p].name + " " + PREDS[p].label;
  }

  function panelHeader(i) {
    var e = ENT[i];
    var t = TYPES[e[1]];
    var close = el("button", "close", "×");
    close.type = "button";
    close.title = "Close";
    close.addEventListener("click", resetPanel);
    panel.appendChild(close);
    var h2 = el("h2");
    h2.appendChild(el("span", "glyph t" + e[1], t.glyph));
    h2.appendChild(document.createTextNode(e[0]));
    panel.appendChild(h2);
    panel.appendChild(el("p", "type", t.name + " " + t.label));
    if (e[3].length) panel.appendChild(el("p", "aliases", "Aliases 别名: " + e[3].join("、")));
    var href = pageHref(e[2]);
    if (href && D.focus !== i) {
      var a = el("a", "open", "Open its focused view 打开专页 →");
      a.href = href;
      panel.appendChild(a);
    }
  }

  function showNode(i) {
    clear(panel);
    panel.setAttribute("data-entity", ENT[i][0]);
    panelHeader(i);
    var e = ENT[i];
    var ks = relsOf[i];
    var h3 = el("h3", null, "Relations 关系 (" + ks.length + ")");
    panel.appendChild(h3);
    if (e[6] > ks.length) {
      var where = D.focus === i ? "the lists below have all." : "its focused view lists all.";
      panel.appendChild(el("p", "note", ks.length + " of " + e[6] + " relations drawn here; " + where));
    }
    var ol = el("ol", "rels");
    ks.forEach(function (k) {
      var r = REL[k];
      var li = el("li", "rel");
      var out = r[0] === i;
      var head = el("div", "head");
      head.appendChild(el("span", "pred", (out ? "→ " : "← ") + predLabel(r[1])));
      head.appendChild(document.createTextNode(" "));
      head.appendChild(entityRef(out ? r[2] : r[0]));
      li.appendChild(head);
      li.appendChild(evidenceList(r));
      ol.appendChild(li);
    });
    panel.appendChild(ol);
    var arts = e[4];
    panel.appendChild(el("h3", null, "Articles 文章 (" + e[5] + ")"));
    var ul = el("ul", "articles");
    arts.forEach(function (ai) {
      var a = ART[ai];
      var li = el("li");
      li.appendChild(el("cite", null, a[1] || a[0]));
      var meta = [a[2], a[3]].filter(Boolean).join(" · ");
      if (meta) li.appendChild(el("span", "meta", " " + meta));
      ul.appendChild(li);
    });
    if (e[5] > arts.length) ul.appendChild(el("li", "more", "+" + (e[5] - arts.length) + " more in its focused view"));
    panel.appendChild(ul);
  }

  function showEdge(k) {
    var r = REL[k];
    clear(panel);
    panel.removeAttribute("data-entity");
    var close = el("button", "close", "×");
    close.type = "button";
    close.addEventListener("click", resetPanel);
    panel.appendChild(close);
    panel.appendChild(el("h2", null, "Relation 关系"));
    var p = el("p", "edge");
    p.appendChild(entityRef(r[0]));
    p.appendChild(el("span", "pred", " " + predLabel(r[1]) + " "));
    p.appendChild(entityRef(r[2]));
    panel.appendChild(p);
    panel.appendChild(el("h3", null, "Evidence 证据 (" + r[3] + ")"));
    panel.appendChild(evidenceList(r));
  }

  var hint = panel.cloneNode(true);
  function resetPanel() {
    clear(panel);
    panel.removeAttribute("data-entity");
    Array.prototype.forEach.call(hint.childNodes, function (c) {
      panel.appendChild(c.cloneNode(true));
    });
    network.unselectAll();
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else resetPanel();
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length || params.nodes[0] === D.focus) return;
    var href = pageHref(ENT[params.nodes[0]][2]);
    if (href) window.location.href = href;
  });
})();
