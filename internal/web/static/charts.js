// charts.js draws every chart of a page: an element with data-chart="ID"
// gets the ECharts options from the JSON block #ID (written by the server,
// escaped by html/template). No inline script: the CSP forbids it.
(function () {
  "use strict";
  // Numbers are written as on the page: the values arrive rounded by the
  // server (numfmt); here they get the page language's separators, a
  // decimal comma in Vietnamese, and a fixed number of decimals (2; 0 for
  // charts of counts, whose axis is integer).
  var lang = (document.documentElement.getAttribute("lang") || "vi").slice(0, 2);
  function fmt(v, d) {
    if (Array.isArray(v)) { v = v[v.length - 1]; }
    if (typeof v !== "number" || !isFinite(v)) { return v === undefined || v === null ? "" : String(v); }
    var s = v.toFixed(d);
    var neg = s.charAt(0) === "-";
    if (neg) { s = s.slice(1); }
    var parts = s.split(".");
    var thou = lang === "en" ? "," : ".";
    var dec = lang === "en" ? "." : ",";
    var i = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, thou);
    var out = (neg && /[1-9]/.test(s) ? "-" : "") + i + (parts.length > 1 ? dec + parts[1] : "");
    return out;
  }
  function localise(opts, narrow) {
    var d = typeof opts.dxDecimals === "number" ? opts.dxDecimals : 2;
    delete opts.dxDecimals;
    opts.tooltip = opts.tooltip || {};
    opts.tooltip.valueFormatter = function (v) { return fmt(v, d); };
    // Axis labels: integers need no decimals; others show as many as the
    // tick needs (at most 2), with the language's separators.
    var axes = [].concat(opts.yAxis || [], opts.xAxis || []);
    for (var i = 0; i < axes.length; i++) {
      var ax = axes[i];
      if (!ax || ax.type === "category" || ax.data) { continue; }
      ax.axisLabel = ax.axisLabel || {};
      ax.axisLabel.formatter = function (v) {
        return fmt(v, Math.round(v) === v ? 0 : Math.min(2, d || 2));
      };
    }
    // A category axis of a few long labels (school years "Năm học
    // 2025-2026") on a narrow chart: ECharts hides every label that would
    // overlap, so a phone showed one year of two. Show each, slanted,
    // unless the server chose an interval itself.
    if (narrow) {
      var xs = [].concat(opts.xAxis || []);
      for (var x = 0; x < xs.length; x++) {
        var xa = xs[x];
        if (!xa || !xa.data || xa.data.length > 12) { continue; }
        xa.axisLabel = xa.axisLabel || {};
        if (xa.axisLabel.interval === undefined) {
          xa.axisLabel.interval = 0;
          if (xa.axisLabel.rotate === undefined) { xa.axisLabel.rotate = 30; }
        }
      }
    }
    if (opts.visualMap) {
      var vm = [].concat(opts.visualMap);
      for (var k = 0; k < vm.length; k++) {
        vm[k].formatter = function (v) { return fmt(v, 0); };
      }
    }
    return opts;
  }
  function draw() {
    var els = document.querySelectorAll("[data-chart]");
    var all = [];
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src || typeof echarts === "undefined") { continue; }
      var opts = localise(JSON.parse(src.textContent), el.clientWidth < 600);
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
