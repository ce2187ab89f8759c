// charts.js draws every chart of a page: an element with data-chart="ID"
// gets the ECharts options from the JSON block #ID (written by the server,
// escaped by html/template). No inline script: the CSP forbids it.
(function () {
  "use strict";
  function draw() {
    var els = document.querySelectorAll("[data-chart]");
    var all = [];
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src || typeof echarts === "undefined") { continue; }
      var opts = JSON.parse(src.textContent);
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(opts);
      el.setAttribute("data-drawn", "1");
      all.push(chart);
    }
    window.addEventListener("resize", function () {
      for (var j = 0; j < all.length; j++) { all[j].resize(); }
    });
    var p = document.querySelectorAll("[data-print]");
    for (var k = 0; k < p.length; k++) {
      p[k].addEventListener("click", function () { window.print(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
