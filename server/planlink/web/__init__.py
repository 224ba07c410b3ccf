"""Web: the Flask app factory (``app``), the HTTP helpers every view shares (``http``), one blueprint per URL
area (``views``), and the HTTP server, granian (``server``). Nothing below this layer imports Flask."""
