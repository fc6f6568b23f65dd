from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.models import one_of


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator Dinas")
    STAFF = "staff", _("Staf Dinas")
    OFFICER = "officer", _("Pengurus koperasi")


def admin_site_flags(role: str) -> dict[str, bool]:
    """Django's own flags follow the role: a Dinas administrator gets the admin
    site (schedules, notifications, rule sets), nobody else does. An
    administrator made with the admin site's checkboxes left empty could not
    open it; an officer ticked superuser could have read everything."""
    is_admin = role == Role.ADMIN
    return {"is_staff": is_admin, "is_superuser": is_admin}


class KoperasiUserManager(UserManager["User"]):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        """``manage.py createsuperuser`` makes a Dinas administrator: the model's
        default role (officer) had made the office's first login an officer of
        no cooperative, refused the registry."""
        extra_fields["role"] = Role.ADMIN
        return super().create_superuser(username, email, password, **extra_fields)


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

    objects: ClassVar[KoperasiUserManager] = KoperasiUserManager()

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
