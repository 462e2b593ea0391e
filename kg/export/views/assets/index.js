/* safety-kg: the search box of index.html over every entity's name and aliases.
 * Text reaches the page through textContent only. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var TYPES = D.types;
  var ENTRIES = D.entries; // [name, aliases, type index, page href, n relations]
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var LIMIT = 50;
  var input = document.getElementById("q");
  var out = document.getElementById("results");

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = String(text);
    return e;
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

  function matches(q) {
    var hits = [];
    ENTRIES.forEach(function (e, i) {
      var s = score(e, q);
      if (s >= 0) hits.push([s, -e[4], e[0].length, i]);
    });
    hits.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || a[3] - b[3];
    });
    return hits;
  }

  function render() {
    while (out.firstChild) out.removeChild(out.firstChild);
    var q = input.value.trim();
    if (!q) return;
    var hits = matches(q);
    hits.slice(0, LIMIT).forEach(function (h) {
      var e = ENTRIES[h[3]];
      var li = el("li");
      var a = el("a");
      if (PAGE_RE.test(e[3])) a.href = e[3];
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

  input.addEventListener("input", render);
  document.getElementById("index-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var first = out.querySelector("a[href]");
    if (first) window.location.href = first.getAttribute("href");
  });
  render();
})();
