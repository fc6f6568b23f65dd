"""The page shown after an anonymous form was sent, reached by a redirect (POST,
then redirect, then GET), so that reloading it or going back to it never sends the
form again.

The visitor has no account and may have no session, so what the page shows (the
reference number, which cooperative) travels in the address, signed: nobody can
make the page say "received" for something that was not sent, and the signature
expires after a day.
"""

from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.http import HttpRequest, HttpResponseRedirect

MAX_AGE = 24 * 60 * 60
PARAMETER = "tanda"


def redirect_with_receipt(url: str, salt: str, **receipt: Any) -> HttpResponseRedirect:
    """A redirect to ``url`` carrying ``receipt`` (JSON values), signed for ``salt``."""
    token = signing.dumps(receipt, salt=salt, compress=True)
    return HttpResponseRedirect(f"{url}?{urlencode({PARAMETER: token})}")


def read_receipt(request: HttpRequest, salt: str) -> dict[str, Any] | None:
    """The receipt of the address, or None if it has none, or one not signed for
    ``salt``, or one older than a day."""
    token = request.GET.get(PARAMETER, "")
    try:
        receipt = signing.loads(token, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    return receipt if isinstance(receipt, dict) else None
