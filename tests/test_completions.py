"""The query editor's completions come from planlink itself (issue 18): /sparql/completions lists planlink's
prefixes and the classes and properties of its ontology and of the data (VoID's partitions, with their counts and
labels). Items are completed from /search.json. The editor asking no other host is tested in Chromium
(tests/browser/test_desk_browser.py)."""

from __future__ import annotations

from planlink.foundation.namespaces import prefixes

PLAN = "https://w3id.org/planlink/def/plan#"


def count(client, query: str) -> int:
    answer = client.post("/sparql", data={"query": query, "format": "json"}).get_json()
    return int(answer["results"]["bindings"][0]["n"]["value"])


def test_completions_are_the_datas_own(client, project) -> None:
    resp = client.get("/sparql/completions")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["prefixes"] == prefixes(project.base)
    classes = {t["iri"]: t for t in body["classes"]}
    properties = {t["iri"]: t for t in body["properties"]}
    indicator = classes[PLAN + "Indicator"]
    assert indicator["label"]["th"] == "ตัวชี้วัด" and indicator["label"]["en"] == "indicator"
    assert indicator["count"] == count(
        client, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{PLAN}Indicator> }}"
    )
    assert properties[PLAN + "inPlan"]["count"] == count(
        client, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{PLAN}inPlan> ?o }}"
    )
    # every class and property the data uses is there (VoID's partitions), and every one the ontology declares
    used = client.post(
        "/sparql", data={"query": "SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(isIRI(?c)) }", "format": "json"}
    ).get_json()
    assert {b["c"]["value"] for b in used["results"]["bindings"]} <= set(classes)
    declared = client.post(
        "/sparql",
        data={
            "query": "SELECT DISTINCT ?p WHERE { ?p a <http://www.w3.org/2002/07/owl#ObjectProperty> }",
            "format": "json",
        },
    ).get_json()
    assert {b["p"]["value"] for b in declared["results"]["bindings"]} <= set(properties)
    # the most used first
    counts = [t["count"] for t in body["classes"]]
    assert counts == sorted(counts, reverse=True)


def test_completions_are_conditional(client) -> None:
    first = client.get("/sparql/completions")
    again = client.get("/sparql/completions", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
