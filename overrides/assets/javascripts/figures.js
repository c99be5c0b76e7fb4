/* "Download SVG" under the figures drawn from data (templates/figure.html): the link is hidden until this
   script runs; a click saves the figure's SVG as the reader sees it (colours of the current scheme and
   the page's font written into the file, links made absolute), for slides. Diagrams link their file. */
(function () {
  "use strict";

  function standalone(svg) {
    var copy = svg.cloneNode(true);
    var style = getComputedStyle(svg);
    copy.removeAttribute("style");
    copy.setAttribute("width", svg.viewBox.baseVal.width);
    copy.setAttribute("height", svg.viewBox.baseVal.height);
    copy.setAttribute("style", "color:" + style.color + ";background:" +
      getComputedStyle(document.body).backgroundColor + ";font-family:" + style.fontFamily +
      ";font-size:" + style.fontSize);
    copy.querySelectorAll("a[href]").forEach(function (link) {
      link.setAttribute("href", new URL(link.getAttribute("href"), location.href).href);
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
  }

  function setUp(link) {
    var svg = link.closest("figure").querySelector("svg");
    if (!svg) return;
    link.hidden = false;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var url = URL.createObjectURL(new Blob([standalone(svg)], { type: "image/svg+xml" }));
      var save = document.createElement("a");
      save.href = url;
      save.download = link.dataset.vlmDownload;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 0);
    });
  }

  function init() {
    document.querySelectorAll("a[data-vlm-download]").forEach(setUp);
  }

  document$.subscribe(init);
})();
