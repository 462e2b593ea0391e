/* safety-kg: sortable tables, CSV downloads, the heat maps' city filter and roll-up, the date
 * filter of the heat maps and of a focused view's lists, and the timeline's months.
 *
 * Used by index.html and the focused views. Tables are written by kg/views/*.py; this
 * script only reorders, hides and reads their cells (textContent), never writes markup.
 * window.kgTables.download(name, rows) saves rows as a CSV file (UTF-8 with a BOM, so
 * spreadsheet programs read the Chinese; RFC 4180 quoting; a cell that a spreadsheet
 * would run as a formula is prefixed with an apostrophe).
 */
(function () {
  "use strict";

  var collator = new Intl.Collator("zh-CN", { numeric: true });

  function csvCell(value) {
    var s = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s; // a formula in Excel or LibreOffice: keep it text
    if (/[",\r\n]/.test(s)) s = '"' + s.replace(/"/g, '""') + '"';
    return s;
  }

  function csvText(rows) {
    return (
      "\ufeff" +
      rows
        .map(function (r) {
          return r.map(csvCell).join(",");
        })
        .join("\r\n") +
      "\r\n"
    );
  }

  function download(name, rows) {
    var blob = new Blob([csvText(rows)], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = name.replace(/[\\/:*?"<>|\s]+/g, "_") + ".csv";
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 10000);
  }

  function shown(node) {
    for (var n = node; n && n.nodeType === 1; n = n.parentNode) {
      if (n.hidden) return false;
    }
    return true;
  }

  /** The text of a cell as exported: its data-csv, else its first link's text, else its text. */
  function cellValue(cell, heat) {
    var v = cell.getAttribute("data-csv");
    if (v !== null) return v;
    var a = cell.querySelector("a");
    var text = (a || cell).textContent.trim();
    if (heat && cell.tagName === "TD" && text === "") return "0";
    return text;
  }

  /** The rows of a table as shown: visible rows and columns, in their current order. */
  function tableRows(table) {
    var heat = table.classList.contains("heat");
    var out = [];
    Array.prototype.forEach.call(table.rows, function (tr) {
      if (!shown(tr)) return;
      var row = [];
      Array.prototype.forEach.call(tr.cells, function (cell) {
        if (!cell.hidden) row.push(cellValue(cell, heat));
      });
      out.push(row);
    });
    return out;
  }

  // -- sorting -----------------------------------------------------------------------
  function sortTable(table, col, kind, button) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var current = button.getAttribute("data-dir");
    // numbers: largest first; names: A to Z (pinyin); a second click reverses
    var dir = current ? (current === "asc" ? "desc" : "asc") : kind === "num" ? "desc" : "asc";
    var keyed = rows.map(function (tr, i) {
      var cell = tr.cells[col];
      var text = cell ? cellValue(cell, false) : "";
      return { tr: tr, i: i, text: text, num: parseFloat(text) || 0 };
    });
    keyed.sort(function (a, b) {
      var c = kind === "num" ? a.num - b.num : collator.compare(a.text, b.text);
      if (dir === "desc") c = -c;
      return c || a.i - b.i;
    });
    Array.prototype.forEach.call(table.querySelectorAll("button.sort"), function (b) {
      b.removeAttribute("data-dir");
      b.closest("th").removeAttribute("aria-sort");
    });
    button.setAttribute("data-dir", dir);
    button.closest("th").setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) {
      frag.appendChild(k.tr);
    });
    tbody.appendChild(frag);
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var sort = t.closest("table.sortable button.sort");
    if (sort) {
      sortTable(
        sort.closest("table"),
        Number(sort.getAttribute("data-col")),
        sort.getAttribute("data-kind"),
        sort
      );
      return;
    }
    var lists = t.closest("button.sort-lists[data-by]");
    if (lists) {
      sortLists(lists.getAttribute("data-by"));
      Array.prototype.forEach.call(document.querySelectorAll("button.sort-lists"), function (b) {
        b.setAttribute("aria-pressed", b === lists ? "true" : "false");
      });
      return;
    }
    var csv = t.closest("button.csv[data-csv]");
    if (csv && csv.hasAttribute("data-table")) return; // a paged table of the index: assets/index.js
    if (csv && csv.hasAttribute("data-rows")) {
      var D = pageData();
      var who = D && D.focus !== null && D.focus !== undefined ? D.entities[D.focus][0] : "view";
      var rows = null;
      if (csv.getAttribute("data-rows") === "relations") rows = relationRows(document.querySelector(".sections"));
      else if (D && D.rollup) rows = [D.rollup.columns].concat(D.rollup.rows);
      if (rows) download(who + "-" + csv.getAttribute("data-csv"), rows);
      return;
    }
    if (csv) {
      var section = csv.closest("section") || document.body;
      var table = Array.prototype.filter.call(section.querySelectorAll("table"), shown)[0];
      if (!table) return;
      download(fileName(csv.getAttribute("data-csv"), table), tableRows(table));
    }
  });

  /** A focused view's relations as listed (in their order): one row per evidence sentence,
   * from the lists' data attributes and text. */
  var RELATION_COLUMNS = ["subject", "subject_type", "predicate", "object", "object_type", "sentences",
    "sentence", "headline", "date", "page", "article"];
  function relationRows(root) {
    var rows = [RELATION_COLUMNS];
    if (!root) return rows;
    Array.prototype.forEach.call(root.querySelectorAll("li.rel[data-p]"), function (li) {
      if (!shown(li)) return; // outside the date range
      var d = li.dataset;
      var head = [d.s, d.st, d.p, d.o, d.ot, d.n];
      var evs = Array.prototype.filter.call(li.querySelectorAll("ul.evidence > li[data-article]"), function (x) {
        return !x.hidden;
      });
      if (!evs.length) rows.push(head.concat(["", "", "", "", ""]));
      Array.prototype.forEach.call(evs, function (ev) {
        var q = ev.querySelector("q");
        var cite = ev.querySelector("cite");
        var headline = cite && !cite.hasAttribute("data-fallback") ? cite.textContent : "";
        var article = ev.dataset.article;
        var page = article.slice(0, article.lastIndexOf("#"));
        rows.push(head.concat([q ? q.textContent : "", headline, ev.dataset.date || "", page, article]));
      });
    });
    return rows;
  }

  var data = null;
  function pageData() {
    if (data === null) {
      var node = document.getElementById("kg-data");
      data = node ? JSON.parse(node.textContent) : undefined;
    }
    return data;
  }

  // -- the lists of a focused view: by type (as written), by evidence, by name ------------
  function sortLists(by) {
    Array.prototype.forEach.call(document.querySelectorAll("section.rels > ul"), function (ul) {
      var items = Array.prototype.filter.call(ul.children, function (li) {
        return li.tagName === "LI";
      });
      items.forEach(function (li, i) {
        if (!li.hasAttribute("data-i")) li.setAttribute("data-i", String(i));
      });
      items.sort(function (a, b) {
        var ia = Number(a.getAttribute("data-i"));
        var ib = Number(b.getAttribute("data-i"));
        var c = 0;
        if (by === "n") c = Number(b.getAttribute("data-n")) - Number(a.getAttribute("data-n"));
        else if (by === "name") c = collator.compare(a.getAttribute("data-name") || "", b.getAttribute("data-name") || "");
        return c || ia - ib;
      });
      var frag = document.createDocumentFragment();
      items.forEach(function (li) {
        frag.appendChild(li);
      });
      ul.appendChild(frag);
    });
  }

  // -- heat maps: one city filter and one roll-up switch for all of them -----------------
  var cityBox = document.getElementById("city-filter");
  var rollBox = document.getElementById("rollup");

  function fileName(base, table) {
    var parts = [base];
    if (table.classList.contains("heat")) {
      if (rollBox && rollBox.checked) parts.push("cities");
      if (cityBox && cityBox.value !== "") parts.push(cityBox.options[cityBox.selectedIndex].text);
    }
    return parts.join("-");
  }

  // -- dates: the range of #date-from / #date-to ("" leaves an end open) ----------------------
  var fromBox = document.getElementById("date-from");
  var toBox = document.getElementById("date-to");
  function range() {
    return [fromBox ? fromBox.value : "", toBox ? toBox.value : ""];
  }
  function dateIn(d, r) {
    if (r[0] === "" && r[1] === "") return true;
    return d !== "-" && d !== "" && (r[0] === "" || d >= r[0]) && (r[1] === "" || d <= r[1]);
  }

  /** A heat map's cells as the date range counts them: the sentences dated in it (data-d has
   * one date per sentence, "date*k" for k sentences of one date); a cell left empty is blank,
   * the shades follow the new peak. */
  function countHeat(table, r) {
    var all = r[0] === "" && r[1] === "";
    var cells = table.tBodies[0].querySelectorAll("td[data-d]");
    var peak = 0;
    var counts = [];
    Array.prototype.forEach.call(cells, function (td) {
      var n = 0;
      td.getAttribute("data-d").split(" ").forEach(function (d) {
        var star = d.indexOf("*"); // "date*k": k sentences of that date
        if (all || dateIn(star < 0 ? d : d.slice(0, star), r)) n += star < 0 ? 1 : Number(d.slice(star + 1));
      });
      counts.push(n);
      if (n > peak) peak = n;
    });
    Array.prototype.forEach.call(cells, function (td, k) {
      var n = counts[k];
      if (!td.hasAttribute("data-class")) td.setAttribute("data-class", td.className);
      var target = td.querySelector("a") || td;
      target.textContent = n ? String(n) : "";
      td.className = all ? td.getAttribute("data-class") : n ? "h" + Math.max(1, Math.ceil((n * 5) / peak)) : "h0";
    });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var total = 0;
      Array.prototype.forEach.call(tr.querySelectorAll("td[data-d]"), function (td) {
        total += Number(td.textContent) || 0;
      });
      var cell = tr.querySelector("td.total");
      if (!cell.hasAttribute("data-all")) cell.setAttribute("data-all", cell.textContent);
      cell.textContent = all ? cell.getAttribute("data-all") : String(total);
      tr.setAttribute("data-empty", !all && total === 0 ? "1" : "");
    });
  }

  function filterHeat(table, city) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    countHeat(table, range());
    rows.forEach(function (tr) {
      var cities = (tr.getAttribute("data-cities") || "").split(" ");
      tr.hidden = (city !== "" && cities.indexOf(city) < 0) || tr.getAttribute("data-empty") === "1";
    });
    // a column with no value in the rows shown is hidden with them
    var head = table.tHead.rows[0].cells;
    for (var j = 1; j < head.length - 1; j++) {
      var any = false;
      for (var k = 0; k < rows.length && !any; k++) {
        if (!rows[k].hidden && rows[k].cells[j].textContent !== "") any = true;
      }
      head[j].hidden = !any;
      rows.forEach(function (tr) {
        tr.cells[j].hidden = !any;
      });
    }
  }

  function applyHeat() {
    var city = cityBox ? cityBox.value : "";
    var rolled = !!(rollBox && rollBox.checked);
    Array.prototype.forEach.call(document.querySelectorAll("section.matrix"), function (sec) {
      var places = sec.querySelector(".view-places");
      var up = sec.querySelector(".view-rollup");
      if (places) places.hidden = rolled && !!up;
      if (up) up.hidden = !rolled;
      Array.prototype.forEach.call(sec.querySelectorAll("table.heat"), function (t) {
        filterHeat(t, city);
      });
    });
    document.body.setAttribute("data-city", city);
    var r = range();
    document.body.setAttribute("data-dates", r[0] || r[1] ? r[0] + "/" + r[1] : "");
  }

  /** A focused view's lists under the date range: sentences outside it hidden, and the
   * relations, sections and articles left without one. */
  function applyLists() {
    var r = range();
    Array.prototype.forEach.call(document.querySelectorAll("ul.evidence > li[data-article]"), function (li) {
      li.hidden = !dateIn(li.getAttribute("data-date") || "-", r);
    });
    Array.prototype.forEach.call(document.querySelectorAll("li.rel"), function (li) {
      var evs = li.querySelectorAll("ul.evidence > li[data-article]");
      var any = !evs.length && r[0] === "" && r[1] === "";
      Array.prototype.forEach.call(evs, function (ev) {
        if (!ev.hidden) any = true;
      });
      li.hidden = !any;
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.rels, section.articles"), function (sec) {
      var items = sec.querySelectorAll("li.rel, ul.articles > li");
      var any = !items.length;
      Array.prototype.forEach.call(items, function (li) {
        if (li.matches("ul.articles > li")) li.hidden = !dateIn(li.getAttribute("data-date") || "-", r);
        if (!li.hidden) any = true;
      });
      sec.hidden = !any;
    });
    document.body.setAttribute("data-dates", r[0] || r[1] ? r[0] + "/" + r[1] : "");
  }

  function applyDates() {
    if (document.querySelector("section.matrix")) applyHeat();
    else applyLists();
    markMonths();
  }

  /** Set the range (the timeline's months call this) and apply it. */
  function setDates(from, to) {
    if (fromBox) fromBox.value = from || "";
    if (toBox) toBox.value = to || "";
    applyDates();
    // the network of a focused view (assets/views.js) follows the same inputs
    if (fromBox && window.kgView && window.kgView.setDates) window.kgView.setDates(fromBox.value, toBox.value);
  }

  // -- the timeline: a click on a month keeps that month; a second click every date ----------
  function monthRange(m) {
    var y = Number(m.slice(0, 4));
    var mo = Number(m.slice(5, 7));
    var last = new Date(Date.UTC(y, mo, 0)).getUTCDate();
    return [m + "-01", m + "-" + (last < 10 ? "0" : "") + last];
  }
  function markMonths() {
    var r = range();
    Array.prototype.forEach.call(document.querySelectorAll("svg.timeline g.month[data-month]"), function (g) {
      var mr = monthRange(g.getAttribute("data-month"));
      var on = r[0] !== "" || r[1] !== "" ? !(r[1] !== "" && mr[0] > r[1]) && !(r[0] !== "" && mr[1] < r[0]) : false;
      g.setAttribute("class", on ? "month on" : "month");
    });
  }
  document.addEventListener("click", function (ev) {
    var g = ev.target && ev.target.closest ? ev.target.closest("svg.timeline g.month[data-month]") : null;
    if (!g || !fromBox) return;
    var mr = monthRange(g.getAttribute("data-month"));
    var r = range();
    if (r[0] === mr[0] && r[1] === mr[1]) setDates("", "");
    else setDates(mr[0], mr[1]);
  });

  if (cityBox) cityBox.addEventListener("change", applyHeat);
  if (rollBox) rollBox.addEventListener("change", applyHeat);
  [fromBox, toBox].forEach(function (box) {
    if (box) box.addEventListener("change", applyDates);
  });
  var clearBox = document.getElementById("date-clear");
  if (clearBox) {
    clearBox.addEventListener("click", function () {
      setDates("", "");
    });
  }
  if (cityBox || rollBox) applyHeat(); // a reloaded page keeps the form's values
  else if (fromBox && (fromBox.value || toBox.value)) applyLists();

  // a notebook's sandboxed frame cannot save files: no download buttons there
  if (location.protocol === "about:") {
    Array.prototype.forEach.call(document.querySelectorAll("button.csv"), function (b) {
      b.hidden = true;
    });
  }

  window.kgTables = {
    download: download,
    csvText: csvText,
    tableRows: tableRows,
    relationRows: relationRows,
    setDates: setDates,
  };
})();
