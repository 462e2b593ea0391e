/* safety-kg: resolve.html. An IRI of the dataset (after # in the address, or pasted into the
 * box) opens its place in the views: evidence and mentions their article at the span, articles
 * their page, entities their focused view. The table from IRI to page is split into shards
 * resolve/<hex>.js by the CRC-32 of a key (an entity's decoded IRI; for evidence, mentions and
 * articles their page's name), written by kg/export/views/resolve.py; the one shard an IRI
 * needs is loaded with a script element (fetch() of a local file is blocked on file://) and
 * calls kgResolve.put([name, {page: articles}, {IRI: view}]). Text reaches the page through
 * textContent only. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var ARTICLE_RE = /^article\/[0-9a-f]{16}\.html$/;
  var PAGE_RE = /^entity\/[a-z]+-[0-9a-f]{16}\.html$/;
  var SRC_RE = /^[a-z]+\/$/;
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

  // -- shards ----------------------------------------------------------------------------------
  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC.push(c >>> 0);
  }

  /** The shard of a key: CRC-32 of its UTF-8 bytes modulo 16^digits, in hex (as resolve.py). */
  function shardOf(key) {
    var bytes = new TextEncoder().encode(key);
    var c = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
    c = (c ^ 0xffffffff) >>> 0;
    var digits = D.digits;
    var name = (c % Math.pow(16, digits)).toString(16);
    while (name.length < Math.max(1, digits)) name = "0" + name;
    return name;
  }

  var SHARDS = {}; // name → [pages, entities]
  var missing = null; // a shard that could not be loaded (resolve/ not beside the page)
  var pending = {}; // name → callbacks waiting for it
  var failed = {};

  /** Call back with the shard of a key once it is loaded (null when its file is missing). */
  function load(key, done) {
    var name = shardOf(key);
    if (SHARDS[name]) return done(SHARDS[name]);
    if (failed[name] || !SRC_RE.test(D.src)) return done(null);
    if (pending[name]) return pending[name].push(done);
    pending[name] = [done];
    var s = document.createElement("script");
    s.src = D.src + name + ".js";
    s.onerror = function () {
      failed[name] = true;
      missing = s.src;
      var waiting = pending[name] || [];
      delete pending[name];
      waiting.forEach(function (f) {
        f(null);
      });
    };
    document.body.appendChild(s);
  }

  function put(d) {
    var name = String(d[0]);
    if (SHARDS[name]) return;
    SHARDS[name] = [d[1], d[2]];
    var waiting = pending[name] || [];
    delete pending[name];
    waiting.forEach(function (f) {
      f(SHARDS[name]);
    });
  }

  /** The article of a page (its rows) whose paragraphs hold the offset. */
  function articleAt(rows, start) {
    for (var k = 0; k < rows.length; k++) {
      var paras = rows[k][4];
      for (var j = 0; j < paras.length; j++) {
        if (paras[j][0] <= start && start < paras[j][1]) return rows[k];
      }
    }
    return null;
  }

  /** Call back with where the IRI is in the views (a relative link), or null. */
  function target(iri, done) {
    var full = expand(iri);
    var rest = full.indexOf(D.base) === 0 ? full.slice(D.base.length) : null;
    if (rest !== null) {
      var m = /^(evidence|mention)\/(.+)\/(\d+)-(\d+)$/.exec(rest);
      if (m) {
        var span = m;
        return load(span[2], function (shard) {
          var row = shard && Object.prototype.hasOwnProperty.call(shard[0], span[2])
            ? articleAt(shard[0][span[2]], Number(span[3])) : null;
          if (!row || !ARTICLE_RE.test(row[2])) return done(null);
          done(row[2] + "#" + (span[1] === "evidence" ? "ev-" : "m-") + span[3] + "-" + span[4]);
        });
      }
      m = /^article\/(.+)#(\d+)$/.exec(rest);
      if (m) {
        var art = m;
        return load(art[1], function (shard) {
          var rows = shard && Object.prototype.hasOwnProperty.call(shard[0], art[1]) ? shard[0][art[1]] : [];
          for (var k = 0; k < rows.length; k++) {
            if (rows[k][3] === Number(art[2]) && ARTICLE_RE.test(rows[k][2])) return done(rows[k][2]);
          }
          done(null);
        });
      }
    }
    load(full, function (shard) {
      var href = shard && Object.prototype.hasOwnProperty.call(shard[1], full) ? shard[1][full] : null;
      done(typeof href === "string" && PAGE_RE.test(href) ? href : null);
    });
  }

  function go(iri) {
    if (!iri.trim()) return;
    msg.textContent = "Looking it up 查找中…";
    target(iri, function (href) {
      if (href) {
        msg.textContent = "→ " + href;
        window.kgResolve.last = href;
        location.href = href;
      } else if (missing) {
        msg.textContent = "Could not load " + missing + ": keep the folder resolve/ beside resolve.html 无法加载";
        window.kgResolve.last = null;
      } else {
        msg.textContent = "Not in these views 未找到: " + iri;
        window.kgResolve.last = null;
      }
    });
  }

  document.getElementById("resolve-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    go(input.value);
  });
  window.kgResolve = { target: target, go: go, put: put, shardOf: shardOf, last: null };
  if (location.hash.length > 1) {
    input.value = decode(location.hash.slice(1));
    go(location.hash.slice(1));
  }
})();
