/* VLM Survey: "download this view". The rows still shown, in their order, of the data tables a box of buttons
   stands above (a filter hides the others with `hidden` or display: none) are cut out of the site's full exports, which
   the build writes from the same YAML: data/<collection>.json, data/<collection>.csv, references.bib.
   The buttons are in the page (macros/exports.py), hidden until this script runs.
   - Every CSV cell goes through the formula-injection rule of macros/exports.py (its docstring), the
     same rule: a `'` in front of a cell whose first character is a tab or a carriage return, or whose
     first character past leading whitespace is =, +, - or @. The files are neutralised already; the
     rule leaves a neutralised cell alone, so applying it again changes nothing but a stale file.
   - A download that fails (network, a file that does not parse, a browser refusing the Blob) says
     so next to the buttons, in the page's language (the box's data-vlm-failed text). */
(function () {
  "use strict";

  var EXTENSIONS = { csv: "csv", json: "json", bibtex: "bib" };
  var TYPES = { csv: "text/csv", json: "application/json", bibtex: "application/x-bibtex" };
  /* Keep in step with FORMULA_LEAD_SPACE and FORMULA_CELL in macros/exports.py. */
  var FORMULA_CELL = /^(?:[\t\r]|[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]*[=+\-@])/;
  var MAX_REASON = 200;

  function neutralise(text) {
    return FORMULA_CELL.test(text) ? "'" + text : text;
  }

  /* The tables a box of buttons speaks for: those of its collection after it, up to the next box (a page
     may hold several boxes, each above its own tables); if none follows, every table of the collection. */
  function ownTables(box, collection) {
    var tables = [].slice.call(document.querySelectorAll('table[data-vlm-table="' + CSS.escape(collection) + '"]'));
    var boxes = [].slice.call(document.querySelectorAll("[data-vlm-downloads]"));
    var next = boxes[boxes.indexOf(box) + 1];
    var own = tables.filter(function (table) {
      return (box.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING)
        && !(next && next.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    return own.length ? own : tables;
  }

  /* Ids of the rows `tables` show, in the order shown (sorting reorders rows; the rows past a long table's
     window wait in its second body, which tables.js puts in order when asked by "vlm:read-rows"), each once. */
  function visibleIds(tables) {
    var ids = [];
    document.dispatchEvent(new Event("vlm:read-rows"));
    tables.forEach(function (table) {
      [].forEach.call(table.querySelectorAll("tbody tr[data-entry]"), function (row) {
        if (row.hidden || getComputedStyle(row).display === "none") return;
        if (ids.indexOf(row.dataset.entry) === -1) ids.push(row.dataset.entry);
      });
    });
    return ids;
  }

  /* RFC 4180 as Python's csv module writes it: records of cells; quoted cells may hold , " and newlines. */
  function parseCsv(text) {
    var records = [];
    var record = [];
    var cell = "";
    var quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (quoted) {
        if (c !== '"') cell += c;
        else if (text[i + 1] === '"') { cell += '"'; i++; }
        else quoted = false;
      } else if (c === '"') {
        quoted = true;
      } else if (c === ",") {
        record.push(cell);
        cell = "";
      } else if (c === "\n" || (c === "\r" && text[i + 1] === "\n")) {
        if (c === "\r") i++;
        record.push(cell);
        records.push(record);
        record = [];
        cell = "";
      } else {
        cell += c;
      }
    }
    if (quoted) throw new Error("CSV: unterminated quoted cell");
    if (cell !== "" || record.length) { record.push(cell); records.push(record); }
    return records;
  }

  function csvLine(cells) {
    return cells.map(function (cell) {
      var text = neutralise(cell);
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    }).join(",");
  }

  function fetchText(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.text();
    });
  }

  function pick(byId, ids) {
    return ids.filter(function (id) { return Object.prototype.hasOwnProperty.call(byId, id); })
      .map(function (id) { return byId[id]; });
  }

  var cut = {
    /* The JSON export's envelope (schema version, license...) around the entries shown. */
    json: function (text, ids) {
      var data = JSON.parse(text);
      var byId = Object.create(null);
      data.entries.forEach(function (entry) { byId[entry.id] = entry; });
      data.entries = pick(byId, ids);
      data.count = data.entries.length;
      return JSON.stringify(data, null, 2) + "\n";
    },
    /* One record per entry, the id in the first column; every cell neutralised (see the top). */
    csv: function (text, ids) {
      var records = parseCsv(text);
      if (!records.length) throw new Error("CSV: no header row");
      var byId = Object.create(null);
      records.slice(1).forEach(function (record) { byId[record[0]] = record; });
      return [records[0]].concat(pick(byId, ids.map(neutralise))).map(csvLine).join("\n") + "\n";
    },
    /* Keys are the entry's id, then id_2, id_3... for its further papers. */
    bibtex: function (text, ids) {
      var byId = Object.create(null);
      text.split(/\n(?=@)/).forEach(function (chunk) {
        var match = /^@\w+\{([^,]+),/.exec(chunk);
        if (!match) return;
        var id = match[1].replace(/_\d+$/, "");
        (byId[id] = byId[id] || []).push(chunk.trim());
      });
      return [].concat.apply([], pick(byId, ids)).join("\n\n") + "\n";
    }
  };

  function save(text, format, name) {
    var url = URL.createObjectURL(new Blob([text], { type: TYPES[format] + ";charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  /* The failure, said next to the buttons (role="alert"), in the page's language; "" clears it. */
  function tell(box, message) {
    var region = box.querySelector(".vlm-download-message");
    if (!region && !message) return;
    if (!region) {
      region = document.createElement("div");
      region.className = "vlm-download-message";
      region.setAttribute("role", "alert");
      box.appendChild(region);
    }
    region.textContent = message;
  }

  function failure(box, error) {
    var reason = String((error && error.message) || error || "?").slice(0, MAX_REASON).replace(/[\s.。]+$/, "");
    var template = box.dataset.vlmFailed || "Download failed ({reason}).";
    return template.replace("{reason}", function () { return reason; });
  }

  function setup(box) {
    var views = box.querySelector(".vlm-download-views");
    if (!views || box.dataset.vlmReady) return;
    box.dataset.vlmReady = "true";
    views.hidden = false;
    views.addEventListener("click", function (event) {
      var button = event.target instanceof Element && event.target.closest("button[data-format]");
      if (!button) return;
      var collection = box.dataset.vlmDownloads;
      var format = button.dataset.format;
      button.disabled = true;
      tell(box, "");
      /* Everything, from reading the rows to saving the file, inside the chain: any throw is reported. */
      Promise.resolve()
        .then(function () {
          if (!Object.prototype.hasOwnProperty.call(cut, format)) throw new Error("unknown format " + format);
          var ids = visibleIds(ownTables(box, collection));
          var file = format === "bibtex" ? "references.bib" : "data/" + collection + "." + format;
          var source = box.dataset.vlmRoot + file;
          return fetchText(source).then(function (text) {
            save(cut[format](text, ids), format, collection + "-view." + EXTENSIONS[format]);
          });
        })
        .catch(function (error) {
          console.warn("download this view:", error);
          tell(box, failure(box, error));
        })
        .then(function () { button.disabled = false; });
    });
  }

  document$.subscribe(function () {
    document.querySelectorAll("[data-vlm-downloads]").forEach(setup);
  });
})();
