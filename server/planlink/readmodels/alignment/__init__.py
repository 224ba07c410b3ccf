"""The alignment report: what the items of one plan serve in another plan, what they leave uncovered, and why.

- ``model``: the records (items, links, gaps, shared indicators), the levels, and ``build``, which computes the
  report from curated queries;
- ``picture``: the heatmap and the coverage bars laid out for drawing (the page's SVG);
- ``renderings``: the report as Markdown, CSV, JSON and an SSSOM mapping table (the HTML page is a template);
- ``spreadsheet``: the report as an .xlsx workbook, one sheet per table.

No Flask here: the web view, the command line and the tests build the same model. The names below are the
public ones; import them from here.
"""

from __future__ import annotations

from planlink.readmodels.alignment.model import (
    COVERED_KINDS,
    DEFAULT_SOURCE,
    DEFAULT_TARGET,
    KIND_NAMES,
    LEVEL_COLOURS,
    LEVEL_KEYS,
    LEVEL_NAMES,
    LEVELS,
    SECTION_QUERIES,
    Gap,
    Heatmap,
    IssueCoverage,
    Item,
    Link,
    Plan,
    Rejection,
    Report,
    Review,
    SharedIndicator,
    build,
    kind_name,
    level_name,
    plan_iri,
)
from planlink.readmodels.alignment.picture import Bars, Picture, coverage_bars, picture
from planlink.readmodels.alignment.renderings import (
    CSV_COLUMNS,
    SSSOM_COLUMNS,
    report_data,
    to_csv,
    to_json,
    to_markdown,
    to_sssom,
)
from planlink.readmodels.alignment.spreadsheet import to_xlsx

__all__ = [
    "COVERED_KINDS",
    "Bars",
    "CSV_COLUMNS",
    "DEFAULT_SOURCE",
    "DEFAULT_TARGET",
    "KIND_NAMES",
    "LEVELS",
    "LEVEL_COLOURS",
    "LEVEL_KEYS",
    "LEVEL_NAMES",
    "SECTION_QUERIES",
    "SSSOM_COLUMNS",
    "Gap",
    "Heatmap",
    "IssueCoverage",
    "Item",
    "Link",
    "Picture",
    "Plan",
    "Rejection",
    "Report",
    "Review",
    "SharedIndicator",
    "build",
    "coverage_bars",
    "kind_name",
    "level_name",
    "picture",
    "plan_iri",
    "report_data",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_sssom",
    "to_xlsx",
]
