"""One blueprint per URL area. A new area is a module here, added to BLUEPRINTS."""

from __future__ import annotations

from planlink.web.views.downloads import bp as downloads_bp
from planlink.web.views.ontology import bp as ontology_bp
from planlink.web.views.ops import bp as ops_bp
from planlink.web.views.queries import bp as queries_bp
from planlink.web.views.reports import bp as reports_bp
from planlink.web.views.resources import bp as resources_bp
from planlink.web.views.search import bp as search_bp
from planlink.web.views.sparql import bp as sparql_bp
from planlink.web.views.validate import bp as validate_bp
from planlink.web.views.void import bp as void_bp

BLUEPRINTS = [ops_bp, sparql_bp]
BLUEPRINTS += [downloads_bp, ontology_bp, void_bp, search_bp]
BLUEPRINTS += [resources_bp]
BLUEPRINTS += [queries_bp]
BLUEPRINTS += [reports_bp]
BLUEPRINTS += [validate_bp]
