"""Every write of the reports app, by topic: ``runs`` (generated files) and ``rat``
(RAT reports: drafts, attachments, submission, review, reminders)."""

from .rat import (
    RatRefused,
    rat_attachment_add,
    rat_attachment_refusal,
    rat_attachment_remove,
    rat_reminders_send,
    rat_report_accept,
    rat_report_return,
    rat_report_save,
    rat_report_start,
    rat_report_submit,
)
from .runs import report_run_execute, report_run_request, report_runs_purge

__all__ = [
    "RatRefused",
    "rat_attachment_add",
    "rat_attachment_refusal",
    "rat_attachment_remove",
    "rat_reminders_send",
    "rat_report_accept",
    "rat_report_return",
    "rat_report_save",
    "rat_report_start",
    "rat_report_submit",
    "report_run_execute",
    "report_run_request",
    "report_runs_purge",
]
