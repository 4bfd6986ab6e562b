(function () {
  "use strict";
  var table = document.getElementById("reports");
  var body = table.tBodies[0];
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var shown = document.getElementById("shown");
  var heads = table.tHead.rows[0].cells;
  // names sort as people read them: 第9街道 before 第100街道
  var collator = new Intl.Collator("zh-CN", {numeric: true});
  function cellValue(row, i, type) {
    var text = row.cells[i].textContent.trim();
    return type === "num" ? (parseFloat(text) || 0) : text;
  }
  function sortBy(i) {
    var th = heads[i], type = th.getAttribute("data-type");
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    for (var k = 0; k < heads.length; k++) heads[k].removeAttribute("aria-sort");
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i, type), y = cellValue(b, i, type);
      if (type === "num") return (x - y) * dir;
      return collator.compare(x, y) * dir;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function applyFilter() {
    var q = filter.value.trim().toLowerCase(), s = status.value, n = 0;
    Array.prototype.forEach.call(body.rows, function (r) {
      var ok = (!s || r.getAttribute("data-status") === s) &&
               (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = "显示 " + n + " / " + body.rows.length;
  }
  // a button in each header: reached with Tab, pressed with Enter or Space
  for (var i = 0; i < heads.length; i++) {
    heads[i].querySelector("button").addEventListener("click", sortBy.bind(null, i));
  }
  filter.addEventListener("input", applyFilter);
  status.addEventListener("change", applyFilter);
  applyFilter();
})();
