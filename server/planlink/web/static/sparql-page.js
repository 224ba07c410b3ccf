// The query page: YASGUI on this host's endpoint, the curated queries as tabs, the address as a share link.
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
  var thai = document.documentElement.lang === "th";
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
  window.planlinkYasgui = yasgui;
})();
