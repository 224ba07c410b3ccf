"""Plans as spreadsheets: the template, the reader (workbook -> checked rows -> RDF), the Turtle writer and the
exporter (RDF -> workbook). ``layout`` is the one table of sheets and columns all of them follow."""
