/* safety-kg: the network pages (overview.html and entity/*.html).
 *
 * Reads the JSON block #kg-data written by kg/views/network.py. Every piece of text
 * reaches the page through textContent or a DOM property, never innerHTML, so
 * names, headlines and evidence from articles always show as text.
 *
 * Layout: vis-network's physics stabilises for a bounded number of iterations and
 * is then switched off (frozen): nothing moves afterwards, which keeps large graphs
 * responsive. window.kgView exposes the state for tests and benchmarks.
 *
 * What the page adds to vis-network: labels of the most connected nodes at a fixed size
 * on screen whatever the zoom (vis-network draws every label only once it is readable);
 * a selected node dims everything but its neighbourhood; the view fits what a filter
 * leaves; ready-made views (places × campaigns, places × industries) in two columns;
 * suggestions under the search box (names and aliases) while typing; a date range and a city
 * filter (the overview); every quoted sentence links to its span in its article's page.
 */
(function () {
  "use strict";

  var marks = { start: performance.now() };
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  marks.parsed = performance.now();
  // [name, type index, page href, aliases, article indices, n articles, n relations, dates, cities]
  var ENT = D.entities;
  // [subject, predicate index, object, n evidence, [[sentence, article index, start, end]], dates]
  var REL = D.relations;
  var ART = D.articles; // [id, headline, date, source, article page href]
  var TYPES = D.types;
  var PREDS = D.predicates;
  var SHOWN = D.shown; // entities 0 .. SHOWN-1 are drawn
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var ARTICLE_RE = /^article\/[0-9a-f]{16}\.html$/;
  var ANIMATE_MAX = 300; // nodes up to which focusing a node is animated
  var HUBS = D.hubs || []; // drawn nodes, most connected first
  var LABEL_PX = 12; // hub labels on screen, whatever the zoom
  var LABEL_MAX = 80; // hub labels drawn at most
  var LABELS_AT_FIT = 40; // the most connected nodes labelled when the whole graph is in view
  var LABEL_FONT = D.vis.options.nodes.font.face;
  var DRAW_THRESHOLD = D.vis.options.nodes.scaling.label.drawThreshold;
  var DIM = 0.13; // opacity of what a selection leaves out
  var SUGGEST_MAX = 10;

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
  /** The link to an article's page (at a span of it: start, end), or null when it has none. */
  function articleHref(a, start, end) {
    var page = ART[a] && ART[a][4];
    if (typeof page !== "string" || !ARTICLE_RE.test(page)) return null;
    return D.root + page + (start === undefined ? "" : "#ev-" + start + "-" + end);
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
    labelled: [], // the nodes labelled by this script at the last frame
    hubLabels: true,
    dimmed: null, // the node whose neighbourhood is shown, the rest dimmed
    fits: 0, // how often the view was fitted to what the filters leave
    preset: "all",
    applyPreset: applyPreset,
    suggest: suggest,
    setDates: setDates,
    setCity: setCity,
    dateFrom: "",
    dateTo: "",
    city: "",
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
    if (dateActive()) text += " · " + (api.dateFrom || "…") + " – " + (api.dateTo || "…");
    if (api.city !== "") text += " · " + D.cities[Number(api.city)];
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
      baseScale = network.getScale();
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

  // -- labels of the most connected nodes at every zoom --------------------------------
  // vis-network scales labels with the zoom and draws them from DRAW_THRESHOLD px on; below
  // that, the hubs are labelled here at LABEL_PX on screen, most connected first, a label
  // only where it overlaps no other (the selected node's neighbourhood goes first).
  var labelSide = {}; // node -> "left" | "right" in the two-column views
  network.on("afterDrawing", function (ctx) {
    if (api.dimmed !== null && hood) drawNeighbourhood(ctx);
    api.labelled = api.hubLabels ? drawHubLabels(ctx) : [];
  });

  var baseScale = null; // the zoom of the first frozen frame: LABELS_AT_FIT hubs labelled there

  /** The nodes to label, in order: the most connected, as many more as the zoom makes room
   * for (the budget grows with the area zoomed into); every node in a two-column view. */
  function labelOrder() {
    if (connectedOnly) return HUBS;
    if (api.dimmed === null || !hood) {
      var zoom = baseScale ? network.getScale() / baseScale : 1;
      return HUBS.slice(0, Math.round(LABELS_AT_FIT * Math.max(1, zoom * zoom)));
    }
    var first = [api.dimmed];
    HUBS.forEach(function (i) {
      if (hood[i] && i !== api.dimmed) first.push(i);
    });
    return first;
  }

  function drawHubLabels(ctx) {
    var scale = network.getScale();
    var w = container.clientWidth;
    var h = container.clientHeight;
    var order = labelOrder();
    var boxes = [];
    var done = [];
    ctx.save();
    ctx.font = LABEL_PX / scale + "px " + LABEL_FONT;
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale;
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.fillStyle = "#1a1a1a";
    for (var k = 0; k < order.length && done.length < LABEL_MAX; k++) {
      var i = order[k];
      var n = nodes.get(i);
      if (!n || n.hidden) continue;
      var fontSize = (n.font && n.font.size) || 14;
      if (fontSize * scale >= DRAW_THRESHOLD - 1) continue; // vis-network draws this one
      var p = network.getPosition(i);
      var d = network.canvasToDOM(p);
      if (d.x < 0 || d.y < 0 || d.x > w || d.y > h) continue;
      var text = n.label || "";
      var tw = ctx.measureText(text).width * scale; // on screen
      var r = (n.size || 10) * scale;
      var side = labelSide[i];
      var box;
      if (side === "left") box = [d.x - r - 4 - tw, d.y - LABEL_PX / 2, d.x - r - 2, d.y + LABEL_PX / 2];
      else if (side === "right") box = [d.x + r + 2, d.y - LABEL_PX / 2, d.x + r + 4 + tw, d.y + LABEL_PX / 2];
      else box = [d.x - tw / 2 - 2, d.y + r + 1, d.x + tw / 2 + 2, d.y + r + 3 + LABEL_PX];
      var free = true;
      for (var b = 0; b < boxes.length && free; b++) {
        var o = boxes[b];
        if (box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]) free = false;
      }
      if (!free) continue;
      boxes.push(box);
      // back to canvas units: the context is transformed by the view
      var x = p.x + (box[0] + 2 - d.x) / scale;
      var y = p.y + (box[1] - d.y) / scale;
      if (side === "left") x = p.x + (box[0] - d.x) / scale;
      ctx.strokeText(text, x, y);
      ctx.fillText(text, x, y);
      done.push(i);
    }
    ctx.restore();
    api.labelBoxes = boxes; // on screen, relative to the canvas: [left, top, right, bottom]
    return done;
  }

  // -- a selected node dims all but its neighbourhood ----------------------------------
  // Drawn, not restyled: after vis-network's frame a white veil covers the canvas and the
  // node's edges and neighbours are drawn again on top (vis-network's own Node.draw and
  // Edge.draw): no data set update, so it is instant on thousands of nodes.
  var hood = null; // node -> true for the dimmed node's neighbourhood
  var baseEdge = {};
  var baseWidth = {};
  D.vis.edges.forEach(function (e) {
    baseEdge[e.id] = e.color;
    baseWidth[e.id] = e.width;
  });

  function neighbourhood(i) {
    var out = {};
    out[i] = true;
    var node = network.body.nodes[i];
    (node ? node.edges : []).forEach(function (e) {
      if (e.options.hidden) return;
      if (e.fromId === i) out[e.toId] = true;
      else if (e.toId === i) out[e.fromId] = true;
    });
    return out;
  }

  /** Dim everything but node i and its neighbours (i null: nothing dimmed). */
  function dimAround(i) {
    hood = i === null ? null : neighbourhood(i);
    api.dimmed = i;
    document.body.setAttribute("data-dimmed", i === null ? "" : ENT[i][0]);
    network.body.emitter.emit("_requestRedraw"); // the next frame, with whatever else changed
  }
  api.hood = function () {
    return hood ? Object.keys(hood).map(Number) : [];
  };

  function drawNeighbourhood(ctx) {
    var i = api.dimmed;
    var body = network.body;
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "rgba(255,255,255," + (1 - DIM) + ")";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
    var mine = [];
    body.edgeIndices.forEach(function (id) {
      var e = body.edges[id];
      if (e && e.connected && !e.options.hidden && (e.fromId === i || e.toId === i)) mine.push(e);
    });
    mine.forEach(function (e) {
      e.draw(ctx);
    });
    mine.forEach(function (e) {
      e.drawArrows(ctx);
    });
    var later = [];
    Object.keys(hood).forEach(function (id) {
      var n = body.nodes[id];
      if (!n || n.options.hidden || Number(id) === i) return;
      var r = n.draw(ctx);
      if (r && r.drawExternalLabel) later.push(r.drawExternalLabel);
    });
    var me = body.nodes[i]; // the selected node on top
    if (me && !me.options.hidden) {
      var r = me.draw(ctx);
      if (r && r.drawExternalLabel) later.push(r.drawExternalLabel);
    }
    later.forEach(function (f) {
      f();
    });
  }

  /** Edges stand out in the two-column views, where there are few of them. */
  function styleEdges() {
    var eu = [];
    edges.forEach(function (e) {
      var opacity = connectedOnly ? 0.9 : baseEdge[e.id].opacity;
      var width = connectedOnly ? 2.5 : baseWidth[e.id];
      if (e.color.opacity === opacity && e.width === width) return;
      eu.push({ id: e.id, width: width, color: Object.assign({}, baseEdge[e.id], { opacity: opacity }) });
    });
    if (eu.length) edges.update(eu);
  }

  // -- filters (the legend) --------------------------------------------------------
  var typeOn = TYPES.map(function () {
    return true;
  });
  var predOn = PREDS.map(function () {
    return true;
  });

  var connectedOnly = false; // a ready-made view: nodes without a drawn edge are hidden too

  // -- date range and city (the overview) --------------------------------------------
  function dateActive() {
    return api.dateFrom !== "" || api.dateTo !== "";
  }
  /** Whether one of the (sorted ISO) dates lies in the range chosen. */
  function inRange(dates) {
    if (!dateActive()) return true;
    for (var k = 0; k < dates.length; k++) {
      var d = dates[k];
      if ((api.dateFrom === "" || d >= api.dateFrom) && (api.dateTo === "" || d <= api.dateTo)) return true;
    }
    return false;
  }
  function inCity(i) {
    return api.city === "" || (ENT[i][8] || []).indexOf(Number(api.city)) >= 0;
  }

  function applyFilters(fit) {
    var typeOf = {};
    nodes.forEach(function (n) {
      typeOf[n.id] = n.t;
    });
    var linked = {};
    var eu = [];
    var when = dateActive();
    var where = api.city !== "";
    edges.forEach(function (e) {
      var r = REL[e.id];
      var hide = !predOn[e.p];
      // a date range keeps the relations stated in it; a city those with an end in it
      if (!hide && when) hide = !inRange(r[5] || []);
      if (!hide && where) hide = !inCity(e.from) && !inCity(e.to);
      if (!hide && typeOn[typeOf[e.from]] && typeOn[typeOf[e.to]]) {
        linked[e.from] = true;
        linked[e.to] = true;
      }
      if (!!e.hidden !== hide) eu.push({ id: e.id, hidden: hide });
    });
    if (eu.length) edges.update(eu);
    var nu = [];
    nodes.forEach(function (n) {
      var hide = !typeOn[n.t] || (connectedOnly && !linked[n.id]);
      // an entity stays when a relation kept links it, or when it is itself in the city and
      // named in the range
      if (!hide && (when || where) && !linked[n.id]) hide = !(inRange(ENT[n.id][7] || []) && inCity(n.id));
      if (!!n.hidden !== hide) nu.push({ id: n.id, hidden: hide });
    });
    if (nu.length) nodes.update(nu);
    if (api.dimmed !== null) {
      var d = nodes.get(api.dimmed);
      dimAround(d && !d.hidden ? api.dimmed : null);
    }
    showStatus();
    if (fit) fitVisible();
  }

  /** Fit the view to the nodes the filters leave (closer than 0.7 only if few). */
  function fitVisible(maxZoom) {
    var ids = nodes.getIds({
      filter: function (n) {
        return !n.hidden;
      },
    });
    if (!ids.length) return;
    var animate = SHOWN <= ANIMATE_MAX;
    api.animating = animate;
    network.fit({
      nodes: ids,
      maxZoomLevel: maxZoom || 1,
      animation: animate ? { duration: 250, easingFunction: "easeInOutQuad" } : false,
    });
    api.fits++;
  }

  function syncBoxes() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-type]"), function (box) {
      box.checked = typeOn[Number(box.getAttribute("data-type"))];
    });
    Array.prototype.forEach.call(document.querySelectorAll("input[data-pred]"), function (box) {
      box.checked = predOn[Number(box.getAttribute("data-pred"))];
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("input[data-type]"), function (box) {
    box.addEventListener("change", function () {
      typeOn[Number(box.getAttribute("data-type"))] = box.checked;
      applyFilters(true);
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("input[data-pred]"), function (box) {
    box.addEventListener("change", function () {
      predOn[Number(box.getAttribute("data-pred"))] = box.checked;
      applyFilters(true);
    });
  });

  var fromBox = document.getElementById("date-from");
  var toBox = document.getElementById("date-to");
  var cityBox = document.getElementById("city-filter");

  /** Keep what is stated between two ISO dates ("" leaves that end open). */
  function setDates(from, to) {
    api.dateFrom = from || "";
    api.dateTo = to || "";
    if (fromBox) fromBox.value = api.dateFrom;
    if (toBox) toBox.value = api.dateTo;
    document.body.setAttribute("data-dates", dateActive() ? api.dateFrom + "/" + api.dateTo : "");
    applyFilters(true);
  }
  /** Keep a city's places and bodies and what they relate to ("": every city). */
  function setCity(i) {
    api.city = i === null || i === undefined ? "" : String(i);
    if (cityBox) cityBox.value = api.city;
    document.body.setAttribute("data-city", api.city);
    applyFilters(true);
  }
  if (fromBox && toBox) {
    [fromBox, toBox].forEach(function (box) {
      box.addEventListener("change", function () {
        setDates(fromBox.value, toBox.value);
      });
    });
    document.getElementById("date-clear").addEventListener("click", function () {
      setDates("", "");
    });
  }
  if (cityBox) {
    cityBox.addEventListener("change", function () {
      setCity(cityBox.value);
    });
  }

  // -- ready-made views: two types and the predicate between them, in two columns ---------
  var PRESETS = D.presets || [];
  var savedPositions = null; // the frozen layout of the full graph

  function applyPreset(key) {
    var p = null;
    PRESETS.forEach(function (x) {
      if (x.key === key) p = x;
    });
    if (!p) return false;
    api.preset = key;
    labelSide = {};
    if (p.types) {
      typeOn = TYPES.map(function (_t, k) {
        return p.types.indexOf(k) >= 0;
      });
      predOn = PREDS.map(function (_p, k) {
        return p.preds.indexOf(k) >= 0;
      });
      connectedOnly = true;
    } else {
      typeOn = TYPES.map(function () {
        return true;
      });
      predOn = PREDS.map(function () {
        return true;
      });
      connectedOnly = false;
    }
    syncBoxes();
    styleEdges();
    dimAround(null);
    applyFilters(false);
    if (p.types) {
      if (savedPositions === null) savedPositions = network.getPositions();
      twoColumns(p.types[0]);
      fitVisible(0.7); // labels stay this script's, beside the nodes
    } else {
      if (savedPositions !== null) {
        Object.keys(savedPositions).forEach(function (id) {
          network.moveNode(Number(id), savedPositions[id].x, savedPositions[id].y);
        });
      }
      fitVisible();
    }
    var radio = document.querySelector('input[name="preset"][value="' + key + '"]');
    if (radio) radio.checked = true;
    document.body.setAttribute("data-preset", key);
    return true;
  }

  /** The drawn nodes in two columns: type ``leftType`` on the left, the rest on the right,
   * each side ordered to keep edges short (the right by degree, the left by the mean rank
   * of its neighbours). */
  function twoColumns(leftType) {
    var left = [];
    var right = [];
    var adj = {};
    nodes.forEach(function (n) {
      if (n.hidden) return;
      (n.t === leftType ? left : right).push(n.id);
      adj[n.id] = [];
    });
    edges.forEach(function (e) {
      if (e.hidden || !adj[e.from] || !adj[e.to]) return;
      adj[e.from].push(e.to);
      adj[e.to].push(e.from);
    });
    function byName(a, b) {
      return ENT[a][0] < ENT[b][0] ? -1 : ENT[a][0] > ENT[b][0] ? 1 : 0;
    }
    right.sort(function (a, b) {
      return adj[b].length - adj[a].length || byName(a, b);
    });
    var rank = {};
    right.forEach(function (id, k) {
      rank[id] = k;
    });
    function mean(id) {
      var s = 0;
      adj[id].forEach(function (x) {
        s += rank[x] || 0;
      });
      return adj[id].length ? s / adj[id].length : 0;
    }
    left.sort(function (a, b) {
      return mean(a) - mean(b) || adj[b].length - adj[a].length || byName(a, b);
    });
    var rows = Math.max(left.length, right.length, 1);
    var gap = 44;
    var height = gap * rows;
    var width = Math.max(420, height * 0.9);
    function column(ids, x, side) {
      var step = height / Math.max(ids.length, 1);
      ids.forEach(function (id, k) {
        network.moveNode(id, x, (k + 0.5) * step - height / 2);
        labelSide[id] = side;
      });
    }
    column(left, -width / 2, "left");
    column(right, width / 2, "right");
  }

  Array.prototype.forEach.call(document.querySelectorAll('input[name="preset"]'), function (radio) {
    radio.addEventListener("change", function () {
      if (radio.checked) applyPreset(radio.value);
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
  // entities of the whole corpus (the overview above its limit): the rows of the index's data
  // files index/<type>.js ([name, aliases, articles, relations, page hash, cities]), loaded with
  // script elements (fetch() of a local file is blocked on file://) once the search is used
  var others = new Map(); // name or alias -> [name, aliases, page href]
  var SEARCH_SRC = D.searchSrc || []; // one file per type, in type order
  var SRC_RE = /^index\/[a-z0-9]+\.js$/;
  var loaded = {}; // type -> [prefix, rows]
  var othersReady = !SEARCH_SRC.length;
  var othersWaiting = null; // callbacks, once loading started
  var othersFailed = false;

  /** Make an entity ([name, aliases, page href]) findable by the search and the suggestions. */
  function addOther(s) {
    [s[0]].concat(s[1]).forEach(function (name) {
      if (!others.has(name)) others.set(name, s);
    });
    if (!drawnNames.has(s[0])) pool.push([s[0], s[1], -1, s[2]]);
  }

  function othersDone() {
    // every type's rows in type order, each in its table's order (most relations first)
    SEARCH_SRC.forEach(function (f) {
      var d = loaded[f[1]];
      if (!d) return;
      d[1].forEach(function (r) {
        var href = d[0] + r[4] + ".html";
        addOther([r[0], r[1], PAGE_RE.test(href) ? href : null]);
      });
    });
    othersReady = true;
    var waiting = othersWaiting || [];
    othersWaiting = [];
    waiting.forEach(function (f) {
      f();
    });
  }

  /** Call back once every entity's name is known (at once when the overview draws them all). */
  function loadOthers(done) {
    if (othersReady || othersFailed) return done();
    if (othersWaiting) return othersWaiting.push(done);
    othersWaiting = [done];
    var left = SEARCH_SRC.length;
    var srcOf = {}; // type -> its file
    window.kgIndex = {
      put: function (d) {
        var src = srcOf[d[0]];
        if (!src || loaded[src]) return;
        loaded[src] = [String(d[1]), d[2]];
        if (--left === 0) othersDone();
      },
    };
    SEARCH_SRC.forEach(function (f) {
      srcOf[f[0]] = f[1];
      if (!SRC_RE.test(f[1])) return;
      var s = document.createElement("script");
      s.src = D.root + f[1];
      s.onerror = function () {
        othersFailed = true;
        searchMsg.textContent = "Could not load " + f[1] + " (the index's data files) 无法加载";
      };
      document.body.appendChild(s);
    });
  }

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
    dimAround(i);
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
    if (!othersReady && !othersFailed) {
      searchMsg.textContent = "Loading the names of every entity 加载中…";
      loadOthers(function () {
        if (searchInput.value === q) search(q, false);
      });
      return;
    }
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

  // -- suggestions while typing: names and aliases, drawn or not ------------------------
  var suggestBox = document.getElementById("suggest");
  var pool = []; // [name, aliases, entity index or -1, page href of an entity not drawn]
  var drawnNames = new Set();
  for (var di = 0; di < SHOWN; di++) {
    pool.push([ENT[di][0], ENT[di][3], di, null]);
    drawnNames.add(ENT[di][0]);
  }
  (D.search || []).forEach(addOther); // a page that carries every name (a notebook's overview)
  var shownSuggestions = [];
  var active = -1;

  /** 0: the name, 1: an alias, 2/3: name/alias starts with q, 4/5: contains q; -1: no match. */
  function score(entry, q) {
    var best = -1;
    var alias = null;
    function take(s, a) {
      if (best < 0 || s < best) {
        best = s;
        alias = a;
      }
    }
    var name = entry[0];
    if (name === q) take(0, null);
    else if (name.indexOf(q) === 0) take(2, null);
    else if (name.indexOf(q) > 0) take(4, null);
    entry[1].forEach(function (a) {
      if (a === q) take(1, a);
      else if (a.indexOf(q) === 0) take(3, a);
      else if (a.indexOf(q) > 0) take(5, a);
    });
    return [best, alias];
  }

  /** The best SUGGEST_MAX entries for q: [pool entry, matched alias or null]. */
  function suggest(q) {
    q = (q || "").trim();
    if (!q) return [];
    var hits = [];
    pool.forEach(function (e, k) {
      var s = score(e, q);
      if (s[0] >= 0) {
        var rels = e[2] >= 0 ? ENT[e[2]][6] : 0;
        hits.push([s[0], e[2] < 0 ? 1 : 0, -rels, e[0].length, k, s[1]]);
      }
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3] || a[4] - b[4];
    });
    return hits.slice(0, SUGGEST_MAX).map(function (h) {
      return [pool[h[4]], h[5]];
    });
  }

  function closeSuggestions() {
    suggestBox.hidden = true;
    searchInput.setAttribute("aria-expanded", "false");
    searchInput.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function renderSuggestions() {
    clear(suggestBox);
    shownSuggestions = suggest(searchInput.value);
    active = -1;
    if (!shownSuggestions.length) {
      closeSuggestions();
      return;
    }
    shownSuggestions.forEach(function (s, k) {
      var e = s[0];
      var li = el("li", "option");
      li.id = "suggest-" + k;
      li.setAttribute("data-name", e[0]);
      li.setAttribute("role", "option");
      var t = e[2] >= 0 ? ENT[e[2]][1] : -1;
      if (t >= 0) li.appendChild(el("span", "glyph t" + t, TYPES[t].glyph));
      li.appendChild(el("span", "name", e[0]));
      if (s[1]) li.appendChild(el("span", "alias", " ← " + s[1]));
      li.appendChild(el("span", "kind", t >= 0 ? " " + TYPES[t].name : " not drawn 未显示"));
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault(); // keep the focus in the box
        choose(k);
      });
      suggestBox.appendChild(li);
    });
    suggestBox.hidden = false;
    searchInput.setAttribute("aria-expanded", "true");
  }

  function highlight(k) {
    var items = suggestBox.children;
    for (var j = 0; j < items.length; j++) items[j].setAttribute("aria-selected", j === k ? "true" : "false");
    active = k;
    if (k >= 0) searchInput.setAttribute("aria-activedescendant", "suggest-" + k);
  }

  function choose(k) {
    var e = shownSuggestions[k][0];
    searchInput.value = e[0];
    closeSuggestions();
    clear(searchMsg);
    if (e[2] >= 0) focusNode(e[2]);
    else search(e[0], false);
  }

  searchInput.addEventListener("input", function () {
    search(searchInput.value, true); // an exact name focuses while typing
    renderSuggestions();
    loadOthers(function () {
      if (document.activeElement === searchInput) renderSuggestions(); // with what is not drawn
    });
  });
  searchInput.addEventListener("focus", function () {
    loadOthers(function () {});
  });
  searchInput.addEventListener("keydown", function (ev) {
    if (suggestBox.hidden) return;
    var n = shownSuggestions.length;
    if (ev.key === "ArrowDown") {
      ev.preventDefault();
      highlight((active + 1) % n);
    } else if (ev.key === "ArrowUp") {
      ev.preventDefault();
      highlight((active - 1 + n) % n);
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      choose(active);
    } else if (ev.key === "Escape") {
      closeSuggestions();
    }
  });
  searchInput.addEventListener("blur", closeSuggestions);
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    closeSuggestions();
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
      var q = el("q", null, ev[0]);
      var href = articleHref(ev[1], ev[2], ev[3]);
      if (href) {
        var link = el("a", "evl");
        link.href = href;
        link.title = "In its article 在原文中查看";
        link.appendChild(q);
        li.appendChild(link);
      } else li.appendChild(q);
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
      var cite = el("cite", null, a[1] || a[0]);
      var href = articleHref(ai);
      if (href) {
        var link = el("a");
        link.href = href;
        link.appendChild(cite);
        li.appendChild(link);
      } else li.appendChild(cite);
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
    dimAround(null);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      dimAround(params.nodes[0]);
      showNode(params.nodes[0]);
    } else if (params.edges.length) {
      dimAround(null);
      showEdge(params.edges[0]);
    } else resetPanel();
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length || params.nodes[0] === D.focus) return;
    var href = pageHref(ENT[params.nodes[0]][2]);
    if (href) window.location.href = href;
  });
})();
