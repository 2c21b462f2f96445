/* The portfolio page's charts (web/portfolio/page.html): Chart.js draws the figures the page
   holds in the JSON script "portfolio-charts". Each status comes with its badge colour's name
   (STATUS_COLOURS), read here from the theme's CSS variables, so a status keeps its colour
   whichever statuses are left out for having no POC. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("portfolio-charts");
  if (!window.Chart || !source) { return; }
  var data = JSON.parse(source.textContent);
  var style = getComputedStyle(document.documentElement);
  function themeColour(name) {
    return (style.getPropertyValue("--pd-" + name) || style.getPropertyValue("--bs-" + name)
            || "#6c757d").trim();
  }
  var colours = {
    health: ["#198754", "#ffc107", "#dc3545"],
    closes: {won: "#198754", lost: "#dc3545", no_decision: "#ffc107", other: "#adb5bd"}
  };
  var base = {responsive: true, maintainAspectRatio: false, animation: false};
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }
  draw("chart-status", {type: "doughnut", data: {labels: data.status.labels, datasets: [{
    data: data.status.values, backgroundColor: data.status.colours.map(themeColour)}]},
    options: Object.assign({}, base, {plugins: {legend: {position: "right"}}})});
  draw("chart-health", {type: "bar", data: {labels: data.health.labels, datasets: [{
    data: data.health.values, backgroundColor: colours.health}]},
    options: Object.assign({}, base, {plugins: {legend: {display: false}},
      scales: {y: {beginAtZero: true, ticks: {precision: 0}}}})});
  draw("chart-closes", {type: "bar", data: {labels: data.closes.labels, datasets:
    data.closes.series.map(function (series) {
      return {label: series.label, data: series.values, backgroundColor: colours.closes[series.key]};
    })},
    options: Object.assign({}, base, {scales: {x: {stacked: true},
      y: {stacked: true, beginAtZero: true, ticks: {precision: 0}}}})});
  draw("chart-duration", {type: "bar", data: {labels: data.duration.labels, datasets: [
    {label: data.duration.planned_label, data: data.duration.planned, backgroundColor: "#adb5bd"},
    {label: data.duration.actual_label, data: data.duration.actual, backgroundColor: "#0d6efd"}]},
    options: Object.assign({}, base, {scales: {y: {beginAtZero: true}}})});
});
