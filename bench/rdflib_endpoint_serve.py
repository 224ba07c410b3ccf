"""Serve an N-Quads file with rdflib-endpoint (rdflib's own SPARQL evaluator) under uvicorn, for the benchmarks.

    .venv/bin/python bench/rdflib_endpoint_serve.py DATASET.nq PORT

The quads keep their named graphs; the default graph is their union, as in planlink and in the Oxigraph server
started with --union-default-graph. The endpoint answers at /sparql. Loopback only.
"""

from __future__ import annotations

import sys

import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint


def main() -> None:
    path, port = sys.argv[1], int(sys.argv[2])
    ds = rdflib.Dataset(default_union=True)
    ds.parse(path, format="nquads")
    print(f"rdflib-endpoint: {len(ds)} quads loaded", file=sys.stderr, flush=True)
    app = SparqlEndpoint(graph=ds, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
