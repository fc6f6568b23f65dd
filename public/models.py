from django.db import models
from django.utils.translation import gettext_lazy as _

# new_reference: named here by migration 0001.
from lib.followup import Handled
from lib.models import new_reference


class Concern(Handled):
    """A member's concern about a cooperative, sent from its public page.

    The sender's address is kept only as a keyed hash (for the rate limit and to see
    repeated senders), never in clear.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("koperasi"),
        on_delete=models.CASCADE,
        related_name="concerns",
    )
    reference = models.CharField(
        _("nomor laporan"), max_length=8, unique=True, default=new_reference
    )
    name = models.CharField(_("nama pelapor"), max_length=150, blank=True)
    contact = models.CharField(_("kontak (e-mail atau HP)"), max_length=150, blank=True)
    is_member = models.BooleanField(_("anggota koperasi ini"), default=False)
    message = models.TextField(_("isi laporan"))
    sender_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("laporan masyarakat")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reference} — {self.cooperative}"
