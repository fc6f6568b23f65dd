from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import User, admin_site_flags


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "email", "role", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        # Without "Status staf" and "Status superuser", which follow the role
        # (``admin_site_flags``): ticked by hand they disagreed with it.
        (_("Permissions"), {"fields": ("is_active", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        (
            _("Peran di aplikasi"),
            {
                "fields": ("role", "phone"),
                "description": _(
                    "Administrator Dinas membuka situs admin ini; staf dan pengurus "
                    "tidak."
                ),
            },
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Peran di aplikasi"), {"fields": ("role", "email", "first_name")}),
    )

    def save_model(
        self, request: HttpRequest, obj: User, form: Any, change: bool
    ) -> None:
        for name, value in admin_site_flags(obj.role).items():
            setattr(obj, name, value)
        super().save_model(request, obj, form, change)
