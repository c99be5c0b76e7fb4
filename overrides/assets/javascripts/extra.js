/* VLM Survey: small behaviours on top of Material. No network requests, no globals but `document$`. */
(function () {
  "use strict";

  /* The element the address's fragment names, or null. The fragment is whatever the reader (or a
     link) put there: it may not decode (#%E0%A4%A, #%), and it is only ever looked up by id, never
     built into a selector or into markup. */
  function fragmentTarget() {
    var raw = location.hash.slice(1);
    if (!raw) return null;
    var id;
    try {
      id = decodeURIComponent(raw);
    } catch (error) {
      id = raw;  /* not percent-encoded UTF-8: no decoded id to find, try it as written */
    }
    return document.getElementById(id) || (id !== raw ? document.getElementById(raw) : null);
  }

  /* A row named in the address (#model-llava-1-5) is highlighted. */
  function highlightTarget() {
    document.querySelectorAll("tr.vlm-target").forEach(function (row) { row.classList.remove("vlm-target"); });
    var row = fragmentTarget();
    if (row && row.tagName === "TR") row.classList.add("vlm-target");
  }

  /* The section the reader is on: the address's fragment while its target is on screen (a heading
     or row just followed), otherwise the section the table of contents marks as the one being read
     (Material follows scrolling there), otherwise whatever fragment the address has. */
  function currentSection() {
    var target = fragmentTarget();
    if (target) {
      var box = target.getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight) return location.hash;
    }
    var active = document.querySelector('[data-md-component="toc"] a.md-nav__link--active');
    return active ? active.hash : location.hash;
  }

  /* The language selector keeps the section the reader is on, read at click time, and the query
     (a shared table filter) except Material's search highlight, which is in this language.
     The link already names the same page in the other language, so the click must not reach
     Material's own handler: it looks the page up in the other language's sitemap, whose URLs carry
     site_url's path, misses whenever the site is served elsewhere, and lands on the home page. */
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-vlm-alternate]");
    if (!link) return;
    var query = new URLSearchParams(location.search);
    query.delete("h");
    link.search = query.toString();
    link.hash = currentSection();
    event.stopPropagation();
  }, true);

  /* A table wider than the column scrolls in Material's wrapper; with no link inside to tab to, the
     wrapper itself takes keyboard focus so the arrow keys can scroll it. */
  function focusableScrollBoxes(root) {
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.querySelector("a[href], button, input, select, [tabindex]")) {
        var caption = box.querySelector("caption");
        var headers = [].map.call(box.querySelectorAll("th"), function (th) { return th.textContent.trim(); });
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent : headers.join(", "));
      }
    });
  }

  /* A display formula wider than the column scrolls in its own box (drawn at build time, see
     vlm_survey/formulas.py); that box takes keyboard focus so the arrow keys can scroll it, and is
     named by the formula's TeX. */
  function focusableFormulas(root) {
    root.querySelectorAll(".vlm-math-display").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.querySelector("annotation").textContent.trim());
      }
    });
  }

  /* Material's search overlay is a dialog without a name; give it the search field's label. */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    var input = dialog && dialog.querySelector("input[aria-label]");
    if (input) dialog.setAttribute("aria-label", input.getAttribute("aria-label"));
  }

  /* An abbreviation's expansion (snippets/abbreviations.md) is its title, which a mouse shows on hover. A
     touch screen has no hover: a tap shows the expansion under the abbreviation until the next tap. The
     expansion is set as text: it may come from contributed data (Material's own tooltips, content.tooltips,
     write a title into the page as HTML, so they stay off). */
  var abbreviationTip = null;

  function showAbbreviation(event) {
    if (abbreviationTip) abbreviationTip.remove();
    abbreviationTip = null;
    var abbr = event.target.closest && event.target.closest("article abbr[title]");
    if (!abbr) return;
    var box = abbr.getBoundingClientRect();
    abbreviationTip = document.createElement("span");
    abbreviationTip.className = "vlm-abbr-tip";
    abbreviationTip.setAttribute("role", "tooltip");
    abbreviationTip.textContent = abbr.getAttribute("title");
    abbreviationTip.style.top = (box.bottom + window.scrollY + 4) + "px";
    abbreviationTip.style.left = Math.max(8, Math.min(box.left + window.scrollX,
      document.documentElement.clientWidth - 8 - 240)) + "px";
    document.body.appendChild(abbreviationTip);
  }

  window.addEventListener("hashchange", highlightTarget);
  document.addEventListener("click", showAbbreviation);
  document$.subscribe(function () {
    highlightTarget();
    nameSearchDialog();
    focusableScrollBoxes(document);
    focusableFormulas(document);
  });
})();
