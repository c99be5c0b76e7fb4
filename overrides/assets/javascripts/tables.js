/* VLM Survey: the data tables rendered by vlm_survey/tables.py (table[data-vlm-table]).
   - Rows as data: each table's rows are read once into a list that the script sorts and filters. In a
     table of more than twice PAGE_ROWS rows, a sort or a filter then shows the first PAGE_ROWS rows of
     its result, with a button for all of them: it lays out no more rows than that, however long the
     table (issue 12). Every row stays in the page: the rows past the window wait in a second body,
     hidden on screen and printed (extra.css), put in order only when print or "download this view"
     (exports.js) reads them; the rows a filter leaves out are `hidden`. Print and the download get every
     row of the view, in order.
   - Sort by any column: each sortable heading holds a button (a click, Enter or Space; aria-sort on the
     heading says how); numbers, years and sizes by their data-sort keys, text in the page language's order
     (pinyin for Chinese). The sort lives in the URL query too (?benchmarks.sort=-year: descending) and is
     restored on load, per table.
   - The caption's count follows the filter: its data-vlm-counted text with the rows shown.
   - Filter (tables of four rows or more): free text plus the facets the table's rows carry (year from,
     architecture type, paradigm, open weights; category, kind, metric and annotation types), each offered
     when its values differ between rows; a "list" facet matches a row holding the value among others. The
     state lives in the URL query, one namespace per table, e.g.
     ?models.year_from=2023&models.paradigm=llm-backbone, so a filtered view can be shared.
   - The header row stays in sight under the site's header while the table scrolls by.
   - A row the address names (#model-llava-1-5) past the window comes on screen.
   - Long notes fold to a few lines behind a button.
   Interface text and sort order come from languages.yml, through the page. No network requests, no globals. */
(function () {
  "use strict";

  /* This language's labels and collation, from languages.yml (written into the page by overrides/main.html). */
  var LANGUAGE = JSON.parse(document.getElementById("vlm-language").textContent);
  var T = LANGUAGE.labels;
  var MIN_FILTER_ROWS = 4;  /* shorter tables are read at a glance: sortable, no filter */
  var PAGE_ROWS = 50;  /* rows on screen after a sort or filter in a long table: what one lays out (bench/) */
  var FOLD_LINES = 2;  /* keep in step with -webkit-line-clamp in extra.css */
  var collator = new Intl.Collator(LANGUAGE.collation, { numeric: true, sensitivity: "base" });
  var views = [];

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function normalize(value) {
    return value.normalize("NFKC").toLowerCase();
  }

  function element(tag, attributes, content) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (content) node.textContent = content;
    return node;
  }

  /* Sets or (value "") deletes the URL query's `key`, without a history entry. */
  function writeParam(key, value) {
    var url = new URL(location.href);
    if (value) url.searchParams.set(key, value);
    else url.searchParams.delete(key);
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
  }

  /* A table's rows as a list, in the order of the last sort; `match` is the filter's verdict on each.
     `namespace` names the table in the URL query. */
  function View(table, namespace) {
    var self = this;
    this.table = table;
    this.namespace = namespace;
    this.counted = table.caption && table.caption.getAttribute("data-vlm-counted");
    this.body = table.tBodies[0];
    this.rows = [].slice.call(this.body.rows).map(function (row, index) {
      return { row: row, index: index, match: true, folded: false };
    });
    this.order = this.rows;
    this.page = this.rows.length > 2 * PAGE_ROWS ? PAGE_ROWS : Infinity;  /* rows on screen after a sort or filter */
    this.ranks = {};
    this.rest = table.appendChild(element("tbody", { "class": "vlm-rest" }));
    this.count = element("span", { "class": "vlm-window__count" });
    var all = element("button", { type: "button", "class": "vlm-window__all" }, T.more);
    all.addEventListener("click", function () {
      var next = self.limit;
      self.render(Infinity);
      var link = self.body.rows[next].querySelector("a[href]");  /* the keyboard goes on where the rows do */
      if (link) link.focus();
    });
    this.footer = element("div", { "class": "vlm-window" });
    this.footer.appendChild(this.count);
    this.footer.appendChild(all);
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(this.footer, anchor.nextSibling);

    this.current = null;  /* the heading sorted by */
    this.headings = {};  /* sortable headings by column name */
    this.shift = 0;  /* px the header row is moved down */
    [].forEach.call(table.tHead.rows[table.tHead.rows.length - 1].cells, function (th) {
      if (th.getAttribute("data-sort-method") === "none") return;
      var button = element("button", { type: "button", "class": "vlm-sort" });
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      self.headings[th.getAttribute("data-col")] = th;
      th.addEventListener("click", function () {  /* the button's click, or one on the heading's padding */
        self.sortBy(th, th.getAttribute("aria-sort") !== "ascending");
        var descending = th.getAttribute("aria-sort") === "descending";
        writeParam(self.namespace + ".sort", (descending ? "-" : "") + th.getAttribute("data-col"));
      });
    });
  }

  /* Sorts by the column of heading `th`, and says so on the heading. */
  View.prototype.sortBy = function (th, ascending) {
    if (this.current && this.current !== th) this.current.removeAttribute("aria-sort");
    this.current = th;
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    this.sort(th.cellIndex, th.getAttribute("data-sort-method"), ascending);
  };

  /* The sort the URL names (`year`, or `-year` for descending), if it names a sortable column of this table.
     The value is the reader's, hostile as any: only looked up among the headings' own names. */
  View.prototype.read = function (params) {
    var value = params.get(this.namespace + ".sort") || "";
    var column = value.replace(/^-/, "");
    if (!Object.prototype.hasOwnProperty.call(this.headings, column)) return false;
    this.sortBy(this.headings[column], value.charAt(0) !== "-");
    return true;
  };

  /* Each row's rank in a column, worked out on the first sort by it (rows with equal keys share one): the
     cell's data-sort, else its text; as numbers (none counts as 0) or in the page language's order. */
  View.prototype.rank = function (column, method) {
    if (this.ranks[column]) return this.ranks[column];
    var keys = this.rows.map(function (item) {
      var cell = item.row.cells[column];
      var key = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
      return method === "number" ? parseFloat(key) || 0 : key;
    });
    var compare = method === "number" ? function (a, b) { return a - b; } : collator.compare;
    var byKey = keys.map(function (_, index) { return index; }).sort(function (a, b) { return compare(keys[a], keys[b]); });
    var ranks = [];
    byKey.forEach(function (index, position) {
      var before = byKey[position - 1];
      ranks[index] = position && compare(keys[before], keys[index]) === 0 ? ranks[before] : position;
    });
    return (this.ranks[column] = ranks);
  };

  /* Rows with equal keys keep the page's order, either way. */
  View.prototype.sort = function (column, method, ascending) {
    var ranks = this.rank(column, method);
    var direction = ascending ? 1 : -1;
    this.order = this.rows.slice().sort(function (a, b) {
      return direction * (ranks[a.index] - ranks[b.index]) || a.index - b.index;
    });
    this.render(this.page);
  };

  /* Puts the first `limit` matching rows, in order, in the table's body; every other row waits in the second
     body. Only the rows that come on screen or leave it move, and only the rows on screen are laid out: a
     sort of 2,900 rows moves about a hundred. The second body is put in order when it is read (settle). */
  View.prototype.render = function (limit) {
    var body = this.body;
    var rest = this.rest;
    var shown = 0;
    var arrived = [];
    var left = [];
    this.limit = limit;
    this.order.forEach(function (item) {
      if (item.row.hidden !== !item.match) item.row.hidden = !item.match;
      item.onScreen = item.match && shown++ < limit;
      if (!item.onScreen) {
        if (item.row.parentNode === body) left.push(item.row);
        return;
      }
      body.appendChild(item.row);
      if (!item.folded) arrived.push(item);
    });
    left.forEach(function (row) { rest.appendChild(row); });
    this.settled = false;
    foldNotes(arrived);
    this.shown = shown;
    if (this.counted) this.table.caption.textContent = format(this.counted, { count: shown });
    this.footer.hidden = shown <= limit;
    this.count.textContent = format(T.count, { shown: Math.min(shown, limit), total: shown });
  };

  /* Puts the rows of the second body in the view's order, for print and "download this view" to read. Moving
     every row there costs about 40 ms in a table of 2,900, so it waits until they are read. */
  View.prototype.settle = function () {
    if (this.settled) return;
    for (var next = null, i = this.order.length - 1; i >= 0; i--) {
      var row = this.order[i].row;
      if (this.order[i].onScreen) continue;
      if (row.parentNode !== this.rest || row.nextSibling !== next) this.rest.insertBefore(row, next);
      next = row;
    }
    this.settled = true;
  };

  /* Keeps the header row in sight under the site's header (`top`, px from the window's top) while the table
     passes under it: its cells move down (extra.css), as far as the table's last row at most (print: not at all). */
  View.prototype.stick = function (top) {
    var head = this.table.tHead;
    var rect = this.table.getBoundingClientRect();
    var natural = head.getBoundingClientRect().top - this.shift;
    var shift = rect.bottom < 0 || rect.top > top ? 0
      : Math.round(Math.max(0, Math.min(top - natural, rect.bottom - natural - 2 * head.offsetHeight)));
    if (shift === this.shift) return;
    this.shift = shift;
    head.style.setProperty("--vlm-head-shift", shift + "px");  /* on the thead: only its cells restyle */
  };

  /* Brings `row` on screen when it matches and waits past the window: the window grows to its page. */
  View.prototype.reveal = function (row) {
    var position = 0;
    var found = this.order.some(function (item) {
      if (item.row === row) return item.match;
      if (item.match) position++;
      return false;
    });
    if (!found || position < this.limit) return;
    this.render((Math.floor(position / this.page) + 1) * this.page);
    row.scrollIntoView();
  };

  /* The query namespace of each table: its kind, or kind.section where a page has several of a kind. */
  function namespaces(tables) {
    var counts = {};
    var used = {};
    tables.forEach(function (table) {
      var kind = table.getAttribute("data-vlm-table");
      counts[kind] = (counts[kind] || 0) + 1;
    });
    return tables.map(function (table) {
      var kind = table.getAttribute("data-vlm-table");
      var name = counts[kind] > 1 ? kind + "." + (sectionOf(table) || "table") : kind;
      var unique = name;
      for (var n = 2; used[unique]; n++) unique = name + "-" + n;
      used[unique] = true;
      return unique;
    });
  }

  function sectionOf(table) {
    var id = null;
    document.querySelectorAll("article h2[id], article h3[id]").forEach(function (heading) {
      if (heading.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) id = heading.id;
    });
    return id;
  }

  /* One filter: builds its controls above the table and keeps the view, status and URL in step. */
  function Filter(view, namespace) {
    var self = this;
    var table = view.table;
    this.view = view;
    this.namespace = namespace;
    this.haystacks = view.rows.map(function (item) { return normalize(item.row.textContent); });
    this.controls = {};
    var idPrefix = "vlm-filter-" + namespace.replace(/[^\w-]/g, "-") + "-";
    var caption = table.caption ? table.caption.textContent : namespace;
    var bar = element("div", { "class": "vlm-filter", role: "group", "aria-label": T.filter + ": " + caption });
    var fields = element("div", { "class": "vlm-filter__fields" });

    function field(name, labelText, control) {
      var wrapper = element("div", { "class": "vlm-filter__field vlm-filter__field--" + name.replace(/_/g, "-") });
      control.id = idPrefix + name;
      control.name = name;
      wrapper.appendChild(element("label", { "for": control.id }, labelText));
      wrapper.appendChild(control);
      fields.appendChild(wrapper);
      self.controls[name] = control;
      control.addEventListener(control.tagName === "INPUT" ? "input" : "change", function () { self.update(true); });
    }

    function choice(options) {
      var select = element("select");
      select.appendChild(element("option", { value: "" }, T.any));
      options.forEach(function (option) { select.appendChild(element("option", { value: option[0] }, option[1])); });
      return select;
    }

    field("q", T.search, element("input", { type: "search", placeholder: T.placeholder, autocomplete: "off" }));
    if (view.rows[0].row.hasAttribute("data-year")) {
      var years = view.rows.map(function (item) { return Number(item.row.getAttribute("data-year")); });
      var first = Math.min.apply(null, years);
      var last = Math.max.apply(null, years);
      if (last > first) {
        var options = [];
        for (var year = first; year <= last; year++) options.push([String(year), String(year)]);
        field("year_from", T.yearFrom, choice(options));
      }
    }
    var facets = JSON.parse(table.getAttribute("data-vlm-facets") || "{}");
    this.lists = {};
    Object.keys(facets).forEach(function (facet) {
      if (facets[facet].list) self.lists[facet] = true;
      var values = facets[facet].values;
      var keys = Object.keys(values);
      if (keys.length > 1) field(facet, facets[facet].label, choice(keys.map(function (key) { return [key, values[key]]; })));
    });

    var reset = element("button", { type: "button", "class": "vlm-filter__reset" }, T.reset);
    reset.addEventListener("click", function () {
      Object.keys(self.controls).forEach(function (name) { self.controls[name].value = ""; });
      self.update(true);
    });
    var summary = element("div", { "class": "vlm-filter__summary" });
    this.status = element("p", { "class": "vlm-filter__status", role: "status" });
    this.reset = reset;
    summary.appendChild(this.status);
    summary.appendChild(reset);
    bar.appendChild(fields);
    bar.appendChild(summary);
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(bar, anchor);
    this.bar = bar;
  }

  Filter.prototype.key = function (name) {
    return this.namespace + "." + name;
  };

  /* Take the state from the URL; returns whether the URL named this table. Unknown values are ignored.
     The values are the reader's address, hostile as any: URLSearchParams decodes them without throwing
     (a malformed %-sequence becomes U+FFFD), and they are only ever assigned to a control's value and
     compared, never built into a selector or markup. */
  Filter.prototype.read = function (params) {
    var self = this;
    var named = false;
    Object.keys(this.controls).forEach(function (name) {
      var value = params.get(self.key(name));
      if (value === null) return;
      var control = self.controls[name];
      control.value = value;
      if (control.value !== value) control.value = "";
      named = named || control.value !== "";
    });
    this.update(false);
    return named;
  };

  Filter.prototype.update = function (writeUrl) {
    var values = {};
    var controls = this.controls;
    Object.keys(controls).forEach(function (name) { values[name] = controls[name].value.trim(); });
    var terms = normalize(values.q || "").split(/\s+/).filter(Boolean);
    var view = this.view;
    var lists = this.lists;
    view.rows.forEach(function (item, index) {
      var haystack = this.haystacks[index];
      var row = item.row;
      item.match = terms.every(function (term) { return haystack.indexOf(term) !== -1; })
        && (!values.year_from || Number(row.getAttribute("data-year")) >= Number(values.year_from))
        && Object.keys(values).every(function (name) {
          if (name === "q" || name === "year_from" || !values[name]) return true;
          var held = row.getAttribute("data-" + name.replace(/_/g, "-"));
          return lists[name] ? (" " + held + " ").indexOf(" " + values[name] + " ") !== -1 : held === values[name];
        });
    }, this);
    view.render(view.page);
    this.status.textContent = format(view.shown ? T.count : T.empty, { shown: view.shown, total: view.rows.length });
    var active = Object.keys(values).some(function (name) { return values[name] !== ""; });
    this.bar.classList.toggle("vlm-filter--active", active);
    this.reset.hidden = !active;
    if (writeUrl) this.write(values);
  };

  Filter.prototype.write = function (values) {
    Object.keys(values).forEach(function (name) { writeParam(this.key(name), values[name]); }, this);
  };

  /* Notes longer than a few lines fold; a button shows the rest (print shows everything). Each row's
     notes are measured when the row first comes on screen: a row off screen has no height. */
  function foldNotes(items) {
    var boxes = [];
    items.forEach(function (item) {
      item.folded = true;
      item.row.querySelectorAll('td[data-col="notes"]').forEach(function (cell) {
        var box = element("div", { "class": "vlm-fold" });
        while (cell.firstChild) box.appendChild(cell.firstChild);
        cell.appendChild(box);
        boxes.push(box);
      });
    });
    var tall = boxes.filter(function (box) {
      var line = parseFloat(getComputedStyle(box).lineHeight);
      return line > 0 && box.getBoundingClientRect().height > line * (FOLD_LINES + 0.5);
    });
    tall.forEach(function (box) {
      var button = element("button", { type: "button", "class": "vlm-fold__toggle", "aria-expanded": "false" }, T.more);
      box.classList.add("vlm-fold--folded");
      button.addEventListener("click", function () {
        var folded = box.classList.toggle("vlm-fold--folded");
        button.setAttribute("aria-expanded", String(!folded));
        button.textContent = folded ? T.more : T.less;
      });
      box.parentNode.appendChild(button);
    });
  }

  /* The disclosure under a row's name (a phone's view of the notes column) gets the notes when first opened:
     the page carries them once, in the notes cell. Folding controls are not copied. */
  function fillRowNotes(details) {
    if (!details.open || details.childElementCount > 1) return;
    var cell = details.closest("tr").querySelector('td[data-col="notes"]');
    if (!cell) return;
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".vlm-fold__toggle").forEach(function (button) { button.remove(); });
    copy.querySelectorAll(".vlm-fold--folded").forEach(function (box) { box.classList.remove("vlm-fold--folded"); });
    while (copy.firstChild) details.appendChild(copy.firstChild);
  }

  function setup() {
    var tables = [].slice.call(document.querySelectorAll("table[data-vlm-table]")).filter(function (table) {
      return !table.hasAttribute("data-vlm-ready") && table.tBodies.length;
    });
    var params = new URL(location.href).searchParams;
    var firstNamed = null;
    namespaces(tables).forEach(function (namespace, index) {
      var table = tables[index];
      table.setAttribute("data-vlm-ready", "");
      table.querySelectorAll("details.vlm-row-notes").forEach(function (details) {
        details.addEventListener("toggle", function () { fillRowNotes(details); });
      });
      var view = new View(table, namespace);
      views.push(view);
      var named = false;
      if (view.rows.length >= MIN_FILTER_ROWS) {
        var filter = new Filter(view, namespace);
        named = filter.read(params);
      } else {
        view.render(view.page);
      }
      named = view.read(params) || named;
      if (named && !firstNamed) firstNamed = filter ? filter.bar : table;
    });
    revealTarget();
    /* A shared filtered view opens at its table unless the address names a place of its own. */
    if (firstNamed && !location.hash) firstNamed.scrollIntoView();
  }

  /* The row the address names (#model-llava-1-5), if any: looked up by id only. The fragment is the
     reader's (or a link's): it may not decode, and is then tried as written. */
  function revealTarget() {
    var id = location.hash.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch (error) { /* not percent-encoded UTF-8 */ }
    var row = id && document.getElementById(id);
    if (row && row.tagName === "TR") views.forEach(function (view) { view.reveal(row); });
  }

  /* The header rows follow the page's scroll, once a frame. */
  var sticking = false;
  function stickHeads() {
    if (sticking) return;
    sticking = true;
    requestAnimationFrame(function () {
      sticking = false;
      var header = document.querySelector(".md-header");
      var top = header ? header.getBoundingClientRect().bottom : 0;
      views.forEach(function (view) { if (view.table.isConnected) view.stick(top); });
    });
  }

  window.addEventListener("scroll", stickHeads, { passive: true });
  window.addEventListener("resize", stickHeads);
  window.addEventListener("hashchange", revealTarget);
  /* Print, and "download this view" (exports.js asks by this event before it reads the rows), read the rows
     past the window in order. */
  function settleAll() {
    views.forEach(function (view) { view.settle(); });
  }
  window.addEventListener("beforeprint", settleAll);
  document.addEventListener("vlm:read-rows", settleAll);
  document$.subscribe(setup);
})();
