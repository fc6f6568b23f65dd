from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.display import frozen_label
from lib.models import user_ref
from lib.office_text import words_read


class AuditAction(models.TextChoices):
    CREATE = "create", _("Dibuat")
    UPDATE = "update", _("Diubah")
    STATUS_CHANGE = "status_change", _("Status diubah")
    DEACTIVATE = "deactivate", _("Dinonaktifkan")
    EXPORT = "export", _("Diekspor")
    DELETE = "delete", _("Dihapus")
    IMPORT_UNDO = "import_undo", _("Impor dibatalkan")
    FINALISE = "finalise", _("Difinalisasi")
    REVISE = "revise", _("Direvisi")
    SUBMIT = "submit", _("Diajukan")
    RETURN = "return", _("Dikembalikan untuk perbaikan")
    ACCEPT = "accept", _("Diterima")
    INVITE = "invite", _("Diundang")
    ISSUE = "issue", _("Diterbitkan")
    REVOKE = "revoke", _("Dicabut")
    # A confirmation or objection refused: not sent back for correction.
    REJECT = "reject", _("Ditolak")
    PASSWORD_LINK = "password_link", _("Tautan kata sandi dikirim")


class AuditEvent(models.Model):
    """One change to one object: who, when, what, and each field from what to what.

    Written by the service that makes the change, inside the same transaction, so a
    change without its audit row (or the reverse) cannot exist. ``changes`` maps a
    field name to ``{"label": ..., "old": ..., "new": ...}`` with display strings.
    """

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = user_ref(_("oleh"), blank=True)
    action = models.CharField(_("tindakan"), max_length=32, choices=AuditAction)
    # Neither foreign key needs an index of its own: audit_object_idx and
    # audit_coop_time_idx start with them (every import writes a row per cooperative,
    # and each index costs on every row).
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, db_index=False
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objek"), max_length=255)
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("koperasi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        db_index=False,
    )
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)
    # The ODS import batch this change came from; undo reverses exactly these rows.
    import_job = models.ForeignKey(
        "cooperatives.ImportJob",
        verbose_name=_("batch impor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    message = models.TextField(_("keterangan"), blank=True)
    # The message as the catalogue knows it, with its values, when it was made
    # with some (``lib.office_text.Words.kept``): a page reads it in its
    # reader's language (``message_read``); ``message`` keeps the office's.
    message_words = models.JSONField(default=dict, blank=True, editable=False)
    # Where the request came from (lib.clientip, proxies taken into account); empty
    # for work done by a worker or a command.
    client_ip = models.GenericIPAddressField(_("alamat klien"), null=True, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("jejak audit")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["cooperative", "-created_at"], name="audit_coop_time_idx"
            ),
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.object_repr}"

    @property
    def message_read(self) -> str:
        """The message in the reader's language where it can be: "Submission
        no. 1, receipt …" on English pages, the office's words else."""
        return words_read(self.message_words) or frozen_label(self.message)
