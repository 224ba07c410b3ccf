// The query page: YASGUI on this host's endpoint, the curated queries as tabs.
// Only the variable completer is kept: the prefix completer asks prefix.cc, and the class and property
// completers ask a public vocabulary service (lov.linkeddata.es) for every word typed. The page asks nothing
// of any host but this one (the Content-Security-Policy says so too).
(function () {
  var endpoint = document.getElementById("endpoint").textContent.trim();
  var tabs = JSON.parse(document.getElementById("curated-queries").textContent);
  var local = ["variables"];
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(function (name) {
    return local.indexOf(name) >= 0;
  });
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null
  });
  tabs.forEach(function (tab) {
    yasgui.addTab(false, { name: tab.name, yasqe: { value: tab.query }, requestConfig: { endpoint: endpoint, method: "POST" } });
  });
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
  window.planlinkYasgui = yasgui;
})();
