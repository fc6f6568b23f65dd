"""The RATs the registry has learnt of, one per cooperative and tahun buku.

``Cooperative.last_rat_*`` keeps the latest only: a later RAT replaced the one
before, and the rekap's "RAT tahun buku 2024" lost every cooperative whose 2025
RAT was then recorded (26 became 25 between two versions of one year's R1). That
a cooperative held its RAT for a tahun buku stays true; this keeps it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatHeld(models.Model):
    """Written wherever a cooperative's RAT is recorded (``cooperatives.services``,
    the ODS import, the demo); filled from the last RAT of every cooperative and
    the accepted RAT reports when it was made (migration 0018)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="rats_held",
        db_index=False,  # the unique (cooperative, tahun_buku) index serves it
    )
    tahun_buku = models.PositiveSmallIntegerField(_("tahun buku"))
    held_on = models.DateField(_("tanggal RAT"), null=True, blank=True)
    # The import that first told of it: undoing that import takes it back.
    import_job = models.ForeignKey(
        "cooperatives.ImportJob",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("RAT yang tercatat")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "tahun_buku"], name="rat_held_one_per_year"
            )
        ]
        indexes = [models.Index(fields=["tahun_buku"], name="rat_held_year_idx")]

    def __str__(self) -> str:
        return f"RAT {self.tahun_buku} · {self.cooperative_id}"
