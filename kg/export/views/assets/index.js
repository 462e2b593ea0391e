/* safety-kg: index.html's tables and search, at any size.
 *
 * Each type's rows are in a data file index/<type>.js (written by kg/export/views/index.py),
 * loaded with a script element when its table is shown (fetch() of a local file is blocked on
 * file://); the file calls kgIndex.put([type, page prefix, rows]), a row being
 * [name, aliases, articles, relations, page hash, city positions]. A table shows one page of
 * rows at a time; its header sorts all rows, the city filter (#city-filter, shared with the
 * heat maps) and the table's filter box keep some, the CSV button downloads all rows kept in
 * their order. The search box loads every type and searches all names and aliases.
 * Text reaches the page through textContent only.
 */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var TYPES = D.types; // [{name, label, glyph, src, count}]
  var CITIES = D.cities;
  var PAGE = D.page;
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var SRC_RE = /^index\/[a-z0-9]+\.js$/;
  var LIMIT = 50;
  var collator = new Intl.Collator("zh-CN", { numeric: true });
  var input = document.getElementById("q");
  var out = document.getElementById("results");
  var state = document.getElementById("search-state");
  var cityBox = document.getElementById("city-filter");

  var typeAt = {};
  TYPES.forEach(function (t, i) {
    typeAt[t.name] = i;
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }

  // -- data files ----------------------------------------------------------------------------
  var DATA = {}; // type → {prefix, rows}
  var pending = {}; // type → callbacks waiting for its file
  var failed = {};

  function href(type, row) {
    var url = DATA[type].prefix + row[4] + ".html";
    return PAGE_RE.test(url) ? url : null;
  }

  /** Call back once the type's rows are loaded (at once when they are). */
  function load(type, done) {
    if (DATA[type]) return done();
    if (failed[type]) return;
    if (pending[type]) return pending[type].push(done);
    pending[type] = [done];
    var src = TYPES[typeAt[type]].src;
    if (!SRC_RE.test(src)) return;
    var s = document.createElement("script");
    s.src = src;
    s.onerror = function () {
      failed[type] = true;
      var t = tables[type];
      if (t) t.pos.textContent = "The rows could not be loaded (" + src + " is missing) 无法加载";
      if (state) state.textContent = "Could not load " + src;
    };
    document.body.appendChild(s);
  }

  window.kgIndex = {
    put: function (d) {
      var type = d[0];
      if (!(type in typeAt) || DATA[type]) return;
      DATA[type] = { prefix: String(d[1]), rows: d[2] };
      entries = null;
      var waiting = pending[type] || [];
      delete pending[type];
      waiting.forEach(function (f) {
        f();
      });
    },
    loaded: function (type) {
      return !!DATA[type];
    },
  };

  // -- tables ----------------------------------------------------------------------------------
  var tables = {}; // type → {table, section, pos, prev, next, filter, view, page, col, dir}

  function cityValue() {
    return cityBox ? cityBox.value : "";
  }

  /** The rows kept (by city and the filter box) in the current order: indices into rows. */
  function compute(t) {
    var rows = DATA[t.type].rows;
    var city = cityValue();
    var byCity = city !== "" && (t.type === "Place" || t.type === "Organization");
    var c = Number(city);
    var q = t.filter.value.trim();
    var view = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (byCity && r[5].indexOf(c) < 0) continue;
      if (q && r[0].indexOf(q) < 0 && !r[1].some(function (a) { return a.indexOf(q) >= 0; })) continue;
      view.push(i);
    }
    if (t.col !== null) {
      var col = t.col;
      var sign = t.dir === "desc" ? -1 : 1;
      var key;
      if (col >= 2) {
        view.sort(function (a, b) {
          return sign * (rows[a][col] - rows[b][col]) || a - b;
        });
      } else {
        key = col === 0 ? function (r) { return r[0]; } : function (r) { return r[1].join("、"); };
        view.sort(function (a, b) {
          return sign * collator.compare(key(rows[a]), key(rows[b])) || a - b;
        });
      }
    }
    t.view = view;
    t.byCity = byCity;
  }

  function render(t) {
    var rows = DATA[t.type].rows;
    var pages = Math.max(1, Math.ceil(t.view.length / PAGE));
    if (t.page >= pages) t.page = pages - 1;
    if (t.page < 0) t.page = 0;
    var start = t.page * PAGE;
    var end = Math.min(t.view.length, start + PAGE);
    var frag = document.createDocumentFragment();
    for (var k = start; k < end; k++) {
      var r = rows[t.view[k]];
      var tr = el("tr");
      var td = el("td");
      var a = el("a", "", r[0]);
      var url = href(t.type, r);
      if (url) a.href = url;
      td.appendChild(a);
      tr.appendChild(td);
      tr.appendChild(el("td", "aliases", r[1].join("、")));
      tr.appendChild(el("td", "num", r[2]));
      tr.appendChild(el("td", "num", r[3]));
      frag.appendChild(tr);
    }
    var tbody = t.table.tBodies[0];
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    tbody.appendChild(frag);
    var text = t.view.length ? (start + 1).toLocaleString("en") + "–" + end.toLocaleString("en") : "0";
    text += " of " + t.view.length.toLocaleString("en");
    if (t.view.length !== rows.length) {
      var why = [];
      if (t.byCity) why.push("in " + CITIES[Number(cityValue())]);
      if (t.filter.value.trim()) why.push("matching “" + t.filter.value.trim() + "”");
      text += " " + why.join(", ") + " (of " + rows.length.toLocaleString("en") + ")";
    }
    t.pagers.forEach(function (pager) {
      pager.querySelector(".pos").textContent = text;
      pager.querySelector(".page-prev").disabled = t.page === 0;
      pager.querySelector(".page-next").disabled = end >= t.view.length;
      pager.parentNode.hidden = pager.parentNode.classList.contains("pager-end") && end - start < PAGE;
    });
    t.table.setAttribute("data-page", String(t.page));
    t.table.setAttribute("data-shown", String(t.view.length));
    t.table.setAttribute("data-state", "ready");
  }

  function refresh(t, keepPage) {
    if (!DATA[t.type]) return;
    compute(t);
    if (!keepPage) t.page = 0;
    render(t);
  }

  /** Load a table's rows and make it live (its first page is in the HTML already). */
  function activate(t) {
    load(t.type, function () {
      refresh(t, true);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.paged[data-type]"), function (table) {
    var type = table.getAttribute("data-type");
    if (!(type in typeAt)) return;
    var section = table.closest("section");
    var t = {
      type: type,
      table: table,
      section: section,
      pos: section.querySelector(".pager .pos"),
      pagers: Array.prototype.slice.call(section.querySelectorAll(".pager")), // above and below
      filter: section.querySelector("input.table-filter"),
      view: [],
      page: 0,
      col: null,
      dir: null,
    };
    tables[type] = t;
    t.pagers.forEach(function (pager, k) {
      function turn(step) {
        t.page += step;
        render(t);
        if (k > 0) t.table.scrollIntoView({ block: "start" }); // from below: the page's top
      }
      pager.querySelector(".page-prev").addEventListener("click", function () {
        turn(-1);
      });
      pager.querySelector(".page-next").addEventListener("click", function () {
        turn(1);
      });
    });
    t.filter.addEventListener("input", function () {
      load(type, function () {
        refresh(t, false);
      });
    });
    var details = table.closest("details");
    if (!details || details.open) activate(t);
    else {
      details.addEventListener("toggle", function () {
        if (details.open) activate(t);
      });
    }
  });

  document.addEventListener("click", function (ev) {
    var target = ev.target;
    if (!target || !target.closest) return;
    var sort = target.closest("table.paged button.sort");
    if (sort) {
      var t = tables[sort.closest("table").getAttribute("data-type")];
      if (!t) return;
      var col = Number(sort.getAttribute("data-col"));
      var kind = sort.getAttribute("data-kind");
      // numbers: largest first; names: A to Z (pinyin); a second click reverses
      var dir = t.col === col ? (t.dir === "asc" ? "desc" : "asc") : kind === "num" ? "desc" : "asc";
      load(t.type, function () {
        t.col = col;
        t.dir = dir;
        Array.prototype.forEach.call(t.table.querySelectorAll("button.sort"), function (b) {
          var on = b === sort;
          if (on) b.setAttribute("data-dir", dir);
          else b.removeAttribute("data-dir");
          if (on) b.closest("th").setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
          else b.closest("th").removeAttribute("aria-sort");
        });
        refresh(t, false);
      });
      return;
    }
    var csv = target.closest("button.csv[data-table]");
    if (csv) {
      var tc = tables[csv.getAttribute("data-table")];
      if (!tc || !window.kgTables) return;
      load(tc.type, function () {
        compute(tc);
        var rows = DATA[tc.type].rows;
        var lines = [["name", "aliases", "articles", "relations"]];
        tc.view.forEach(function (i) {
          var r = rows[i];
          lines.push([r[0], r[1].join("、"), String(r[2]), String(r[3])]);
        });
        var name = csv.getAttribute("data-csv");
        if (tc.byCity) name += "-" + CITIES[Number(cityValue())];
        window.kgTables.download(name, lines);
      });
    }
  });

  /** With a city chosen, say where all of its places are when a heat map shows only its top rows. */
  var cityNote = document.getElementById("city-note");
  function noteCity() {
    if (!cityNote) return;
    while (cityNote.firstChild) cityNote.removeChild(cityNote.firstChild);
    var i = cityValue();
    cityNote.hidden = i === "" || !document.querySelector("section.matrix .notice");
    if (cityNote.hidden) return;
    var name = CITIES[Number(i)];
    cityNote.appendChild(document.createTextNode(
      "The heat maps keep their most active rows, so they may show few of " + name + "'s places: "
      + "all of them are in the Place table below and in the roll-up of "));
    var a = el("a", "", name + "'s view");
    var url = D.cityPages[Number(i)];
    if (PAGE_RE.test(url)) a.href = url;
    cityNote.appendChild(a);
    cityNote.appendChild(document.createTextNode(". 热力图只显示最活跃的行。"));
  }

  if (cityBox) {
    cityBox.addEventListener("change", noteCity);
    cityBox.addEventListener("change", function () {
      ["Place", "Organization"].forEach(function (type) {
        var t = tables[type];
        if (t) {
          load(type, function () {
            refresh(t, false); // a folded table too: its first page follows the filter
          });
        }
      });
    });
  }

  noteCity(); // a reloaded page keeps the form's values

  // -- the search over every name and alias ---------------------------------------------------
  var entries = null; // [name, aliases, type index, page href, n relations] of every type

  function allEntries() {
    if (entries) return entries;
    entries = [];
    TYPES.forEach(function (t, ti) {
      var d = DATA[t.name];
      if (!d) return;
      d.rows.forEach(function (r) {
        entries.push([r[0], r[1], ti, href(t.name, r), r[3]]);
      });
    });
    return entries;
  }

  /** Call back once every type's rows are loaded. */
  function loadAll(done) {
    var waitingFor = TYPES.filter(function (t) {
      return !DATA[t.name];
    }).length;
    if (!waitingFor) return done();
    if (state) {
      state.hidden = false;
      state.textContent = "Loading the names of every entity 加载中…";
    }
    TYPES.forEach(function (t) {
      load(t.name, function () {
        if (Object.keys(DATA).length === TYPES.length) {
          if (state) state.hidden = true;
          done();
        }
      });
    });
  }

  /** 0: the name, 1: an alias, 2/3: name/alias starts with q, 4/5: contains q; -1: no match. */
  function score(entry, q) {
    var best = -1;
    function take(s) {
      if (best < 0 || s < best) best = s;
    }
    if (entry[0] === q) take(0);
    else if (entry[0].indexOf(q) === 0) take(2);
    else if (entry[0].indexOf(q) > 0) take(4);
    entry[1].forEach(function (a) {
      if (a === q) take(1);
      else if (a.indexOf(q) === 0) take(3);
      else if (a.indexOf(q) > 0) take(5);
    });
    return best;
  }

  function matches(all, q) {
    var hits = [];
    for (var i = 0; i < all.length; i++) {
      var s = score(all[i], q);
      if (s >= 0) hits.push([s, -all[i][4], all[i][0].length, i]);
    }
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
    });
    return hits;
  }

  function show() {
    while (out.firstChild) out.removeChild(out.firstChild);
    out.removeAttribute("data-count");
    var q = input.value.trim();
    if (!q) return;
    var all = allEntries();
    var hits = matches(all, q);
    hits.slice(0, LIMIT).forEach(function (hit) {
      var e = all[hit[3]];
      var li = el("li");
      var a = el("a");
      if (e[3]) a.href = e[3];
      a.appendChild(el("span", "glyph t" + e[2], TYPES[e[2]].glyph));
      a.appendChild(document.createTextNode(e[0]));
      li.appendChild(a);
      li.appendChild(el("span", "badge", TYPES[e[2]].name + " " + TYPES[e[2]].label));
      if (e[1].length) li.appendChild(el("span", "aliases", e[1].join("、")));
      li.appendChild(el("span", "meta", e[4] + " relations"));
      out.appendChild(li);
    });
    var more = hits.length - LIMIT;
    out.setAttribute("data-count", String(hits.length));
    if (more > 0) out.appendChild(el("li", "more", "+" + more + " more: refine the search"));
    if (!hits.length) out.appendChild(el("li", "more", "No match 未找到"));
  }

  function search() {
    if (!input.value.trim()) return show();
    loadAll(show);
  }

  input.addEventListener("input", search);
  input.addEventListener("focus", function () {
    loadAll(function () {});
  });
  document.getElementById("index-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = out.querySelector("a[href]");
    if (first) window.location.href = first.getAttribute("href");
  });
  search();
})();
