"""Every write of a campaign, by topic: ``opening`` (create, open, close),
``decisions``, ``evidence`` and ``letters``."""

from .decisions import STATUS_FOR_CLASS, items_decide
from .opening import (
    campaign_close,
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
    default_cutoff,
)

__all__ = [
    "STATUS_FOR_CLASS",
    "campaign_close",
    "campaign_create",
    "campaign_open_execute",
    "campaign_open_request",
    "default_cutoff",
    "items_decide",
]
