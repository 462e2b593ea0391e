/* safety-kg: an article page (article/*.html). A link to #ev-<start>-<end> (an evidence
 * span, as the views and the IRI kgi:evidence/<page>/<start>-<end> name it) highlights the
 * whole span, which the text's marks may cut into several pieces, and scrolls it into view.
 * Nothing is written but class names: the text is the page's, escaped when it was written. */
(function () {
  "use strict";

  var current = [];

  function show() {
    current.forEach(function (m) {
      m.classList.remove("target");
    });
    current = [];
    var main = document.querySelector("main.article");
    // a notebook shows the page in an iframe without a URL: the span to show is on <main>
    var hash = decodeURIComponent(location.hash.slice(1)) || (main && main.getAttribute("data-target")) || "";
    var span = /^ev-(\d+-\d+)$/.exec(hash);
    var mention = /^m-(\d+)-(\d+)$/.exec(hash);
    if (span) {
      current = Array.prototype.filter.call(document.querySelectorAll("mark.ev[data-ev]"), function (m) {
        return m.getAttribute("data-ev").split(" ").indexOf(span[1]) >= 0;
      });
    } else if (mention) {
      var a = document.getElementById(hash);
      var next = a && a.nextElementSibling;
      if (next) current = [next];
    }
    current.forEach(function (m) {
      m.classList.add("target");
    });
    document.body.setAttribute("data-target", current.length ? hash : "");
    if (current.length) current[0].scrollIntoView({ block: "center" });
    else if (hash && document.getElementById(hash)) document.getElementById(hash).scrollIntoView();
    window.kgArticle.target = current.length ? hash : null;
    window.kgArticle.marked = current.map(function (m) {
      return m.textContent;
    }).join("");
  }

  window.kgArticle = { show: show, target: null, marked: "" };
  window.addEventListener("hashchange", show);
  show();
})();
