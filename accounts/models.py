from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import one_of


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator Dinas")
    STAFF = "staff", _("Staf Dinas")
    OFFICER = "officer", _("Pengurus koperasi")


class User(AbstractUser):
    """A person who logs in. What they may see follows from ``role``.

    Dinas administrators and staff work on the whole registry; a cooperative officer
    sees only the cooperatives they hold an active position in
    (``cooperatives.Officer`` rows linked to this user).
    """

    role = models.CharField(
        _("peran"), max_length=16, choices=Role, default=Role.OFFICER
    )
    phone = models.CharField(_("nomor HP"), max_length=32, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("pengguna")
        constraints = [one_of("role", Role, "user_role_valid")]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_dinas(self) -> bool:
        """True for Dinas administrators and staff: they see the whole registry."""
        return self.is_active and self.role in (Role.ADMIN, Role.STAFF)

    @property
    def can_edit_registry(self) -> bool:
        return self.is_dinas

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER
