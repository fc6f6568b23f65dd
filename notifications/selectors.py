"""Reads of the notification record, for the pages of what messages are about."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Notification


def notifications_about(topics: Iterable[str]) -> QuerySet[Notification]:
    """Every message filed under one of ``topics``, newest first (one query)."""
    return Notification.objects.filter(topic__in=list(topics)).select_related("sent_by")
