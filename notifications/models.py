from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.followup import Handled
from lib.models import one_of, user_ref
from lib.phone import whatsapp_link


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu dikirim")
    SENT = "sent", _("Terkirim")
    RETRYING = "retrying", _("Gagal, dicoba lagi otomatis")
    FAILED = "failed", _("Gagal dikirim")
    # WhatsApp without the Cloud API configured: staff send it themselves.
    MANUAL = "manual", _("Menunggu dikirim staf lewat WhatsApp")
    # A message staff were to send by hand, about the same thing to the same
    # person as a newer one: sent after it, it told old news.
    SUPERSEDED = "superseded", _("Digantikan pesan yang lebih baru")
    # What it was about was cancelled before it went (a letter withdrawn).
    WITHDRAWN = "withdrawn", _("Dibatalkan: tidak akan dikirim")


class Notification(models.Model):
    """One message to one recipient, rendered when the event that caused it
    happened (a submission, a review) and stored as rendered: the worker only sends
    it, so a retry hours later still says what happened then.

    ``topic`` names what the message is about (``rat_report:12``,
    ``cooperative:7``) so that the page of that object lists its messages.
    A WhatsApp message keeps its text (``body``, for the link staff send by hand)
    and the approved template with its parameters (for the Cloud API)."""

    channel = models.CharField(
        _("saluran"), max_length=16, choices=Channel, default=Channel.EMAIL
    )
    recipient = models.CharField(_("alamat penerima"), max_length=254)
    recipient_name = models.CharField(_("nama penerima"), max_length=150, blank=True)
    template = models.CharField(_("jenis pesan"), max_length=100)
    topic = models.CharField(_("tentang"), max_length=64, blank=True, db_index=True)
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    whatsapp_template = models.CharField(
        _("template WhatsApp"), max_length=100, blank=True
    )
    whatsapp_params = models.JSONField(
        _("isian template WhatsApp"), default=list, blank=True
    )
    provider_id = models.CharField(
        _("nomor pesan penyedia"), max_length=128, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=NotificationStatus,
        default=NotificationStatus.QUEUED,
    )
    error = models.TextField(_("kesalahan terakhir"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    # Held until then: the notice of a letter dated ahead goes on the letter's day.
    not_before = models.DateTimeField(_("dikirim mulai"), null=True, blank=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    sent_by = user_ref(_("dikirim oleh"), blank=True)
    # WhatsApp's delivery reports (``notifications.delivery``), as the phone saw it.
    delivered_at = models.DateTimeField(_("sampai di ponsel"), null=True, blank=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            one_of("channel", Channel, "notification_channel_valid"),
            one_of("status", NotificationStatus, "notification_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject}"

    @property
    def waits_for_staff(self) -> bool:
        """A WhatsApp message that staff can send by hand: the API is not
        configured, or it refused the message for good, or every retry failed. A
        message the task will still retry is not offered (it would go twice), nor
        one held until a later day (``not_before``)."""
        return (
            self.channel == Channel.WHATSAPP
            and self.status in (NotificationStatus.MANUAL, NotificationStatus.FAILED)
            and not self.is_held
        )

    @property
    def is_held(self) -> bool:
        """Not to go before ``not_before``, which is still to come."""
        return self.not_before is not None and self.not_before > timezone.now()

    @property
    def manual_link(self) -> str:
        """wa.me link that opens WhatsApp with this message filled in."""
        if self.channel != Channel.WHATSAPP:
            return ""
        return whatsapp_link(self.recipient, self.body) or ""


class HeldReport(models.Model):
    """A WhatsApp delivery report naming a message id no message has yet: WhatsApp
    may report "sent" before the worker that sent the message has stored the id
    it was given. Applied once a message has the id
    (``notifications.delivery.delivery_reports_held_apply``); a report of a message
    the registry never sent is dropped after ``delivery.HELD_FOR``."""

    message_id = models.CharField(_("nomor pesan penyedia"), max_length=128)
    report = models.JSONField(_("laporan"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("laporan pengantaran tertunda")
        indexes = [models.Index(fields=["message_id"], name="held_report_message")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.report.get('status')}"


# What each kind of incoming message (WhatsApp's ``type``) is called on the page.
INCOMING_KINDS = {
    "text": _("Teks"),
    "image": _("Gambar"),
    "video": _("Video"),
    "audio": _("Pesan suara"),
    "document": _("Dokumen"),
    "sticker": _("Stiker"),
    "location": _("Lokasi"),
    "contacts": _("Kontak"),
    "button": _("Tombol"),
    "interactive": _("Pilihan"),
    "reaction": _("Reaksi"),
}
# Kinds whose content is a file the registry does not fetch.
INCOMING_MEDIA = ("image", "video", "audio", "document", "sticker")


class IncomingMessage(Handled):
    """A WhatsApp message someone sent to the office's number: an officer answering
    a notice, most often. WhatsApp delivers it only to the webhook (the number is
    the Cloud API's, not a phone's), so this is the only place staff can read it.
    ``reply_to`` is the office's message it answers, when WhatsApp says so."""

    provider_id = models.CharField(
        _("nomor pesan penyedia"), max_length=128, unique=True
    )
    sender = models.CharField(_("pengirim"), max_length=32)  # +62…
    sender_name = models.CharField(_("nama di WhatsApp"), max_length=150, blank=True)
    kind = models.CharField(_("jenis pesan"), max_length=32)  # WhatsApp's ``type``
    text = models.TextField(_("isi"), blank=True)
    received_at = models.DateTimeField(_("diterima"), db_index=True)
    reply_to = models.ForeignKey(
        Notification,
        verbose_name=_("membalas pesan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )

    class Meta:
        verbose_name = verbose_name_plural = _("pesan WhatsApp masuk")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:50]}"

    @property
    def kind_label(self) -> str:
        return str(INCOMING_KINDS.get(self.kind, _("Lainnya")))

    @property
    def is_media(self) -> bool:
        """Its picture, recording or document stays with WhatsApp."""
        return self.kind in INCOMING_MEDIA

    @property
    def reply_link(self) -> str:
        """wa.me link to answer from staff's own WhatsApp."""
        return whatsapp_link(self.sender, "") or ""
