// Sortable tables of the roll-up page (tables marked data-sortable). Each cell carries its sort
// value in data-value; a click on a column heading sorts by it, a second click reverses.
// Missing values (empty data-value) stay at the bottom either way.
(function () {
  "use strict";
  function sortBy(table, index, type, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = a.cells[index].getAttribute("data-value") || "";
      var y = b.cells[index].getAttribute("data-value") || "";
      if (x === "" || y === "") { return (x === "") - (y === ""); }
      var order = type === "num" ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) { cell.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = th.querySelector("button");
      if (button) {
        button.addEventListener("click", function () { sortBy(table, index, th.getAttribute("data-type"), th); });
      }
    });
  });
})();
