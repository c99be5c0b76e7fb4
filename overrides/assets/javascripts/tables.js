/* VLM Survey: the data tables rendered by macros/tables.py (table[data-vlm-table]).
   - Sort by any column: tablesort (vendored); numbers, years and sizes by their data-sort keys, text in
     the page language's order (pinyin for Chinese).
   - Filter (tables of four rows or more): free text plus the facets the table's rows carry (year from,
     architecture type, paradigm, open weights; category, kind), each offered when its values differ
     between rows. The state lives in the URL query, one namespace per table, e.g.
     ?models.year_from=2023&models.paradigm=llm-backbone, so a filtered view can be shared.
   - Long notes fold to a few lines behind a button.
   Interface text and sort order come from languages.yml, through the page. No network requests, no globals. */
(function () {
  "use strict";

  /* This language's labels and collation, from languages.yml (written into the page by overrides/main.html). */
  var LANGUAGE = JSON.parse(document.getElementById("vlm-language").textContent);
  var T = LANGUAGE.labels;
  var MIN_FILTER_ROWS = 4;  /* shorter tables are read at a glance: sortable, no filter */
  var FOLD_LINES = 2;  /* keep in step with -webkit-line-clamp in extra.css */
  var collator = new Intl.Collator(LANGUAGE.collation, { numeric: true, sensitivity: "base" });

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

  /* Columns without a sort method of their own sort as text, in the page language's order. */
  function makeSortable(table) {
    table.querySelectorAll("thead th").forEach(function (th) {
      if (!th.hasAttribute("data-sort-method")) th.setAttribute("data-sort-method", "vlm-text");
    });
    new Tablesort(table);
  }

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

  /* One filter: builds its controls above the table and keeps rows, status and URL in step. */
  function Filter(table, namespace) {
    var self = this;
    this.table = table;
    this.namespace = namespace;
    this.rows = [].slice.call(table.tBodies[0].rows);
    this.haystacks = this.rows.map(function (row) { return normalize(row.textContent); });
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
    if (this.rows.length && this.rows[0].hasAttribute("data-year")) {
      var years = this.rows.map(function (row) { return Number(row.getAttribute("data-year")); });
      var first = Math.min.apply(null, years);
      var last = Math.max.apply(null, years);
      if (last > first) {
        var options = [];
        for (var year = first; year <= last; year++) options.push([String(year), String(year)]);
        field("year_from", T.yearFrom, choice(options));
      }
    }
    var facets = JSON.parse(table.getAttribute("data-vlm-facets") || "{}");
    Object.keys(facets).forEach(function (facet) {
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
    var shown = 0;
    this.rows.forEach(function (row, index) {
      var haystack = this.haystacks[index];
      var match = terms.every(function (term) { return haystack.indexOf(term) !== -1; })
        && (!values.year_from || Number(row.getAttribute("data-year")) >= Number(values.year_from))
        && Object.keys(values).every(function (name) {
          return name === "q" || name === "year_from" || !values[name]
            || row.getAttribute("data-" + name.replace(/_/g, "-")) === values[name];
        });
      row.hidden = !match;
      if (match) shown++;
    }, this);
    var total = this.rows.length;
    this.status.textContent = format(shown ? T.count : T.empty, { shown: shown, total: total });
    var active = Object.keys(values).some(function (name) { return values[name] !== ""; });
    this.bar.classList.toggle("vlm-filter--active", active);
    this.reset.hidden = !active;
    if (writeUrl) this.write(values);
  };

  Filter.prototype.write = function (values) {
    var url = new URL(location.href);
    Object.keys(values).forEach(function (name) {
      if (values[name]) url.searchParams.set(this.key(name), values[name]);
      else url.searchParams.delete(this.key(name));
    }, this);
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
  };

  /* Notes longer than a few lines fold; a button shows the rest (print shows everything). */
  function foldNotes(table) {
    var boxes = [];
    table.querySelectorAll('td[data-col="notes"]').forEach(function (cell) {
      var box = element("div", { "class": "vlm-fold" });
      while (cell.firstChild) box.appendChild(cell.firstChild);
      cell.appendChild(box);
      boxes.push(box);
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

  function setup() {
    var tables = [].slice.call(document.querySelectorAll("table[data-vlm-table]")).filter(function (table) {
      return !table.hasAttribute("data-vlm-ready") && table.tBodies.length;
    });
    var params = new URL(location.href).searchParams;
    var firstNamed = null;
    namespaces(tables).forEach(function (namespace, index) {
      var table = tables[index];
      table.setAttribute("data-vlm-ready", "");
      if (typeof Tablesort !== "undefined") makeSortable(table);
      if (table.tBodies[0].rows.length >= MIN_FILTER_ROWS) {
        var filter = new Filter(table, namespace);
        if (filter.read(params) && !firstNamed) firstNamed = filter.bar;
      }
      foldNotes(table);
    });
    /* A shared filtered view opens at its table unless the address names a place of its own. */
    if (firstNamed && !location.hash) firstNamed.scrollIntoView();
  }

  /* Tablesort's comparators run the other way round (positive when a comes first); it then reverses. */
  if (typeof Tablesort !== "undefined") {
    Tablesort.extend("vlm-text", function () { return false; }, function (a, b) { return collator.compare(b, a); });
  }
  document$.subscribe(setup);
})();
