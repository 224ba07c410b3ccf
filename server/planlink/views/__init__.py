"""One blueprint per URL area. A new area is a module here, added to BLUEPRINTS."""

from __future__ import annotations

from .downloads import bp as downloads_bp
from .ontology import bp as ontology_bp
from .ops import bp as ops_bp
from .queries import bp as queries_bp
from .reports import bp as reports_bp
from .resources import bp as resources_bp
from .search import bp as search_bp
from .sparql import bp as sparql_bp
from .void import bp as void_bp

BLUEPRINTS = [ops_bp, sparql_bp]
BLUEPRINTS += [downloads_bp, ontology_bp, void_bp, search_bp]
BLUEPRINTS += [resources_bp]
BLUEPRINTS += [queries_bp]
BLUEPRINTS += [reports_bp]
