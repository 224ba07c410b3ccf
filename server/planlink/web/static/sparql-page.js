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
  window.planlinkYasgui = yasgui;
})();
