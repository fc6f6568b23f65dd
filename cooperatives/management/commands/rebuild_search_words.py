from typing import Any

from django.core.management.base import BaseCommand

from cooperatives.search import search_words_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the words of cooperative names that the search corrects typos "
        "against, dropping the words of renamed or deleted cooperatives "
        "(PostgreSQL; triggers add new words as names are saved)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        words = search_words_rebuild()
        self.stdout.write(f"{words} words of cooperative names.")
