"""pdfium, one call at a time in a process.

PDFium is not thread-safe, not even across different documents (pypdfium2's
documentation: concurrent calls crash or corrupt the process). The web server
may serve requests on threads (``runserver``, a threaded gunicorn): a failed
letter batch's PDF downloaded several times at once came back as files of the
wrong size, then failed for good in that process. Every use of pdfium goes
through ``pdfium()``, which holds a process-wide lock; the library is imported
on first use (a Celery parent process should not hold it).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

_LOCK = threading.RLock()


@contextmanager
def pdfium() -> Iterator[ModuleType]:
    """``pypdfium2``, for this thread alone while the block runs."""
    with _LOCK:
        import pypdfium2

        yield pypdfium2
