"""enqueue_on_commit: a task named by its path runs after commit, never before and
never after a rollback. Tasks run eagerly here (conftest.py), so "runs" is seen as
the e-mail the task sends: it sends a stored notification."""

from django.core import mail
from django.db import transaction
from django.test import TestCase

from lib.background import enqueue_on_commit
from notifications.models import Notification
from tests.broker import broker_down, broker_hanging

TASK = "notifications.send"


class EnqueueOnCommitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.notification = Notification.objects.create(
            recipient="pelapor@uji.invalid",
            template="uji",
            subject="Uji antrean tugas",
            body="Pesan uji untuk antrean tugas.",
        )

    def test_the_task_runs_once_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            enqueue_on_commit(TASK, self.notification.pk)
            self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(len(callbacks), 1)
        self.assertEqual(mail.outbox[0].to, ["pelapor@uji.invalid"])

    def test_a_rolled_back_transaction_runs_nothing(self):
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            try:
                with transaction.atomic():
                    enqueue_on_commit(TASK, self.notification.pk)
                    raise RuntimeError("the change fails")
            except RuntimeError:
                pass
        self.assertEqual(callbacks, [])
        self.assertEqual(mail.outbox, [])

    def test_a_task_name_that_does_not_exist_fails_inside_the_transaction(self):
        with self.assertRaises(KeyError), self.captureOnCommitCallbacks() as callbacks:
            enqueue_on_commit("notifications.no_such_task", self.notification.pk)
        self.assertEqual(callbacks, [])


class BrokerDownTests(TestCase):
    """Redis stopped when a job is handed over: no server error, and the job is
    not left waiting for ever (``unsent`` says what becomes of it)."""

    def test_the_commit_stands_and_the_service_is_told(self):
        told = []
        with broker_down(), self.captureOnCommitCallbacks(execute=True):
            enqueue_on_commit(TASK, 1, unsent=told.append)
        self.assertEqual(len(told), 1)
        self.assertIn("Antrean pekerjaan latar belakang tidak dapat dihubungi", told[0])

    def test_a_broker_that_never_answers_is_given_up_on(self):
        # A frozen Redis took the connection and never answered: the request
        # hung for minutes and the job it had committed stayed in its step.
        import time

        told = []
        started = time.monotonic()
        with broker_hanging(), self.captureOnCommitCallbacks(execute=True):
            enqueue_on_commit(TASK, 1, unsent=told.append)
        self.assertEqual(len(told), 1)
        self.assertLess(time.monotonic() - started, 15)
