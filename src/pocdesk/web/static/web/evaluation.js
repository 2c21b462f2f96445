/* The reliability chart of the win model's evaluation page (web/insights/evaluation.html):
   predicted vs observed per bin for the model and the baseline, with the diagonal. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var source = document.getElementById("evaluation-chart");
  var canvas = document.getElementById("chart-reliability");
  var labels = document.getElementById("evaluation-labels");
  if (!window.Chart || !source || !canvas || !labels) { return; }
  var data = JSON.parse(source.textContent);
  function radius(point) { return Math.max(3, Math.min(12, Math.sqrt(point.count))); }
  function series(points, label, colour) {
    return {label: label, data: points, backgroundColor: colour, borderColor: colour,
            showLine: true, pointRadius: points.map(radius), tension: 0,
            parsing: {xAxisKey: "predicted", yAxisKey: "observed"}};
  }
  new Chart(canvas, {type: "scatter", data: {datasets: [
    series(data.model || [], labels.dataset.model, "#0d6efd"),
    series(data.baseline || [], labels.dataset.baseline, "#fd7e14"),
    {label: labels.dataset.perfect, data: [{predicted: 0, observed: 0}, {predicted: 1, observed: 1}],
     parsing: {xAxisKey: "predicted", yAxisKey: "observed"}, showLine: true,
     borderDash: [6, 4], borderColor: "#adb5bd", pointRadius: 0}
  ]}, options: {responsive: true, maintainAspectRatio: false, animation: false,
    locale: document.documentElement.lang || undefined,
    scales: {x: {min: 0, max: 1, title: {display: true, text: labels.dataset.x}},
             y: {min: 0, max: 1, title: {display: true, text: labels.dataset.y}}},
    plugins: {tooltip: {callbacks: {afterLabel: function (context) {
      return context.raw.count ? context.raw.count + " " + labels.dataset.count : "";
    }}}}}});
});
