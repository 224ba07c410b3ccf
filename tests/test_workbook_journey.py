"""A new plan author's whole journey (issue 12): the template from `planlink template`, filled in with openpyxl
for a small made-up plan, `planlink import` into a project's data/, `planlink validate`, then the real service
started on that project (and restarted) serving the plan's page and answering SPARQL about it."""

from __future__ import annotations

import shutil

import requests
from conftest import start_server, stop_server
from workbooks import ROOT, fill, planlink

PLAN = "https://w3id.org/planlink/id/test-province-2567"


def test_from_an_empty_template_to_a_served_plan(tmp_path):
    project = tmp_path / "project"
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(ROOT / folder, project / folder)
    template = tmp_path / "plan.xlsx"
    r = planlink("--root", str(project), "template", "-o", str(template))
    assert r.returncode == 0, r.stderr
    book = fill(template, tmp_path / "filled.xlsx")

    r = planlink("--root", str(project), "import", str(book), "--lang", "th")
    assert r.returncode == 0, r.stderr
    written = project / "data" / "test-province-2567.ttl"
    assert written.is_file() and "เขียนไฟล์" in r.stdout
    r = planlink("--root", str(project), "validate")
    assert r.returncode == 0, r.stdout + r.stderr

    state = tmp_path / "state"
    env = {"PLANLINK_ROOT": str(project), "PLANLINK_STATE_DIR": str(state)}
    for start in ("first start", "restart"):
        server = start_server(env, tmp=tmp_path)
        try:
            page = requests.get(
                server.url + "/id/test-province-2567/issue/1", headers={"Accept": "text/html"}, timeout=30
            )
            assert page.status_code == 200, start
            assert "การท่องเที่ยวเชิงวัฒนธรรม" in page.text
            plan = requests.get(server.url + "/doc/test-province-2567?lang=th", timeout=30)
            assert plan.status_code == 200 and "แผนพัฒนาจังหวัดทดสอบ" in plan.text
            q = f"""SELECT ?n ?label WHERE {{
                ?i <https://w3id.org/planlink/def/plan#inPlan> <{PLAN}> ;
                   a <https://w3id.org/planlink/def/plan#Indicator> ;
                   <http://www.w3.org/2004/02/skos/core#notation> ?n ;
                   <http://www.w3.org/2004/02/skos/core#prefLabel> ?label .
                FILTER(lang(?label) = "en") }} ORDER BY ?n"""
            ans = requests.get(server.sparql, params={"query": q}, timeout=30).json()
            rows = [(b["n"]["value"], b["label"]["value"]) for b in ans["results"]["bindings"]]
            assert rows == [
                ("1", "Percentage increase in tourism income"),
                ("1.1", "Percentage increase in tourism income"),
                ("2.1", "Number of farm plots certified to GAP"),
            ], (start, rows)
            graphs = requests.get(server.url + "/readyz", timeout=30).json()
            assert "test-province-2567" in str(graphs), start
        finally:
            stop_server(server)
