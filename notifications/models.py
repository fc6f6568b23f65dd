from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal dikirim")


class Notification(models.Model):
    """One message to one recipient, rendered when the event that caused it
    happened (a submission, a review) and stored as rendered: the worker only sends
    it, so a retry hours later still says what happened then."""

    channel = models.CharField(
        _("saluran"), max_length=16, choices=Channel.choices, default=Channel.EMAIL
    )
    recipient = models.CharField(_("penerima"), max_length=254)
    template = models.CharField(_("jenis pesan"), max_length=100)
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    error = models.TextField(_("kesalahan terakhir"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=Channel.values),
                name="notification_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=NotificationStatus.values),
                name="notification_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"
