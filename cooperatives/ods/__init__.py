"""Import of the ministry's ODS cooperative export.

Pure parts (no database): ``files`` reads a spreadsheet safely into rows, ``columns``
finds the header and maps column names, ``values`` parses one cell, ``cleaning`` turns
a row into a record or a list of errors, ``planning`` compares records with a snapshot
of the registry. The writes live in ``cooperatives.imports``.
"""
