/* VLM Survey: "download this view". The rows of a page's data tables that are still shown (a filter
   hides the others with `hidden` or display: none) are cut out of the site's full exports, which
   the build writes from the same YAML: data/<collection>.json, data/<collection>.csv, references.bib.
   The buttons are in the page (macros/exports.py), hidden until this script runs. */
(function () {
  "use strict";

  var EXTENSIONS = { csv: "csv", json: "json", bibtex: "bib" };
  var TYPES = { csv: "text/csv", json: "application/json", bibtex: "application/x-bibtex" };

  /* Ids of the rows shown, in the order shown (sorting reorders rows), each once. */
  function visibleIds(collection) {
    var ids = [];
    var rows = document.querySelectorAll('table[data-vlm-table="' + collection + '"] tbody tr[data-entry]');
    rows.forEach(function (row) {
      if (row.hidden || getComputedStyle(row).display === "none") return;
      if (ids.indexOf(row.dataset.entry) === -1) ids.push(row.dataset.entry);
    });
    return ids;
  }

  function fetchText(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.text();
    });
  }

  function pick(byId, ids) {
    return ids.filter(function (id) { return id in byId; }).map(function (id) { return byId[id]; });
  }

  var cut = {
    /* The JSON export's envelope (schema version, license...) around the entries shown. */
    json: function (text, ids) {
      var data = JSON.parse(text);
      var byId = {};
      data.entries.forEach(function (entry) { byId[entry.id] = entry; });
      data.entries = pick(byId, ids);
      data.count = data.entries.length;
      return JSON.stringify(data, null, 2) + "\n";
    },
    /* One line per entry (the export folds whitespace), the id in the first column. */
    csv: function (text, ids) {
      var lines = text.replace(/\n$/, "").split("\n");
      var byId = {};
      lines.slice(1).forEach(function (line) { byId[line.split(",", 1)[0]] = line; });
      return [lines[0]].concat(pick(byId, ids)).join("\n") + "\n";
    },
    /* Keys are the entry's id, then id_2, id_3... for its further papers. */
    bibtex: function (text, ids) {
      var byId = {};
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
      var source = box.dataset.vlmRoot + (format === "bibtex" ? "references.bib" : "data/" + collection + "." + format);
      var ids = visibleIds(collection);
      button.disabled = true;
      fetchText(source)
        .then(function (text) { save(cut[format](text, ids), format, collection + "-view." + EXTENSIONS[format]); })
        .catch(function (error) { console.error("download this view:", error); })
        .then(function () { button.disabled = false; });
    });
  }

  document$.subscribe(function () {
    document.querySelectorAll("[data-vlm-downloads]").forEach(setup);
  });
})();
