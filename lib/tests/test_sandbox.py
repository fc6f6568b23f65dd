"""A risky function run in a child process: its result, its exception, its death."""

import os
import signal
import time

import pytest

from lib.sandbox import ChildFailed, run_in_child


def test_the_child_s_result_and_messages_come_back():
    seen = []

    def work(send):
        for n in range(3):
            send(n)
        return {"rows": [1, 2, 3]}

    assert run_in_child(
        work, memory_bytes=None, timeout=30, on_message=seen.append
    ) == {"rows": [1, 2, 3]}
    assert seen == [0, 1, 2]


def test_the_child_s_exception_is_raised_in_the_parent():
    def work(send):
        raise ValueError("berkas rusak")

    with pytest.raises(ValueError, match="berkas rusak"):
        run_in_child(work, memory_bytes=None, timeout=30)


def test_memory_beyond_the_ceiling_fails_the_child_not_the_parent():
    def work(send):
        return len(bytearray(600 * 1024 * 1024))

    with pytest.raises(MemoryError):
        run_in_child(work, memory_bytes=512 * 1024 * 1024, timeout=30)
    assert run_in_child(lambda send: 1, memory_bytes=None, timeout=30) == 1


def test_a_child_killed_by_a_signal_is_reported():
    def work(send):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ChildFailed) as failed:
        run_in_child(work, memory_bytes=None, timeout=30)
    assert failed.value.signal_number == signal.SIGKILL


def test_a_child_past_its_time_is_killed():
    def work(send):
        time.sleep(60)

    started = time.monotonic()
    with pytest.raises(ChildFailed, match="timed out"):
        run_in_child(work, memory_bytes=None, timeout=1)
    assert time.monotonic() - started < 10


def test_the_child_dies_with_the_process_that_forked_it():
    # A worker killed mid-import left its reading child alive for minutes,
    # holding 405 MB and a pipe nobody read.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import os, sys, time\n"
        "from lib.sandbox import run_in_child\n"
        "def work(send):\n"
        "    send(os.getpid())\n"
        "    time.sleep(120)\n"
        "run_in_child(work, memory_bytes=None, timeout=300,\n"
        "             on_message=lambda pid: print(pid, flush=True))\n"
    )
    root = Path(__file__).resolve().parents[2]
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True
    )
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        with open(f"/proc/{child}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break  # dead, waiting for init to reap it
        time.sleep(0.1)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the child outlived the process that forked it")
