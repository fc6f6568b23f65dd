"""`make run` stops once: its shell's trap signals the process group it is in."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_stopping_make_run_signals_the_group_once(tmp_path):
    # The trap 'kill 0' signalled its own shell again and again: thousands of
    # "Warm shutdown" lines from the worker, then a RecursionError and a crash.
    recipe = (BASE_DIR / "Makefile").read_text()
    match = re.search(r"@(trap '([^']*)' INT TERM EXIT);", recipe)
    assert match, "make run's trap"
    log = tmp_path / "trap.log"
    counted = match.group(1).replace("kill 0", f"echo stop >> {log}; kill 0")
    script = f"{counted}; sleep 30 & sleep 30 & wait"
    shell = subprocess.Popen(["bash", "-c", script], start_new_session=True)
    time.sleep(0.5)
    os.killpg(shell.pid, signal.SIGTERM)
    shell.wait(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(shell.pid, 0)
        except ProcessLookupError:
            break  # every process of the group has ended
        time.sleep(0.05)
    else:
        os.killpg(shell.pid, signal.SIGKILL)
        raise AssertionError("the group outlived the stop")
    assert log.read_text().split() == ["stop"]
