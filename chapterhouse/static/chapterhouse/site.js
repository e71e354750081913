// Chapterhouse's one site-wide script (a static file: the CSP allows no inline script).
// Without it the site still works: the menu stays open and wide tables scroll in their wrapper.
(function () {
  "use strict";

  // The header's menu (<details open>) folds on narrow screens and stays open on wide ones.
  var menu = document.querySelector("header.site details.menu");
  var narrow = window.matchMedia("(max-width: 760px)");
  function fit() { if (menu) { menu.open = !narrow.matches; } }
  fit();
  if (narrow.addEventListener) { narrow.addEventListener("change", fit); }

  // The page the reader is on is marked in the navigation.
  if (menu) {
    menu.querySelectorAll("nav a[href]").forEach(function (link) {
      if (link.pathname === window.location.pathname) { link.setAttribute("aria-current", "page"); }
    });
  }

  // A column heading's words: line breaks read as spaces, its buttons (remove...) left out.
  function headingText(cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll("form, button").forEach(function (e) { e.remove(); });
    copy.querySelectorAll("br").forEach(function (e) { e.replaceWith(" "); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // Tables with column headings become one card per row under 600 px (site.css): each cell
  // gets its column's heading as data-label, colspans counted. A cell that has one keeps it.
  document.querySelectorAll("table").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) { return; }
    var labels = [];
    Array.prototype.forEach.call(head.cells, function (cell) {
      for (var i = 0; i < cell.colSpan; i++) { labels.push(headingText(cell)); }
    });
    var bodies = Array.prototype.slice.call(table.tBodies);
    if (table.tFoot) { bodies.push(table.tFoot); }
    bodies.forEach(function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var isRowHeading = cell.tagName === "TH" && cell.scope === "row";
          if (!cell.hasAttribute("data-label") && !isRowHeading) {
            cell.setAttribute("data-label", cell.colSpan > 1 ? "" : (labels[column] || ""));
          }
          // The cell's content in one box, so that the label and the value are two columns.
          if (cell.hasAttribute("data-label") && !cell.querySelector(":scope > .cell")) {
            var box = document.createElement("div");
            box.className = "cell";
            while (cell.firstChild) { box.appendChild(cell.firstChild); }
            cell.appendChild(box);
          }
          column += cell.colSpan;
        });
      });
    });
    table.classList.add("cards");
  });
})();
