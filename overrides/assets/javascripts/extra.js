/* VLM Survey: small behaviours on top of Material. No network requests, no globals but `document$`. */
(function () {
  "use strict";

  /* Sortable data tables (tablesort, vendored). */
  function setupTables(root) {
    root.querySelectorAll("table[data-vlm-table]").forEach(function (table) {
      if (!table.dataset.vlmSortable && typeof Tablesort !== "undefined") {
        new Tablesort(table);
        table.dataset.vlmSortable = "true";
      }
    });
  }

  /* Math written with pymdownx.arithmatex (generic mode), rendered by the vendored KaTeX. */
  function renderMath(root) {
    if (typeof katex === "undefined") return;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      var tex = el.textContent.trim();
      var display = el.tagName === "DIV" || tex.indexOf("\\[") === 0;
      tex = tex.replace(/^\\[\[(]/, "").replace(/\\[\])]$/, "");
      katex.render(tex, el, { displayMode: display, throwOnError: false });
    });
  }

  /* A row named in the address (#model-llava-1-5) is highlighted. */
  function highlightTarget() {
    document.querySelectorAll("tr.vlm-target").forEach(function (row) { row.classList.remove("vlm-target"); });
    var id = decodeURIComponent(location.hash.slice(1));
    var row = id && document.getElementById(id);
    if (row && row.tagName === "TR") row.classList.add("vlm-target");
  }

  /* The language selector keeps the section the reader is on: the fragment is read at click time.
     The link already names the same page in the other language, so the click must not reach
     Material's own handler: it looks the page up in the other language's sitemap, whose URLs carry
     site_url's path, misses whenever the site is served elsewhere, and lands on the home page. */
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-vlm-alternate]");
    if (!link) return;
    if (location.hash) link.hash = location.hash;
    event.stopPropagation();
  }, true);

  window.addEventListener("hashchange", highlightTarget);
  document$.subscribe(function () {
    setupTables(document);
    renderMath(document);
    highlightTarget();
  });
})();
