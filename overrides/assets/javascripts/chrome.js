/* Page chrome: the "report an error" link names the section the reader is in; the 404 page speaks the language of the missed address. */
(function () {
  "use strict";

  /* The id of the section that holds `node`, or of the nearest h2/h3 at or above the top of the view without
     one: the last heading above it in the article. */
  function section(node) {
    var id = "";
    document.querySelectorAll(".md-content h2[id], .md-content h3[id]").forEach(function (heading) {
      var above = node ? heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING
        : heading.getBoundingClientRect().top <= 80;
      if (above) id = heading.id;
    });
    return id;
  }

  /* The section the reader is in when using the link at the page's foot: the one holding the text they
     selected, else the one they were reading before the foot came into view (scrolling down to the link
     does not change it), else the one at the top of the view. */
  function setUpReport(link) {
    var url = new URL(link.href);
    var page = url.searchParams.get("where");
    var foot = link.closest("aside") || link;
    var reading = section();
    var pending = false;
    function follow() {
      pending = false;
      if (foot.getBoundingClientRect().top > window.innerHeight) reading = section();
    }
    window.addEventListener("scroll", function () {
      if (!pending) { pending = true; requestAnimationFrame(follow); }
    }, { passive: true });
    function name() {
      var selection = window.getSelection();
      var chosen = selection && !selection.isCollapsed && selection.anchorNode &&
        foot.closest(".md-content").contains(selection.anchorNode) ? section(selection.anchorNode) : "";
      var id = chosen || reading || section();
      url.searchParams.set("where", id ? page + "#" + id : page);
      link.href = url.href;
    }
    link.addEventListener("mousedown", name);
    link.addEventListener("click", name);
    link.addEventListener("keydown", name);
  }

  /* 404: the text of the missed address's language (/<root>en/... is English), and the same page in the
     other language when it exists (asked with HEAD: the same host). */
  function setUpMissing(box) {
    var root = box.getAttribute("data-vlm-404");
    var path = location.pathname;
    if (path.indexOf(root) !== 0) return;
    var rest = path.slice(root.length);
    var english = rest.indexOf("en/") === 0;
    var lang = english ? "en" : "zh";
    box.querySelectorAll("[data-vlm-404-lang]").forEach(function (part) {
      part.hidden = part.getAttribute("data-vlm-404-lang") !== lang;
    });
    document.documentElement.lang = lang;
    document.title = box.querySelector("[data-vlm-404-lang='" + lang + "'] h1").textContent + " - " + document.title;
    var other = english ? root + rest.slice(3) : root + "en/" + rest;
    if (!rest || rest === "en/") return;
    fetch(other, { method: "HEAD" }).then(function (answer) {
      if (!answer.ok) return;
      var note = box.querySelector("[data-vlm-404-lang='" + lang + "'] [data-vlm-404-other]");
      var link = note.querySelector("a");
      link.href = other;
      link.textContent = decodeURI(other);
      note.hidden = false;
    }).catch(function () { /* no link */ });
  }

  function init() {
    document.querySelectorAll("a[data-vlm-report]").forEach(setUpReport);
    document.querySelectorAll("[data-vlm-404]").forEach(setUpMissing);
  }

  document$.subscribe(init);
})();
