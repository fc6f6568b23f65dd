"""The one cooperative search, used by the staff list, the public site and the API.

What a person types is read as:
- an identifier: an exact NIK or nomor badan hukum comes first, a NIK prefix or a
  piece of a nomor badan hukum matches as well;
- a kelurahan name: every cooperative of the kelurahan matches;
- words of a name, in any order: each word must be in the name, as typed or with a
  small typo. The usual short forms stand for what they shorten, either way: "KSP"
  finds "Koperasi Simpan Pinjam …", and "Koperasi Pegawai Republik Indonesia"
  finds "KPRI …" (``SHORT_FORMS``);
- "NIK 6471…": the NIK.

On PostgreSQL a typo is forgiven against the words of all names (``SearchWord``, a
few thousand rows, trigram index), not against each name: a typed word of five
letters or more also finds the names that hold a known word it is similar to
(pg_trgm's ``word_similarity`` >= 0.6: "MANUNTNG" finds "MANUNTUNG") or, when no
known word holds it as typed, one a small typo away (a letter left out, added,
changed or swapped; two from eight letters: "MKMUR" finds "MAKMUR", "SEJHTERA"
"SEJAHTERA"). The cooperative query itself is then only ``search_name LIKE
'%WORD%'`` conditions (the name in capitals, kept by the database), which the
trigram index on ``search_name`` serves; it computes no similarity per name. SQLite,
the zero-setup development database, has no pg_trgm and forgives a typo only after a
word's first two thirds.

Cost: one query on top of the caller's, whatever is typed: the kelurahan whose
name holds the text (34 rows) and, on PostgreSQL, the known words each typed word
may mean, in one ``UNION ALL``. The rank of exact identifiers is a ``CASE`` in
the caller's query.
"""

import re
import unicodedata

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import Cooperative, Kelurahan, SearchWord

# Words shorter than this are only matched as typed: a two-letter typo matches
# everything.
FUZZY_MIN_LENGTH = 5
RANK = "search_rank"
_WORD = re.compile(r"[^\W_]+")
# The mark of a kelurahan row in the lookup (a typed word is never blank).
_PLACE = ""
# The short forms cooperatives' names are written with, and what they stand for:
# a name registered one way is found when typed the other.
SHORT_FORMS = {
    "KSPPS": "KOPERASI SIMPAN PINJAM DAN PEMBIAYAAN SYARIAH",
    "KSP": "KOPERASI SIMPAN PINJAM",
    "KSU": "KOPERASI SERBA USAHA",
    "KUD": "KOPERASI UNIT DESA",
    "KPRI": "KOPERASI PEGAWAI REPUBLIK INDONESIA",
    "KPN": "KOPERASI PEGAWAI NEGERI",
    "KOPKAR": "KOPERASI KARYAWAN",
    "KOPWAN": "KOPERASI WANITA",
    "KOPONTREN": "KOPERASI PONDOK PESANTREN",
    "KOPTAN": "KOPERASI TANI",
}
# The longest first: "… SIMPAN PINJAM DAN PEMBIAYAAN SYARIAH" before "… SIMPAN
# PINJAM".
_LONG_FORMS = sorted(
    ((long.split(), short) for short, long in SHORT_FORMS.items()),
    key=lambda pair: -len(pair[0]),
)
# "NIK 6471…", "NIK: 6471 …": the number is the NIK.
_NIK_LABEL = re.compile(r"(?i)nik\s*[:.]?\s*([0-9][0-9\s.\-]*)")


def search_words(text: str) -> list[str]:
    """The words of a query, upper case, without punctuation, each once."""
    words: list[str] = []
    for word in _WORD.findall(text.upper()):
        if word not in words:
            words.append(word)
    return words


def _terms(words: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The typed words that are words of a name, and the short forms typed either
    way, each as (short form, what it stands for)."""
    plain: list[str] = []
    forms: list[tuple[str, str]] = []
    index = 0
    while index < len(words):
        for long, short in _LONG_FORMS:
            if words[index : index + len(long)] == long:
                forms.append((short, " ".join(long)))
                index += len(long)
                break
        else:
            word = words[index]
            if word in SHORT_FORMS:
                forms.append((word, SHORT_FORMS[word]))
            else:
                plain.append(word)
            index += 1
    return plain, forms


def _is_fuzzy(word: str) -> bool:
    """Whether a typo of ``word`` is forgiven: long enough, and no number (a
    number is matched as typed)."""
    return len(word) >= FUZZY_MIN_LENGTH and not any(c.isdigit() for c in word)


# The kelurahan whose name holds the text, and the known words that may be what
# each typed word means, both served by trigram indexes: ``word %> typed`` is
# word_similarity(typed, word) >= 0.6 (pg_trgm's threshold), the rule the search
# had when it compared every name; ``word % typed`` is similarity >= 0.3, the
# candidates for a letter left out, added or changed ("MKMUR", "SEJHTERA"), which
# word similarity misses in short words. Written out rather than as a union of
# querysets, which took a millisecond of Python to build; two joins rather than
# one on an OR, which PostgreSQL cannot serve from the index.
_LOOKUP = (
    "SELECT '', id::text, true FROM cooperatives_kelurahan "
    "WHERE UPPER(name) LIKE UPPER(%s) "
    "UNION ALL SELECT typed, word, true FROM unnest(%s::text[]) AS typed "
    "JOIN cooperatives_searchword ON word %%> typed "
    "UNION ALL SELECT typed, word, false FROM unnest(%s::text[]) AS typed "
    "JOIN cooperatives_searchword ON word %% typed"
)


def edits(one: str, other: str) -> int:
    """The number of letters to leave out, add, change or swap with the next one
    to make ``other`` from ``one`` (optimal string alignment distance)."""
    previous: list[int] = []
    row = list(range(len(other) + 1))
    for i, a in enumerate(one, 1):
        before, previous, row = previous, row, [i] + [0] * len(other)
        for j, b in enumerate(other, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == other[j - 2] and one[i - 2] == b:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]


def _forgiven_edits(word: str) -> int:
    """How many edits make a small typo: one up to seven letters, then two."""
    return 1 if len(word) < 8 else 2


def _lookup(text: str, words: list[str]) -> tuple[list[int], dict[str, set[str]]]:
    """One query: the kelurahan whose name holds ``text``, and on PostgreSQL the
    known words of names that each fuzzy word of ``words`` may mean: similar by
    word similarity, or, for a word no known word holds as typed, a small typo
    away (``edits``)."""
    fuzzy = [word for word in words if _is_fuzzy(word)]
    known: dict[str, set[str]] = {word: set() for word in fuzzy}
    if connection.vendor != "postgresql":
        places = Kelurahan.objects.filter(name__icontains=text).values_list(
            "pk", flat=True
        )
        return list(places), known
    pattern = f"%{connection.ops.prep_for_like_query(text)}%"
    with connection.cursor() as cursor:
        cursor.execute(_LOOKUP, [pattern, fuzzy, fuzzy])
        rows = cursor.fetchall()
    kelurahan = []
    candidates: dict[str, set[str]] = {word: set() for word in fuzzy}
    for typed, key, similar in rows:
        if typed == _PLACE:
            kelurahan.append(int(key))
        elif similar:
            known[typed].add(key)
        else:
            candidates[typed].add(key)
    for typed, others in candidates.items():
        if any(typed in other for other in others | known[typed]):
            continue  # found as typed: the name condition's LIKE finds it
        limit = _forgiven_edits(typed)
        known[typed] |= {o for o in others if edits(typed, o) <= limit}
    return kelurahan, known


def _name_holds(word: str) -> Q:
    """The names that hold ``word`` (upper case). PostgreSQL reads the name in
    capitals as the database keeps it (``search_name``, served by the trigram
    index and, when walking names, by the name index); SQLite's UPPER knows only
    ASCII letters, so there the name is compared without regard to case."""
    if connection.vendor == "postgresql":
        return Q(search_name__contains=word)
    return Q(name__icontains=word)


def _word_matches(word: str, known: set[str]) -> Q:
    """The names that hold ``word``: as typed, or (PostgreSQL) one of the known
    words it may be a typo of, or (SQLite) its first two thirds."""
    condition = _name_holds(word)
    if not _is_fuzzy(word):
        return condition
    if connection.vendor == "postgresql":
        # A known word that holds the typed one is found by the typed one already.
        for other in sorted(known):
            if word not in other:
                condition |= _name_holds(other)
        return condition
    # SQLite: a word typed wrong near its end still finds its name.
    return condition | _name_holds(word[: max(3, len(word) * 2 // 3)])


def cooperative_search(
    queryset: QuerySet[Cooperative], text: str
) -> QuerySet[Cooperative]:
    """The cooperatives of ``queryset`` that ``text`` finds. A text with a digit
    (a NIK, a nomor badan hukum), or of several words that name no kelurahan, is
    annotated with ``search_rank``: 0 for an exact NIK or nomor badan hukum, else
    1; callers order by it first (``is_search``). A blank text returns the
    queryset unchanged. Runs one query (``_lookup``) before returning."""
    # Full-width letters and digits (a phone's Asian keyboard) as the plain
    # ones they show: "ＫＰＲＩ" found nothing beside 98 for "KPRI".
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    labelled = _NIK_LABEL.fullmatch(text)
    if labelled:
        text = labelled.group(1)
    # A NIK or number typed in groups ("6471 0000 0000 0581", "6471-0000-…") is
    # the number.
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isdigit():
        text = digits
    words, forms = _terms(search_words(text))
    if not text:
        return queryset
    places, known = _lookup(text, words)
    has_digit = any(character.isdigit() for character in text)
    # A NIK is digits; a piece of a nomor badan hukum has a digit or a mark
    # ("BH/KSP"). Words alone are neither: leaving those conditions out spares
    # PostgreSQL two index scans on every search by name.
    condition = Q(pk__in=[])
    if has_digit:
        condition |= Q(nik__startswith=text)
    if has_digit or not text.replace(" ", "").isalpha():
        condition |= Q(nomor_badan_hukum__icontains=text)
    if words or forms:
        name = Q()
        for word in words:
            name &= _word_matches(word, known.get(word, set()))
        for short, long in forms:
            name &= _name_holds(short) | _name_holds(long)
        condition |= name
    if places:
        condition |= Q(kelurahan_id__in=places)
    if not has_digit and (len(words) + len(forms) < 2 or places):
        # A text without a digit is no NIK or nomor badan hukum: nothing to rank,
        # and the caller's order alone lets PostgreSQL walk the name index and
        # stop at a page, which is quick when many names match: one word, or a
        # kelurahan ("Gunung Samarinda": 2 ms instead of 30 for sorting its 8,700
        # cooperatives). Several words of a name match few names: there the
        # rank's sort makes PostgreSQL take the trigram index and sort those few
        # (2 ms instead of 9 walking 12,000 names to find 20).
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


# The words of every name, as migration 0013's triggers split them.
_ALL_NAME_WORDS = (
    "INSERT INTO cooperatives_searchword (word) "
    "SELECT DISTINCT word FROM cooperatives_cooperative, "
    "regexp_split_to_table(UPPER(name), '[^[:alpha:]]+') AS word "
    "WHERE word <> '' ORDER BY word ON CONFLICT (word) DO NOTHING"
)


@transaction.atomic
def search_words_rebuild() -> int:
    """Make ``SearchWord`` the words of today's names: drops the words of names
    since renamed or deleted (the triggers only add). PostgreSQL only; returns how
    many words there are. One scan of every name (about half a second at 150,000
    cooperatives); the table is locked against the triggers meanwhile, so that a
    name saved during the rebuild keeps its words."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("LOCK TABLE cooperatives_searchword IN EXCLUSIVE MODE")
        cursor.execute("DELETE FROM cooperatives_searchword")
        cursor.execute(_ALL_NAME_WORDS)
    return SearchWord.objects.count()
