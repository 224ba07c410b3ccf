"""Engine: the stores (memory, disk, remote), the forked evaluators, the query service, answer writing, cache.

Imports only the foundation. SPARQL text goes from the query service to a backend and back as bytes.
"""
