// A SELECT answer (SPARQL 1.1 JSON results) drawn as bars with Chart.js (served from this host): one bar per row,
// the label column's text against the number column's value. Used by a curated query's page (its header names
// the two columns: "# chart: LABEL VALUE") and by the query page (any answer with a text and a number column;
// the reader can pick others).
//
// A label cell is the column's companion label (?xLabel, with ?xNotation before it) when the answer has one, else
// a literal's text, else an IRI's last segment. A number cell is an xsd numeric literal; a row without one is
// left out.
(function () {
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var NUMERIC = ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte"].map(function (t) { return XSD + t; });

  function isNumber(cell) {
    return !!cell && cell.type === "literal" && NUMERIC.indexOf(cell.datatype) >= 0 && isFinite(Number(cell.value));
  }

  function labelOf(row, name) {
    if (name.indexOf("+") >= 0) {  // two columns' labels joined: "scope+kind"
      return name.split("+").map(function (n) { return labelOf(row, n); }).filter(Boolean).join(" · ");
    }
    var label = row[name + "Label"], notation = row[name + "Notation"], cell = row[name];
    var text;
    if (label) text = label.value;
    else if (!cell) text = "";
    else if (cell.type === "uri") text = cell.value.replace(/[/#]+$/, "").split(/[/#]/).pop();
    else text = cell.value;
    return notation ? notation.value + " " + text : text;
  }

  // The columns an answer can be drawn by: {labels: [...], values: [...]}; values are the columns whose every
  // bound cell is a number, labels the others (companions ?xLabel and ?xNotation folded into ?x), those that
  // change from row to row first.
  function columns(answer) {
    var vars = answer.head.vars || [];
    var rows = answer.results.bindings || [];
    var folded = {};
    vars.forEach(function (v) {
      if (vars.indexOf(v + "Label") >= 0) folded[v + "Label"] = true;
      if (vars.indexOf(v + "Notation") >= 0) folded[v + "Notation"] = true;
    });
    var out = { labels: [], values: [] };
    vars.forEach(function (v) {
      if (folded[v]) return;
      var bound = rows.filter(function (r) { return r[v]; });
      if (bound.length && bound.every(function (r) { return isNumber(r[v]); })) out.values.push(v);
      else if (bound.length) out.labels.push(v);
    });
    // columns whose value changes from row to row first (a parameter's column is the same on every row)
    var varies = function (v) {
      var seen = {};
      rows.forEach(function (r) { if (r[v]) seen[r[v].value] = true; });
      return Object.keys(seen).length > 1 ? 0 : 1;
    };
    out.labels = out.labels.map(function (v, i) { return [varies(v), i, v]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
    return out;
  }

  // The bars' data: {labels: [...], values: [...]} for the chosen columns.
  function series(answer, label, value) {
    var out = { labels: [], values: [] };
    (answer.results.bindings || []).forEach(function (row) {
      if (!isNumber(row[value])) return;
      out.labels.push(labelOf(row, label));
      out.values.push(Number(row[value].value));
    });
    return out;
  }

  // Stacked bars' data: one bar per distinct label, one dataset per distinct value of the series column (in the
  // order of the answer), {labels: [...], datasets: [{name, values}]}; a missing combination counts 0.
  function stacked(answer, label, value, by) {
    var labels = [], names = [], cells = {};
    (answer.results.bindings || []).forEach(function (row) {
      if (!isNumber(row[value])) return;
      var l = labelOf(row, label), s = labelOf(row, by) || "—";
      if (labels.indexOf(l) < 0) labels.push(l);
      if (names.indexOf(s) < 0) names.push(s);
      cells[l + "\u0000" + s] = (cells[l + "\u0000" + s] || 0) + Number(row[value].value);
    });
    return {
      labels: labels,
      datasets: names.map(function (s) {
        return { name: s, values: labels.map(function (l) { return cells[l + "\u0000" + s] || 0; }) };
      })
    };
  }

  var COLOURS = ["#0b5fa5", "#e0a100", "#8aa4c0", "#2e8b57", "#c0392b", "#7d5ba6", "#999999"];

  // Draws (or redraws) the bars on a canvas; horizontal bars, labels cut to fit, the whole label in the tooltip.
  // With ``by`` (a column), the bars are stacked by that column's values, with a legend.
  function draw(canvas, answer, label, value, title, by) {
    var data;
    if (by) {
      data = stacked(answer, label, value, by);
    } else {
      var plain = series(answer, label, value);
      data = { labels: plain.labels, datasets: [{ name: value, values: plain.values }] };
    }
    var old = Chart.getChart(canvas);
    if (old) old.destroy();
    var box = canvas.parentElement;
    box.style.height = Math.max(160, 34 * data.labels.length + (by ? 110 : 70)) + "px";
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels.map(function (l) { return l.length > 60 ? l.slice(0, 59) + "…" : l; }),
        datasets: data.datasets.map(function (d, i) {
          return { label: d.name, data: d.values, backgroundColor: COLOURS[i % COLOURS.length] };
        })
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: !!by, position: "bottom" },
          title: { display: !!title, text: title || "" },
          tooltip: { callbacks: { title: function (items) { return data.labels[items[0].dataIndex]; } } }
        },
        scales: {
          x: { beginAtZero: true, stacked: !!by, title: { display: true, text: value } },
          y: { stacked: !!by }
        }
      }
    });
  }

  window.PlanlinkCharts = { columns: columns, series: series, stacked: stacked, draw: draw };

  // A curated query's page: the answer and the columns its header names are in the page.
  var embedded = document.getElementById("chart-data");
  if (embedded) {
    var spec = JSON.parse(embedded.textContent);
    draw(document.getElementById("answer-chart"), spec.answer, spec.label, spec.value, spec.title, spec.series);
  }
})();
