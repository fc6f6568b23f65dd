"""Every write of a campaign, by topic: ``opening`` (create, open, close),
``decisions``, ``evidence`` and ``letters``."""

from .opening import (
    campaign_close,
    campaign_create,
    campaign_open_execute,
    campaign_open_request,
    default_cutoff,
)

__all__ = [
    "campaign_close",
    "campaign_create",
    "campaign_open_execute",
    "campaign_open_request",
    "default_cutoff",
]
