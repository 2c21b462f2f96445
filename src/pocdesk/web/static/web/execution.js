/* The execution page: each criterion's readings drawn against its target, and the dialogs. */
(function () {
  "use strict";

  var LABELS = {};

  function readLabels() {
    var source = document.getElementById("exec-chart-labels");
    LABELS = source ? JSON.parse(source.textContent) : {};
  }

  function label(name) {
    return LABELS[name] || name;
  }

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function rgba(hex, alpha) {
    var match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    if (!match) {
      return hex;
    }
    return "rgba(" + parseInt(match[1], 16) + "," + parseInt(match[2], 16) + "," +
      parseInt(match[3], 16) + "," + alpha + ")";
  }

  function colours() {
    return {
      line: cssVar("--bs-primary", "#0d6efd"),
      pass: cssVar("--bs-success", "#198754"),
      fail: cssVar("--bs-danger", "#dc3545"),
      grid: cssVar("--bs-border-color-translucent", "rgba(0,0,0,.1)"),
      text: cssVar("--bs-secondary-color", "#6c757d")
    };
  }

  function number(value) {
    if (value === null || value === undefined || value === "") {
      return null;
    }
    var parsed = parseFloat(value);
    return isNaN(parsed) ? null : parsed;
  }

  /* The criterion's target, from the canvas's data attributes (plain numbers). */
  function targetOf(canvas) {
    var data = canvas.dataset;
    return {
      comparator: data.comparator,
      value: number(data.targetValue),
      min: number(data.targetMin),
      max: number(data.targetMax),
      tolerance: number(data.tolerance) || 0,
      unit: data.unit || ""
    };
  }

  /* [low, high] of the passing band, either end null when open. */
  function passingBand(target) {
    switch (target.comparator) {
      case "gte": return [target.value, null];
      case "lte": return [null, target.value];
      case "eq": return [target.value - target.tolerance, target.value + target.tolerance];
      case "between": return [target.min, target.max];
      default: return [null, null];
    }
  }

  function passes(target, value) {
    var band = passingBand(target);
    var epsilon = 1e-9;
    return (band[0] === null || value >= band[0] - epsilon) &&
      (band[1] === null || value <= band[1] + epsilon);
  }

  function formatter(canvas, spanMs) {
    var options = { timeZone: canvas.dataset.timeZone || undefined };
    if (spanMs > 2 * 86400000) {
      options.day = "numeric";
      options.month = "short";
    } else {
      options.hour = "2-digit";
      options.minute = "2-digit";
      if (spanMs > 18 * 3600000) {
        options.day = "numeric";
        options.month = "short";
      }
    }
    var full = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      timeZone: options.timeZone, dateStyle: "medium", timeStyle: "short"
    });
    var tick;
    try {
      tick = new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
    } catch (error) {
      delete options.timeZone;
      tick = new Intl.DateTimeFormat(document.documentElement.lang || undefined, options);
    }
    return { tick: tick, full: full };
  }

  var MINUTE = 60000;
  var HOUR = 60 * MINUTE;
  var DAY = 24 * HOUR;
  var TIME_STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR,
    6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

  /* A round step between time ticks (a quarter of an hour, a day, a week), at most `most`. */
  function timeStep(span, most) {
    for (var index = 0; index < TIME_STEPS.length; index += 1) {
      if (span / TIME_STEPS[index] <= most) {
        return TIME_STEPS[index];
      }
    }
    return TIME_STEPS[TIME_STEPS.length - 1];
  }

  /* Draws the target under the readings: a band where readings pass, a line at the target. */
  var targetPlugin = {
    id: "pdTarget",
    beforeDatasetsDraw: function (chart, args, options) {
      var target = options.target;
      if (!target || target.comparator === "pass_fail") {
        return;
      }
      var area = chart.chartArea;
      var scale = chart.scales.y;
      var ctx = chart.ctx;
      var band = passingBand(target);
      var top = band[1] === null ? area.top : Math.max(area.top, scale.getPixelForValue(band[1]));
      var bottom = band[0] === null ? area.bottom :
        Math.min(area.bottom, scale.getPixelForValue(band[0]));
      ctx.save();
      if (bottom > top) {
        ctx.fillStyle = rgba(options.colour, target.comparator === "gte" ||
          target.comparator === "lte" ? 0.07 : 0.13);
        ctx.fillRect(area.left, top, area.right - area.left, bottom - top);
      }
      ctx.strokeStyle = options.colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      var lines = target.comparator === "between" ? [target.min, target.max] : [target.value];
      if (target.comparator === "eq" && target.tolerance) {
        lines = [target.value];
      }
      lines.forEach(function (value) {
        if (value === null) {
          return;
        }
        var y = scale.getPixelForValue(value);
        if (y < area.top || y > area.bottom) {
          return;
        }
        ctx.beginPath();
        ctx.moveTo(area.left, y);
        ctx.lineTo(area.right, y);
        ctx.stroke();
      });
      ctx.restore();
    }
  };

  function timeOf(point) {
    return new Date(point.t).getTime();
  }

  function yRange(target, values) {
    var band = passingBand(target);
    var marks = values.slice();
    [band[0], band[1], target.value].forEach(function (value) {
      if (value !== null && value !== undefined && !isNaN(value)) {
        marks.push(value);
      }
    });
    var low = Math.min.apply(null, marks);
    var high = Math.max.apply(null, marks);
    var pad = (high - low) * 0.1 || Math.abs(high) * 0.1 || 1;
    return [low - pad, high + pad];
  }

  function numericDatasets(data, target, palette) {
    var series = data.series || [];
    if (data.bucketed) {
      var upper = series.map(function (b) { return { x: timeOf(b), y: number(b.max) }; });
      var lower = series.map(function (b) { return { x: timeOf(b), y: number(b.min) }; });
      var mean = series.map(function (b) {
        return { x: timeOf(b), y: number(b.mean), count: b.count };
      });
      return {
        values: upper.concat(lower).map(function (p) { return p.y; }),
        datasets: [
          { label: label("max"), data: upper, borderWidth: 0, pointRadius: 0, fill: false,
            backgroundColor: rgba(palette.line, 0.18) },
          { label: label("range"), data: lower, borderWidth: 0, pointRadius: 0, fill: "-1",
            backgroundColor: rgba(palette.line, 0.18) },
          { label: label("mean"), data: mean, borderColor: palette.line, borderWidth: 2,
            pointRadius: 0, pointHitRadius: 6, tension: 0 }
        ]
      };
    }
    var points = series.map(function (p) { return { x: timeOf(p), y: number(p.value) }; });
    return {
      values: points.map(function (p) { return p.y; }),
      datasets: [{
        label: label("reading"),
        data: points,
        borderColor: rgba(palette.line, 0.6),
        borderWidth: 1.5,
        pointRadius: points.length > 120 ? 1.5 : 3.5,
        pointHoverRadius: 5,
        pointBackgroundColor: points.map(function (p) {
          return passes(target, p.y) ? palette.pass : palette.fail;
        }),
        pointBorderWidth: 0,
        tension: 0
      }]
    };
  }

  function passFailDatasets(data, palette) {
    var series = data.series || [];
    if (data.bucketed) {
      /* Buckets of pass/fail results: the share passing in each, from 0 to 1. */
      var share = series.map(function (b) {
        return { x: timeOf(b), y: number(b.mean), count: b.count };
      });
      return [{ label: label("share"), data: share, borderColor: palette.line, borderWidth: 2,
        pointRadius: 0, pointHitRadius: 6, stepped: true }];
    }
    var points = series.map(function (p) {
      var passed = p.value === true || p.value === 1 || p.value === "1" || p.value === "true";
      return { x: timeOf(p), y: passed ? 1 : 0 };
    });
    return [{
      label: label("result"), data: points, stepped: true,
      borderColor: rgba(palette.line, 0.4), borderWidth: 1.5,
      pointRadius: 4.5, pointHoverRadius: 6, pointBorderWidth: 0,
      pointBackgroundColor: points.map(function (p) { return p.y ? palette.pass : palette.fail; })
    }];
  }

  function draw(canvas, data) {
    var palette = colours();
    var target = targetOf(canvas);
    var kind = data.kind || (target.comparator === "pass_fail" ? "pass_fail" : "numeric");
    var series = data.series || [];
    if (!series.length) {
      canvas.parentElement.classList.add("exec-chart-none");
      return;
    }
    var times = series.map(timeOf);
    var first = Math.min.apply(null, times);
    var last = Math.max.apply(null, times);
    var span = last - first;
    if (span === 0) {
      first -= 3600000;
      last += 3600000;
      span = last - first;
    }
    /* A little room at both ends, so the first and last points are not cut in half. */
    var margin = span * 0.025;
    first -= margin;
    last += margin;
    var format = formatter(canvas, span);
    var unit = target.unit ? " " + target.unit : "";
    var datasets;
    var yScale;
    if (kind === "pass_fail" && data.bucketed) {
      datasets = passFailDatasets(data, palette);
      yScale = {
        min: 0, max: 1, grid: { color: palette.grid },
        ticks: { stepSize: 0.25, callback: function (value) { return Math.round(value * 100) + " %"; } }
      };
    } else if (kind === "pass_fail") {
      datasets = passFailDatasets(data, palette);
      yScale = {
        min: -0.15, max: 1.15, grid: { color: palette.grid },
        afterBuildTicks: function (axis) { axis.ticks = [{ value: 0 }, { value: 1 }]; },
        ticks: { callback: function (value) { return value === 1 ? label("pass") : label("fail"); } }
      };
    } else {
      var numeric = numericDatasets(data, target, palette);
      datasets = numeric.datasets;
      var range = yRange(target, numeric.values.filter(function (v) { return v !== null; }));
      yScale = {
        suggestedMin: range[0], suggestedMax: range[1], grid: { color: palette.grid },
        ticks: { maxTicksLimit: 6 },
        title: { display: Boolean(target.unit), text: target.unit, color: palette.text }
      };
    }
    /* Shares of tests passing are held against the share required, as a line at that level. */
    var drawnTarget = target;
    var required = data.target && number(data.target.required_share);
    if (kind === "pass_fail" && data.bucketed && required !== null) {
      drawnTarget = { comparator: "gte", value: required / 100, min: null, max: null,
        tolerance: 0, unit: "" };
    }
    canvas.dataset.drawn = "1";
    canvas.dataset.points = String(series.length);
    var note = canvas.parentElement.parentElement.querySelector("[data-chart-note]");
    if (note && data.bucketed) {
      note.textContent = label(kind === "pass_fail" ? "bucketed_pass_fail" : "bucketed");
      note.hidden = false;
    }
    new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets },
      plugins: [targetPlugin],
      options: {
        animation: false,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: "nearest", intersect: false, axis: "x" },
        scales: {
          x: {
            type: "linear", min: first, max: last, grid: { color: palette.grid },
            afterBuildTicks: function (axis) {
              var step = timeStep(span, Math.max(3, Math.min(6, Math.floor(axis.width / 80))));
              var ticks = [];
              for (var tick = Math.ceil(axis.min / step) * step; tick <= axis.max; tick += step) {
                ticks.push({ value: tick });
              }
              axis.ticks = ticks;
            },
            ticks: { maxRotation: 0, autoSkipPadding: 12,
              callback: function (value) { return format.tick.format(new Date(value)); } }
          },
          y: yScale
        },
        plugins: {
          legend: { display: false },
          pdTarget: { target: drawnTarget, colour: palette.pass },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? format.full.format(new Date(items[0].parsed.x)) : "";
              },
              label: function (item) {
                var y = item.parsed.y;
                if (kind === "pass_fail" && !data.bucketed) {
                  return y ? label("pass") : label("fail");
                }
                if (kind === "pass_fail") {
                  return label("share") + ": " + Math.round(y * 100) + " %";
                }
                var text = item.dataset.label + ": " + y.toLocaleString(
                  document.documentElement.lang || undefined, { maximumFractionDigits: 3 }) + unit;
                if (item.raw && item.raw.count) {
                  text += " (" + item.raw.count + " " + label("readings") + ")";
                }
                return text;
              }
            }
          }
        }
      }
    });
  }

  function load(canvas) {
    if (canvas.dataset.loading || canvas.dataset.drawn || typeof window.Chart === "undefined") {
      return;
    }
    canvas.dataset.loading = "1";
    var width = Math.max(200, canvas.parentElement.clientWidth || 600);
    var points = Math.min(2000, Math.max(60, Math.round(width / 2)));
    var url = canvas.dataset.chartUrl + (canvas.dataset.chartUrl.indexOf("?") < 0 ? "?" : "&") +
      "points=" + points;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) { draw(canvas, data); })
      .catch(function () {
        canvas.parentElement.classList.add("exec-chart-failed");
        canvas.parentElement.setAttribute("data-error", label("failed"));
      });
  }

  function drawCharts() {
    var canvases = document.querySelectorAll("canvas[data-chart-url]");
    if (!("IntersectionObserver" in window)) {
      canvases.forEach(load);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          load(entry.target);
        }
      });
    }, { rootMargin: "200px" });
    canvases.forEach(function (canvas) { observer.observe(canvas); });
  }

  /* The reading dialog opened from a criterion's card starts on that criterion. */
  document.addEventListener("show.bs.modal", function (event) {
    var button = event.relatedTarget;
    var select = event.target.querySelector("select[name=criterion]");
    if (!button || !select || !button.dataset.criterion) {
      return;
    }
    select.value = button.dataset.criterion;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("alpine:init", function () {
    window.Alpine.data("measurementForm", function () {
      return {
        kind: "",
        unit: "",
        target: "",
        init: function () { this.pick(); },
        pick: function () {
          var select = this.$refs.criterion;
          var option = select && select.selectedOptions[0];
          this.kind = (option && option.dataset.kind) || "";
          this.unit = (option && option.dataset.unit) || "";
          this.target = (option && option.dataset.target) || "";
        }
      };
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    readLabels();
    drawCharts();
  });
})();
