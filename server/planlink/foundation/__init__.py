"""Foundation: what every layer uses and which imports nothing of planlink's outside itself.

settings (the one table), errors (one hierarchy), formats (one media-type table), namespaces (prefixes, item
classes, label predicates), text (Thai words, stop words, natural order, language choice, terminal tables).
"""

VERSION = "0.1.0"
