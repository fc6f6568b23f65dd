from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from health_assessment.scoring import RuleSetError
from health_assessment.services import AssessmentRefused, read_definition, ruleset_load


class Command(BaseCommand):
    help = (
        "Validate and load a rule-set definition file (YAML or JSON) as a new "
        "version. Loading the same file twice changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--user", help="username recorded as the one loading")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']}.")
        try:
            data = read_definition(path.read_bytes())
            row = ruleset_load(data=data, acting_user=user)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        except RuleSetError as error:
            raise CommandError(
                "Rule set refused:\n- " + "\n- ".join(error.errors)
            ) from None
        except AssessmentRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Loaded {row.label}: {row.name}")
