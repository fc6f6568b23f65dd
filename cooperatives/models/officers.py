"""A cooperative's officers (pengurus, pengawas, manajer) and the one-time
invitations that give them a login."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.models import one_of, user_ref
from notifications.models import Channel, Notification


class Position(models.TextChoices):
    KETUA = "ketua", _("Ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    BENDAHARA = "bendahara", _("Bendahara")
    MANAJER = "manajer", _("Manajer")


class Officer(models.Model):
    """A person holding a position in a cooperative; optionally with a login.

    An officer user sees a cooperative only while such a row is active; a new board
    deactivates the old rows rather than deleting them.
    """

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        on_delete=models.CASCADE,
        related_name="officers",
    )
    user = user_ref(_("akun"), blank=True, related_name="officer_positions")
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=16, choices=Position)
    phone = models.CharField(_("nomor HP"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # How they want to hear from the Dinas; the other channel is used when they
    # cannot be reached on this one (notifications.contacts.contact_for).
    notify_by = models.CharField(
        _("pemberitahuan lewat"),
        max_length=16,
        choices=Channel.choices,
        default=Channel.EMAIL,
        # The import's bulk writer inserts officers without naming this column.
        db_default=Channel.EMAIL,
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    start_date = models.DateField(_("mulai menjabat"), null=True, blank=True)
    end_date = models.DateField(_("selesai menjabat"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pengurus")
        ordering = ["cooperative", "-is_active", "position", "name"]
        constraints = [
            one_of("position", Position, "officer_position_valid"),
            models.UniqueConstraint(
                fields=["cooperative", "user"],
                condition=Q(is_active=True, user__isnull=False),
                name="officer_one_active_row_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_position_display()})"


# The message that carries an invitation, and what it is filed under
# (``Notification.topic``).
INVITATION_TEMPLATE = "cooperatives/email/invitation"


def invitation_topic(officer: Officer) -> str:
    return f"officer:{officer.pk}"


PASSWORD_LINK_TEMPLATE = "cooperatives/email/password_link"


def password_link_topic(officer: Officer) -> str:
    return f"officer:{officer.pk}:password"


class OfficerInvitation(models.Model):
    """A one-time link that lets an officer set a password and log in.

    Only a hash of the token is stored: the link in the message (e-mail or
    WhatsApp) is the only copy. A new invitation for the same officer makes the
    earlier ones unusable.
    """

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("nomor WhatsApp"), max_length=32, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    created_by = user_ref(_("dikirim oleh"))
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True)
    # Not stored: the wa.me link handed once to the staff member who invited, when
    # the WhatsApp API is not configured (cooperatives.services.officer_invite).
    manual_link: str = ""
    # Not stored either: the record of the message that carried it.
    message: Notification | None = None

    class Meta:
        verbose_name = verbose_name_plural = _("undangan pengurus")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.officer} — {self.sent_to}"

    @property
    def sent_to(self) -> str:
        return self.email or self.phone

    @property
    def is_expired(self) -> bool:
        return self.accepted_at is None and self.expires_at <= timezone.now()
