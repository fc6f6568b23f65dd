"""The ODS import, in the order a job goes through it: ``jobs`` (create, confirm,
cancel), ``reading`` (the file, parsed in a child process), ``preview`` (compare
with the registry and store what was found), ``kelompok`` (labels staff map before
applying), ``plan_file`` (what the apply will write), ``apply`` and ``undo``.
The parsing and comparing that need no database live in ``cooperatives.ods``."""

from .apply import import_job_apply
from .jobs import (
    ImportRefused,
    import_job_cancel,
    import_job_create,
    import_job_request_apply,
    import_job_request_undo,
)
from .kelompok import MappingRefused, import_job_map_kelompok
from .preview import import_job_preview
from .reading import import_limits
from .snapshot import import_reference, registry_snapshot
from .undo import import_job_undo

__all__ = [
    "ImportRefused",
    "MappingRefused",
    "import_job_apply",
    "import_job_cancel",
    "import_job_create",
    "import_job_map_kelompok",
    "import_job_preview",
    "import_job_request_apply",
    "import_job_request_undo",
    "import_job_undo",
    "import_limits",
    "import_reference",
    "registry_snapshot",
]
