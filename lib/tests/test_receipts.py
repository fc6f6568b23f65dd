"""lib.receipts: the same values sent at the same moment file one record."""

import threading
import time

import pytest
from django.core.cache import cache

from lib import receipts


def test_the_same_values_sent_at_once_wait_for_the_first_ones_page():
    cache.clear()
    # The first sending claims the values ...
    with receipts.sending_once("t", 1, "a") as first:
        assert first is None
        # ... and the second, sent meanwhile, waits until the first has its page.
        done = "/done/?tanda=x"
        first_done = threading.Timer(
            0.3,
            receipts.redirect_with_receipt,
            args=("/done/", "t"),
            kwargs={"sent": (1, "a")},
        )
        first_done.start()
        started = time.monotonic()
        with receipts.sending_once("t", 1, "a") as second:
            found = second
        first_done.join()
        assert found is not None and found.startswith("/done/?tanda=")
        assert 0.2 < time.monotonic() - started < receipts.CLAIM_WAIT
        assert done != found  # a signed receipt, not a made-up one
        # Other values are not held up.
        with receipts.sending_once("t", 1, "b") as other:
            assert other is None
    # The first one's page stays for the day.
    with receipts.sending_once("t", 1, "a") as again:
        assert again == found


def test_a_sending_that_filed_nothing_gives_its_claim_back():
    cache.clear()
    with receipts.sending_once("t", 2) as first:
        assert first is None  # refused: it leaves without its page
    started = time.monotonic()
    with receipts.sending_once("t", 2) as again:
        assert again is None
    assert time.monotonic() - started < 0.1
    # Also when the sending ends in an error.
    with pytest.raises(RuntimeError), receipts.sending_once("t", 3):
        raise RuntimeError
    started = time.monotonic()
    with receipts.sending_once("t", 3) as again:
        assert again is None
    assert time.monotonic() - started < 0.1
