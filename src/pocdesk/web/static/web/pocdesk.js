/* pocdesk's page behaviour: charts from json_script data, repeated form rows. */
(function () {
  "use strict";

  function cssColour(name) {
    var style = getComputedStyle(document.documentElement);
    if (name === "evaluating") {
      return style.getPropertyValue("--pd-evaluating").trim() || "#6f42c1";
    }
    return style.getPropertyValue("--bs-" + name).trim() || "#6c757d";
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function drawCharts(root) {
    if (typeof window.Chart === "undefined") {
      return;
    }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) {
        return;
      }
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) {
        return;
      }
      var data = JSON.parse(source.textContent);
      canvas.dataset.drawn = "1";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.labels,
          datasets: [{
            data: data.counts,
            backgroundColor: data.colours.map(cssColour),
            borderRadius: 4,
            maxBarThickness: 28
          }]
        },
        options: {
          animation: reducedMotion() ? false : undefined,
          indexAxis: "y",
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { beginAtZero: true, ticks: { precision: 0 } },
            y: { grid: { display: false } }
          }
        }
      });
    });
  }

  /* A dialog sent back with errors (the manager's override) opens again by itself. */
  function reopenDialogs() {
    if (!window.bootstrap) {
      return;
    }
    document.querySelectorAll(".modal[data-open-on-load]").forEach(function (dialog) {
      window.bootstrap.Modal.getOrCreateInstance(dialog).show();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts(document);
    reopenDialogs();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    drawCharts(event.target);
  });

  /* The plan page's tabs keep their place in the address bar, so reloading stays on them. */
  document.addEventListener("shown.bs.tab", function (event) {
    var link = event.target;
    if (link.closest(".plan-tabs") && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", link.getAttribute("href"));
    }
  });

  /* "/" jumps to the search box of a list, as in most web applications. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) {
      return;
    }
    var search = document.querySelector("#list-filters input[type=search]");
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  /* Filter forms send (and push into the address bar) only the filters that are set. */
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (detail.verb !== "get" || !detail.formData) {
      return;
    }
    var keys = [];
    detail.formData.forEach(function (value, key) {
      if (keys.indexOf(key) < 0) {
        keys.push(key);
      }
    });
    keys.forEach(function (key) {
      var values = detail.formData.getAll(key);
      if (values.every(function (value) { return value === ""; })) {
        detail.formData.delete(key);
      }
    });
  });

  /* Alpine component: add a row to a Django formset from its empty form. */
  document.addEventListener("alpine:init", function () {
    window.Alpine.data("formsetRows", function (prefix) {
      return {
        add: function () {
          var total = this.$root.querySelector('[name="' + prefix + '-TOTAL_FORMS"]');
          var maximum = this.$root.querySelector('[name="' + prefix + '-MAX_NUM_FORMS"]');
          var index = parseInt(total.value, 10);
          if (maximum && index >= parseInt(maximum.value, 10)) {
            return;
          }
          var html = this.$refs.blank.innerHTML.replace(/__prefix__/g, String(index));
          this.$refs.rows.insertAdjacentHTML("beforeend", html);
          total.value = String(index + 1);
          var input = this.$refs.rows.lastElementChild.querySelector("input");
          if (input) {
            input.focus();
          }
        }
      };
    });
  });
})();
