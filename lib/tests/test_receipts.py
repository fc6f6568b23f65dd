"""lib.receipts: the same values sent at the same moment file one record."""

import threading
import time

from django.core.cache import cache

from lib import receipts


def test_the_same_values_sent_at_once_wait_for_the_first_ones_page():
    cache.clear()
    # The first sending claims the values ...
    assert receipts.sent_before("t", 1, "a") is None
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
    found = receipts.sent_before("t", 1, "a")
    first_done.join()
    assert found is not None and found.startswith("/done/?tanda=")
    assert 0.2 < time.monotonic() - started < receipts.CLAIM_WAIT
    assert done != found  # a signed receipt, not a made-up one
    # Other values are not held up.
    assert receipts.sent_before("t", 1, "b") is None


def test_a_sending_that_filed_nothing_gives_its_claim_back():
    cache.clear()
    assert receipts.sent_before("t", 2) is None
    receipts.sending_failed("t", 2)
    started = time.monotonic()
    assert receipts.sent_before("t", 2) is None
    assert time.monotonic() - started < 0.1
