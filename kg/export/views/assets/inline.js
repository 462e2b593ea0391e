/* safety-kg: a view shown inline in a notebook (KnowledgeGraph.view), where no link can open
 * another page. A link to an article (a quoted sentence, a headline) opens that article over
 * the view instead, from the <template class="kg-article"> the page carries, with the sentence
 * highlighted. The article's markup is the page's own (escaped when written): it is cloned,
 * never parsed from text. */
(function () {
  "use strict";

  var overlay = null;
  var ARTICLE = /(?:^|\/)(article\/[0-9a-f]{16}\.html)(?:#(ev-\d+-\d+))?$/;

  function close() {
    if (overlay) overlay.parentNode.removeChild(overlay);
    overlay = null;
    window.kgInline.shown = null;
  }

  function open(page, span) {
    var tpl = document.querySelector('template.kg-article[data-page="' + page + '"]');
    if (!tpl) return false;
    close();
    overlay = document.createElement("div");
    overlay.className = "article-overlay";
    overlay.setAttribute("role", "dialog");
    var bar = document.createElement("div");
    bar.className = "bar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "close";
    button.textContent = "× Back to the graph 返回";
    button.addEventListener("click", close);
    bar.appendChild(button);
    overlay.appendChild(bar);
    var body = document.createElement("div");
    body.className = "content";
    body.appendChild(tpl.content.cloneNode(true));
    overlay.appendChild(body);
    document.body.appendChild(overlay);
    var marked = [];
    if (span) {
      var key = span.slice(3);
      Array.prototype.forEach.call(overlay.querySelectorAll("mark.ev[data-ev]"), function (m) {
        if (m.getAttribute("data-ev").split(" ").indexOf(key) >= 0) {
          m.classList.add("target");
          marked.push(m);
        }
      });
      if (marked.length) marked[0].scrollIntoView({ block: "center" });
    }
    window.kgInline.shown = page + (span ? "#" + span : "");
    window.kgInline.marked = marked.map(function (m) {
      return m.textContent;
    }).join("");
    return true;
  }

  document.addEventListener(
    "click",
    function (ev) {
      var a = ev.target && ev.target.closest ? ev.target.closest("a[href]") : null;
      if (!a) return;
      var m = ARTICLE.exec(a.getAttribute("href"));
      if (m && open(m[1], m[2])) ev.preventDefault();
    },
    true
  );
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") close();
  });

  window.kgInline = { open: open, close: close, shown: null, marked: "" };
})();
