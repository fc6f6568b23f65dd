"""Another request's work, run on a connection of its own while this one is inside
its transaction: for tests of what two requests at once do on PostgreSQL (SQLite's
in-memory test database has one writer at a time and cannot show it)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections


class Meanwhile:
    """``with Meanwhile(work, after=...)``: once this connection has run a
    statement ``after`` picks, ``work`` starts on another connection and is given
    ``wait`` seconds before this one goes on (without the lock a test is about, it
    commits in that time; with it, it waits for this transaction). Leaving the
    block waits for it; ``result`` is what it returned, and fails on what it
    raised."""

    def __init__(
        self, work: Callable[[], Any], *, after: Callable[[str], bool], wait: float = 1
    ) -> None:
        self.work, self.after, self.wait = work, after, wait
        self.outcome: list[Any] = []
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            self.outcome.append(self.work())
        except Exception as exc:  # raised again by ``result``
            self.outcome.append(exc)
        finally:
            connections.close_all()

    def _hook(
        self, execute: Any, sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        started = self.thread.is_alive() or self.outcome
        if not started and self.after(sql):
            self.thread.start()
            self.thread.join(timeout=self.wait)
        return result

    def __enter__(self) -> "Meanwhile":
        self._wrapper = connection.execute_wrapper(self._hook)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._wrapper.__exit__(*exc)
        if self.thread.is_alive() or self.outcome:
            self.thread.join()

    @property
    def result(self) -> Any:
        assert len(self.outcome) == 1, f"the other work ran {len(self.outcome)} times"
        if isinstance(self.outcome[0], Exception):
            raise self.outcome[0]
        return self.outcome[0]
