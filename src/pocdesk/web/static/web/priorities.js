/* The priorities page's charts (web/priorities/page.html): Chart.js draws the figures the
   page holds in the JSON script "priorities-charts" — the forecast by month (amount against
   weighted) and the running POCs per engineer against the team's maximum, overloaded in red. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("priorities-charts");
  if (!window.Chart || !source) { return; }
  var data = JSON.parse(source.textContent);
  // Ticks and tooltips in the page's language (Chart.js formats numbers with Intl).
  var base = {responsive: true, maintainAspectRatio: false, animation: false,
              locale: document.documentElement.lang || undefined};
  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }
  draw("chart-forecast", {type: "bar", data: {labels: data.forecast.labels, datasets: [
    {label: data.forecast.amount_label, data: data.forecast.amount, backgroundColor: "#adb5bd"},
    {label: data.forecast.weighted_label, data: data.forecast.weighted,
     backgroundColor: "#0d6efd"}]},
    options: Object.assign({}, base, {scales: {y: {beginAtZero: true}}})});
  var capacity = data.capacity;
  draw("chart-capacity", {data: {labels: capacity.labels, datasets: [
    {type: "bar", label: capacity.running_label, data: capacity.running, order: 2,
     backgroundColor: capacity.overloaded.map(function (over) {
       return over ? "#dc3545" : "#198754";
     })},
    // The maximum as a dash across each engineer's bar, visible even with one engineer.
    {type: "line", label: capacity.max_label, data: capacity.max, order: 1, showLine: false,
     pointStyle: "line", pointRadius: 18, pointHoverRadius: 18, borderWidth: 3,
     borderColor: "#212529", backgroundColor: "#212529"}]},
    options: Object.assign({}, base, {scales: {y: {beginAtZero: true, ticks: {precision: 0}}}})});
});
