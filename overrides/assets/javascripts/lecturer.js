/* Lecturer helpers: copy a heading's or a row's link, copy a section's citation, with a visible confirmation. */
(function () {
  "use strict";

  var LANGUAGE = JSON.parse(document.getElementById("vlm-language").textContent);
  var LABELS = LANGUAGE.copy;
  if (!LABELS) return;  /* a language without `labels.copy` in languages.yml gets no copy buttons */

  /* The absolute address of the element `id` on this page: the page's canonical address (site_url in the
     config) when it has one, so that a copy made from a local build still names the published page. */
  function addressOf(id) {
    var canonical = document.querySelector('link[rel="canonical"]');
    var page = new URL(canonical ? canonical.href : location.href);
    page.search = "";
    page.hash = id;
    return page.href;
  }

  /* Today as YYYY-MM-DD, in the reader's time zone. */
  function today() {
    var now = new Date();
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(function (part) {
      return part < 10 ? "0" + part : String(part);
    }).join("-");
  }

  /* `template` with each {name} replaced by values[name]; the values are text, never markup. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  /* The heading's own text: without its permalink and buttons. */
  function headingText(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, .vlm-cite-section").forEach(function (extra) { extra.remove(); });
    return copy.textContent.trim();
  }

  /* The one live region of the page: shown for a moment next to what was clicked, read by screen readers. */
  var bubble = document.createElement("div");
  bubble.className = "vlm-copied";
  bubble.setAttribute("role", "status");
  bubble.hidden = true;
  var hideTimer = 0;

  function announce(near, message, text) {
    if (!bubble.isConnected) document.body.appendChild(bubble);
    bubble.textContent = message;
    if (text) {
      /* Copying failed: show what was to be copied, selected, for Ctrl+C or a long press. */
      var manual = document.createElement("span");
      manual.className = "vlm-copied__text";
      manual.textContent = text;
      bubble.appendChild(manual);
    }
    bubble.hidden = false;
    /* Beside what was clicked, where Material's tooltip (its title, above or below it) is not; below
       it when the line has no room left. */
    var box = near.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var beside = box.right + 8 + bubble.offsetWidth <= width - 8;
    bubble.style.left = window.scrollX + (beside ? box.right + 8 : Math.max(8, width - 8 - bubble.offsetWidth)) + "px";
    bubble.style.top = window.scrollY + (beside ? box.top + (box.height - bubble.offsetHeight) / 2 : box.bottom + 4) + "px";
    if (text) window.getSelection().selectAllChildren(bubble.lastChild);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(function () { bubble.hidden = true; }, text ? 8000 : 2000);
  }

  /* Copy `text`, then confirm with `done` next to `near`; without clipboard access (plain http, an old
     browser, a refused permission) show the text to copy by hand instead. */
  function copy(text, near, done) {
    var writing = navigator.clipboard && navigator.clipboard.writeText
      ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
    writing.then(function () { announce(near, done); }, function () { announce(near, LABELS.failed, text); });
  }

  /* A heading's or a row's permalink still goes to its anchor, and copies its address on the way. */
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("article a.headerlink, article a.vlm-permalink");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    copy(addressOf(link.hash.slice(1)), link, LABELS.copied);
  });

  /* A section's citation, from the button next to its h2. */
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("button.vlm-cite-section");
    if (!button) return;
    var heading = button.closest("h2[id]");
    copy(fill(LABELS.citation, {title: headingText(heading), site: LANGUAGE.site_name,
                                url: addressOf(heading.id), date: today()}), button, LABELS.cited);
  });

  /* Name the permalinks (a row's has its name already), and give each h2 its citation button, after its permalink. */
  function addButtons(root) {
    root.querySelectorAll("article a.headerlink").forEach(function (link) {
      link.title = LABELS.link;
      link.setAttribute("aria-label", LABELS.link + ": " + headingText(link.parentNode));
    });
    root.querySelectorAll("article a.vlm-permalink").forEach(function (link) { link.title = LABELS.link; });
    root.querySelectorAll("article h2[id] > a.headerlink").forEach(function (link) {
      if (link.nextElementSibling && link.nextElementSibling.classList.contains("vlm-cite-section")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "vlm-cite-section";
      button.title = LABELS.cite;
      button.setAttribute("aria-label", LABELS.cite + ": " + headingText(link.parentNode));
      link.after(button);
    });
  }

  document$.subscribe(function () {
    bubble.hidden = true;
    addButtons(document);
  });
})();
