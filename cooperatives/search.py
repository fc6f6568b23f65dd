"""The one cooperative search, used by the staff list, the public site and the API.

What a person types is read as:
- an identifier: an exact NIK or nomor badan hukum comes first, a NIK prefix or a
  piece of a nomor badan hukum matches as well;
- a kelurahan name: every cooperative of the kelurahan matches;
- words of a name, in any order: each word must be in the name, as typed or with a
  small typo. On PostgreSQL a typo is forgiven by trigram word similarity
  (``pg_trgm``: ``UPPER(name) %> 'WORD'``, served by the trigram index on
  ``UPPER(name)`` like the substring match); SQLite, the zero-setup development
  database, has no pg_trgm and forgives a typo only after a word's first two thirds.

Cost: one query for the kelurahan names (34 rows) on top of the caller's query,
whatever is typed; the rank of exact identifiers is a ``CASE`` in the same query.
"""

import re

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Upper

from .models import Cooperative, Kelurahan

# Words shorter than this are only matched as typed: a two-letter typo matches
# everything.
FUZZY_MIN_LENGTH = 5
RANK = "search_rank"
_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The words of a query, upper case, without punctuation, each once."""
    words: list[str] = []
    for word in _WORD.findall(text.upper()):
        if word not in words:
            words.append(word)
    return words


def _word_matches(word: str) -> Q:
    condition = Q(name__icontains=word)
    if len(word) < FUZZY_MIN_LENGTH:
        return condition
    if connection.vendor == "postgresql":
        return condition | Q(TrigramWordSimilar(Upper("name"), Value(word)))
    # SQLite: a word typed wrong near its end still finds its name.
    return condition | Q(name__icontains=word[: max(3, len(word) * 2 // 3)])


def cooperative_search(
    queryset: QuerySet[Cooperative], text: str
) -> QuerySet[Cooperative]:
    """The cooperatives of ``queryset`` that ``text`` finds. A text with a digit
    (a NIK, a nomor badan hukum) or several words is annotated with
    ``search_rank``: 0 for an exact NIK or nomor badan hukum, else 1; callers order
    by it first (``is_search``). A blank text returns the
    queryset unchanged."""
    text = " ".join(text.split())
    words = search_words(text)
    if not text:
        return queryset
    condition = Q(nik__startswith=text) | Q(nomor_badan_hukum__icontains=text)
    if words:
        name = Q()
        for word in words:
            name &= _word_matches(word)
        condition |= name
    places = list(
        Kelurahan.objects.filter(name__icontains=text).values_list("pk", flat=True)
    )
    if places:
        condition |= Q(kelurahan_id__in=places)
    if len(words) < 2 and not any(character.isdigit() for character in text):
        # One word without a digit is no NIK or nomor badan hukum: nothing to
        # rank, and the caller's order alone lets PostgreSQL walk the name index
        # and stop at a page (a common word: 30 ms instead of 110 at 150,000
        # cooperatives). Two words match few names: there the rank's sort makes
        # it take the trigram index and sort those few (120 ms instead of 290).
        return queryset.filter(condition)
    exact = Q(nik=text) | Q(nomor_badan_hukum__iexact=text)
    return queryset.filter(condition).annotate(
        **{
            RANK: Case(
                When(exact, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        }
    )


def is_search(queryset: QuerySet[Cooperative]) -> bool:
    return RANK in queryset.query.annotations
