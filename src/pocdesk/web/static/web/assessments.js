/* The win probability card (web/includes/assessment_card.html): the history's line chart,
   drawn from the JSON script "assessment-chart", each point in its confidence's theme colour
   and its tooltip saying who assessed, after what and why; and the range slider that moves
   with the probability's number field (the number field is what the form sends). */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var range = document.querySelector("[data-assessment-range]");
  var number = document.querySelector("[data-assessment-probability]");
  if (range && number) {
    range.addEventListener("input", function () { number.value = range.value; });
    number.addEventListener("input", function () {
      if (number.value !== "" && !isNaN(number.value)) { range.value = number.value; }
    });
  }

  var source = document.getElementById("assessment-chart");
  var canvas = document.getElementById("assessment-chart-canvas");
  if (!window.Chart || !source || !canvas) { return; }
  var data = JSON.parse(source.textContent);
  if (!data.points.length) { return; }
  var style = getComputedStyle(document.documentElement);
  function themeColour(name) {
    return (style.getPropertyValue("--bs-" + name) || "#6c757d").trim();
  }
  var pointColours = data.points.map(function (point) {
    return themeColour(data.colours[point.confidence] || "secondary");
  });
  var radius = {low: 4, medium: 5, high: 6};

  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [{
        label: data.series_label,
        data: data.probabilities,
        borderColor: themeColour("primary"),
        borderWidth: 2,
        tension: 0,
        pointBackgroundColor: pointColours,
        pointBorderColor: pointColours,
        pointRadius: data.points.map(function (point) { return radius[point.confidence] || 4; }),
        pointHoverRadius: 8
      }]
    },
    options: {
      responsive: true,
      aspectRatio: 2.5,
      animation: false,
      locale: document.documentElement.lang || undefined,
      scales: {y: {min: 0, max: 100, ticks: {stepSize: 25, callback: function (value) {
        return value + "%"; }}}},
      plugins: {
        legend: {display: false},
        tooltip: {callbacks: {
          title: function (items) {
            var point = data.points[items[0].dataIndex];
            return data.labels[items[0].dataIndex] + " · " + point.activity_label;
          },
          label: function (item) {
            var point = data.points[item.dataIndex];
            return data.text.probability + ": " + point.probability + "% · " + point.author;
          },
          afterLabel: function (item) {
            var point = data.points[item.dataIndex];
            return [data.text.confidence + ": " + point.confidence_label,
                    data.text.rationale + ": " + point.rationale];
          }
        }}
      }
    }
  });
});
