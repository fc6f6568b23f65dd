from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record, diff

from .models import User, admin_site_flags


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a login. Administrators also get the Django admin site."""
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        **admin_site_flags(role),
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=user,
        changes=diff(user, {}, ("role",)),
    )
    return user
