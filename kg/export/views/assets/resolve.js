/* safety-kg: resolve.html. An IRI of the dataset (after # in the address, or pasted into the
 * box) opens its place in the views: evidence and mentions their article at the span, articles
 * their page, entities their focused view. Text reaches the page through textContent only. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var ARTICLE_RE = /^article\/[0-9a-f]{16}\.html$/;
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var msg = document.getElementById("resolve-msg");
  var input = document.getElementById("iri");

  function decode(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  /** The IRI in full and decoded: <…> and prefixes (kgi:, haz: …) undone. */
  function expand(iri) {
    iri = iri.trim().replace(/^<|>$/g, "");
    var m = /^([a-z]+):(?!\/\/)(.*)$/.exec(iri);
    if (m && D.prefixes[m[1]]) iri = D.prefixes[m[1]] + m[2];
    return decode(iri);
  }

  /** The article of a page whose paragraphs hold the offset. */
  function articleAt(page, start) {
    var rows = D.pages[page] || [];
    for (var k = 0; k < rows.length; k++) {
      var paras = rows[k][4];
      for (var j = 0; j < paras.length; j++) {
        if (paras[j][0] <= start && start < paras[j][1]) return rows[k];
      }
    }
    return null;
  }

  /** Where the IRI is in the views (a relative link), or null. */
  function target(iri) {
    var full = expand(iri);
    var rest = full.indexOf(D.base) === 0 ? full.slice(D.base.length) : null;
    if (rest !== null) {
      var m = /^(evidence|mention)\/(.+)\/(\d+)-(\d+)$/.exec(rest);
      if (m) {
        var row = articleAt(m[2], Number(m[3]));
        if (!row || !ARTICLE_RE.test(row[2])) return null;
        return row[2] + "#" + (m[1] === "evidence" ? "ev-" : "m-") + m[3] + "-" + m[4];
      }
      m = /^article\/(.+)#(\d+)$/.exec(rest);
      if (m) {
        var rows = D.pages[m[1]] || [];
        for (var k = 0; k < rows.length; k++) if (rows[k][3] === Number(m[2])) return rows[k][2];
        return null;
      }
    }
    var href = D.entities[full];
    return typeof href === "string" && PAGE_RE.test(href) ? href : null;
  }

  function go(iri) {
    if (!iri.trim()) return;
    var href = target(iri);
    if (href) {
      msg.textContent = "→ " + href;
      window.kgResolve.last = href;
      location.href = href;
    } else {
      msg.textContent = "Not in these views 未找到: " + iri;
      window.kgResolve.last = null;
    }
  }

  document.getElementById("resolve-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    go(input.value);
  });
  window.kgResolve = { target: target, go: go, last: null };
  if (location.hash.length > 1) {
    input.value = decode(location.hash.slice(1));
    go(location.hash.slice(1));
  }
})();
