"""The pages of refused requests that need the request itself: which frame (the
staff's or the public site's) and which advice depends on who is asking."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent too late or without its cookie. Django's own view renders the
    template without the request, so every visitor read the staff's advice
    ("data yang sudah tersimpan tidak hilang"), though a member's text was never
    saved."""
    return render(request, "403_csrf.html", status=403)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    """A refused request, saying what was wrong where it is known: text over the
    limit (a pasted document in a text box) or a form of too many fields read as
    "Permintaan tidak valid" alone, which told no one what to shorten."""
    from django.conf import settings

    reason = ""
    if isinstance(exception, RequestDataTooBig):
        reason = _(
            "Isian yang dikirim terlalu panjang (lebih dari %(mb)s MB teks). "
            "Persingkat teks yang panjang, atau lampirkan sebagai berkas."
        ) % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
    elif isinstance(exception, TooManyFieldsSent):
        reason = _("Formulir yang dikirim memuat terlalu banyak isian.")
    elif isinstance(exception, MultiPartParserError) and "header" in str(exception):
        # A file whose name is longer than a form's part may say (about 900
        # characters, fewer in another script): "muat ulang" could not help.
        reason = _(
            "Nama berkas yang dipilih terlalu panjang untuk dikirim. Ganti nama "
            "berkasnya dengan yang lebih pendek, lalu pilih dan kirim lagi."
        )
    return render(request, "400.html", {"reason": reason}, status=400)
