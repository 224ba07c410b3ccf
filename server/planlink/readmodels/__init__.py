"""Read models: what the service shows, computed over the engine, with no web imports.

Named queries, pages, metadata, ontology docs, export, search, validation, alignment, suggestions.
"""
