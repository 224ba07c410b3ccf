// The query page: YASGUI on this host's endpoint, the curated queries as tabs, the address as a share link.
// The page asks nothing of any host but this one (the Content-Security-Policy says so too): the editor's
// completers read this service's vocabulary and search index.
(function () {
  var endpoint = document.getElementById("endpoint").textContent.trim();
  var tabs = JSON.parse(document.getElementById("curated-queries").textContent);
  var thai = document.documentElement.lang === "th";
  var Yasqe = Yasgui.Yasqe;

  // Completion from the data itself. YASQE's own prefix, class and property completers ask prefix.cc and a public
  // vocabulary service (lov.linkeddata.es) for every word typed; here the same completers read planlink's
  // prefixes, ontology and VoID partitions (/sparql/completions, fetched once), and a bare word (Thai or English)
  // is looked up in planlink's search index (/search.json) and completes to the item's IRI.
  var vocabulary = null;
  var vocab = function () {
    if (!vocabulary) {
      vocabulary = fetch("/sparql/completions").then(function (resp) {
        if (!resp.ok) throw new Error("/sparql/completions: " + resp.status);
        return resp.json();
      });
    }
    return vocabulary;
  };
  // A bulk completer asks once for everything (token undefined) and then completes from its own index; asked
  // with a token before that index is built (the first Ctrl+Space on a fresh page), it gets the matches only.
  var matching = function (list, token) {
    if (!token) return list;
    var start = token.autocompletionString || token.string;
    return list.filter(function (s) { return s.indexOf(start) === 0; });
  };
  var iris = function (kind) {
    return function (yasqe, token) {
      return vocab().then(function (v) {
        return matching(v[kind].map(function (t) { return t.iri; }), token);
      });
    };
  };
  Yasqe.forkAutocompleter("class", { name: "planlink-classes", bulk: true, persistenceId: null, get: iris("classes") }, false);
  Yasqe.forkAutocompleter("property", { name: "planlink-properties", bulk: true, persistenceId: null, get: iris("properties") }, false);
  Yasqe.forkAutocompleter("prefixes", {
    name: "planlink-prefixes",
    persistenceId: null,
    get: function (yasqe, token) {
      return vocab().then(function (v) {
        var all = Object.keys(v.prefixes).sort().map(function (p) { return p + ": <" + v.prefixes[p] + ">"; });
        return matching(all, token);
      });
    }
  }, false);
  var itemLabels = {};
  // The word before the cursor, letters and marks of any script (the SPARQL tokenizer cuts a Thai word at its
  // vowel and tone marks); null where an item's IRI does not belong: a variable, a prefixed name, an IRI, a
  // string, a comment, a keyword, a prefix being declared.
  var wordAt = function (yasqe) {
    var cur = yasqe.getDoc().getCursor();
    var line = yasqe.getDoc().getLine(cur.line).slice(0, cur.ch);
    var m = /[\p{L}\p{M}\p{N}_-]+$/u.exec(line);
    if (!m || !/^[\p{L}]/u.test(m[0]) || m[0].length < 2) return null;
    var start = cur.ch - m[0].length;
    if (/[?$:<"'@^_#]$/.test(line.slice(0, start))) return null;
    var token = yasqe.getTokenAt(cur);
    if (token.type === "keyword" || token.type === "comment" || token.type === "string") return null;
    var before = yasqe.getPreviousNonWsToken(cur.line, { start: start, end: start, string: "", type: null, state: token.state });
    if (before && before.string && before.string.toUpperCase() === "PREFIX") return null;
    return { string: m[0], autocompletionString: m[0], start: start, end: cur.ch, state: token.state, type: token.type,
             from: { ch: start }, to: { ch: cur.ch } };
  };
  Yasqe.registerAutocompleter({
    name: "planlink-items",
    bulk: false,
    autoShow: false,
    isValidCompletionPosition: function (yasqe) { return wordAt(yasqe) !== null; },
    preProcessToken: function (yasqe) { return wordAt(yasqe); },
    get: function (yasqe, token) {
      var url = "/search.json?limit=20&lang=" + (thai ? "th" : "en") + "&q=" + encodeURIComponent(token.string);
      return fetch(url)
        .then(function (resp) { return resp.ok ? resp.json() : { hits: [] }; })
        .then(function (found) {
          return found.hits.map(function (hit) {
            var label = ((hit.notation && hit.notation[0]) ? hit.notation[0] + " " : "") + hit.label;
            itemLabels[hit.iri] = label.length > 90 ? label.slice(0, 89) + "…" : label;
            return hit.iri;
          });
        });
    },
    postProcessSuggestion: function (yasqe, token, iri) { return "<" + iri + ">"; },
    postprocessHints: function (yasqe, hints) {
      hints.forEach(function (hint) {
        var label = itemLabels[hint.text.slice(1, -1)];
        if (label) hint.displayText = label + "  " + hint.text;
      });
      return hints;
    }
  }, false);
  Yasqe.defaults.autocompleters = ["variables", "planlink-prefixes", "planlink-classes", "planlink-properties", "planlink-items"];
  // The address is read here, not by YASGUI (populateFromUrl: false): a link carries the query and its tab's
  // title, and nothing else is taken from it (a YASGUI link's endpoint would make this page ask another host).
  var shared = new URLSearchParams(location.hash.slice(1));
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false
  });
  var config = function (name, query) {
    return { name: name, yasqe: { value: query }, requestConfig: { endpoint: endpoint, method: "POST" } };
  };
  tabs.forEach(function (tab) {
    yasgui.addTab(false, config(tab.name, tab.query));
  });

  // Share links: the address carries the active tab's query and title (#query=…&tabTitle=…), kept up to date as
  // the user edits or changes tab, so a copied address reopens the same query in the same tab, and runs it.
  var linked = null;
  if (shared.has("query")) {
    var query = shared.get("query");
    var title = shared.get("tabTitle") || (thai ? "คำค้นที่แบ่งปัน" : "Shared query");
    // A tab's saved settings are read, not the tab: a tab not yet shown has no editor to ask.
    var same = yasgui.persistentConfig.getTabs().filter(function (id) {
      var saved = yasgui.persistentConfig.getTab(id);
      return saved.name === title && saved.yasqe.value === query;
    })[0];
    if (!same) same = yasgui.addTab(false, config(title, query)).getId();
    yasgui.selectTabId(same);
    linked = yasgui.getTab(same);
  }
  var address = function () {
    var tab = yasgui.getTab();
    if (!tab) return;
    var hash = new URLSearchParams({ query: tab.getQuery(), tabTitle: tab.getName() }).toString();
    history.replaceState(null, "", location.pathname + location.search + "#" + hash);
  };
  var watch = function () {
    var tab = yasgui.getTab();
    var yasqe = tab && tab.getYasqe();
    if (yasqe && !yasqe.planlinkWatched) {
      yasqe.planlinkWatched = true;
      yasqe.on("change", address);
    }
    address();
  };
  yasgui.on("tabSelect", function () { setTimeout(watch, 0); });
  yasgui.on("tabChange", address);
  watch();
  if (linked) linked.query().catch(function () {});
  // The spreadsheet download: the active tab's query, POSTed to the endpoint with format=xlsx (a POST: a long
  // query would not fit in a link). Fetched rather than submitted, so that a refusal (a CONSTRUCT has no
  // spreadsheet, a syntax error) is said on this page, and the editor is not left.
  var xlsx = document.getElementById("xlsx-download");
  var status = document.getElementById("xlsx-status");
  if (xlsx) {
    xlsx.addEventListener("submit", function (event) {
      event.preventDefault();
      var tab = yasgui.getTab();
      var body = new URLSearchParams({ query: tab ? tab.getQuery() : "", format: "xlsx" });
      status.textContent = "";
      fetch(endpoint, { method: "POST", body: body })
        .then(function (resp) {
          if (!resp.ok) {
            return resp.json().then(function (err) {
              throw new Error(err.message || resp.statusText);
            }, function () {
              throw new Error(resp.status + " " + resp.statusText);
            });
          }
          return resp.blob();
        })
        .then(function (blob) {
          var a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = ((tab && tab.getName()) || "answer").replace(/[\\/:*?"<>|]+/g, " ").trim() + ".xlsx";
          document.body.appendChild(a);
          a.click();
          setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
        })
        .catch(function (err) {
          status.textContent = err.message;
        });
    });
  }
  // Any SELECT answer with a column of numbers as bars (static/charts.js): the active tab's last answer, by the
  // label and number columns the reader picks (the first text column and the last number column to start with).
  var words = JSON.parse(document.getElementById("chart-words").textContent);
  var chartButton = document.getElementById("chart-button");
  var pickLabel = document.getElementById("chart-label");
  var pickValue = document.getElementById("chart-value");
  var chartStatus = document.getElementById("chart-status");
  var chartBox = document.querySelector("#chart-panel .chart-box");
  var answerOf = function (tab) {
    var yasr = tab && tab.getYasr();
    var results = yasr && yasr.results;
    var bindings = results && results.getBindings();
    return bindings ? { head: { vars: results.getVariables() }, results: { bindings: bindings } } : null;
  };
  var fill = function (select, names, chosen) {
    select.innerHTML = "";
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = option.textContent = name;
      select.appendChild(option);
    });
    if (chosen) select.value = chosen;
  };
  var drawChart = function (keepChoice) {
    var tab = yasgui.getTab();
    var answer = answerOf(tab);
    chartStatus.textContent = "";
    if (!answer) { chartStatus.textContent = words.run; chartBox.hidden = true; return; }
    var cols = PlanlinkCharts.columns(answer);
    if (!cols.values.length) { chartStatus.textContent = words.none; chartBox.hidden = true; return; }
    var label = keepChoice && cols.labels.concat(cols.values).indexOf(pickLabel.value) >= 0 ? pickLabel.value : (cols.labels[0] || cols.values[0]);
    var value = keepChoice && cols.values.indexOf(pickValue.value) >= 0 ? pickValue.value : cols.values[cols.values.length - 1];
    fill(pickLabel, cols.labels.concat(cols.values), label);
    fill(pickValue, cols.values, value);
    chartBox.hidden = false;
    PlanlinkCharts.draw(document.getElementById("tab-chart"), answer, label, value, tab.getName());
  };
  chartButton.addEventListener("click", function () { drawChart(false); });
  pickLabel.addEventListener("change", function () { drawChart(true); });
  pickValue.addEventListener("change", function () { drawChart(true); });
  var hideChart = function () { chartBox.hidden = true; chartStatus.textContent = ""; };
  yasgui.on("tabSelect", hideChart);
  yasgui.on("queryResponse", hideChart);
  window.planlinkYasgui = yasgui;
})();
