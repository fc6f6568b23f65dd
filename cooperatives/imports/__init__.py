"""The ODS import, in the order a job goes through it: ``jobs`` (create, confirm,
cancel), ``reading`` (the file, parsed in a child process), ``preview`` (compare
with the registry and store what was found), ``kelompok`` (labels staff map before
applying), ``plan_file`` (what the apply will write), ``apply`` and ``undo``.
The parsing and comparing that need no database live in ``cooperatives.ods``."""
