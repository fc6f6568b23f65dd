"""Where an Indonesian word may break at the end of a line, marked with soft
hyphens: the syllables of its spelling rules (Pedoman Umum Ejaan Bahasa Indonesia,
pemenggalan kata). A PDF's narrow column headings break there ("Ke-lu-ra-han");
the hyphenation patterns the PDF renderer has for Indonesian broke them where no
reader would ("Kelur-ahan", "Pemberita-huan")."""

import itertools
import re

SOFT_HYPHEN = "\u00ad"
_VOWELS = frozenset("aeiouAEIOU")
# Two letters that stand for one sound, never parted.
_DIGRAPHS = frozenset(("ng", "ny", "kh", "sy"))
# Vowels read as one (a diphthong), never parted.
_DIPHTHONGS = frozenset(("ai", "au", "ei", "oi"))
# Letters kept together at the start and at the end of a word.
_MIN_HEAD, _MIN_TAIL = 2, 2
_WORD = re.compile(r"[A-Za-z]{5,}")


def _units(word: str) -> list[str]:
    """The word's letters, a digraph as one unit."""
    units, i = [], 0
    while i < len(word):
        pair = word[i : i + 2]
        if pair.lower() in _DIGRAPHS:
            units.append(pair)
            i += 2
        else:
            units.append(word[i])
            i += 1
    return units


def _is_vowel(unit: str) -> bool:
    return unit[0] in _VOWELS


def syllables(word: str) -> list[str]:
    """``word`` cut into its syllables: "Pemberitahuan" -> Pem be ri ta hu an."""
    units = _units(word)
    cuts = []
    vowels = [i for i, unit in enumerate(units) if _is_vowel(unit)]
    for left, right in itertools.pairwise(vowels):
        between = right - left - 1
        if between == 0:
            if (units[left] + units[right]).lower() not in _DIPHTHONGS:
                cuts.append(right)  # ta-hu-an
        elif between == 1:
            cuts.append(left + 1)  # ke-ca
        else:
            cuts.append(left + 2)  # pem-be, in-stru-men
    parts, start = [], 0
    for cut in cuts:
        parts.append("".join(units[start:cut]))
        start = cut
    parts.append("".join(units[start:]))
    return parts


def soft_hyphens(text: str) -> str:
    """``text`` with a soft hyphen at each syllable break of its long words,
    leaving at least two letters on either side of a break."""

    def mark(match: re.Match[str]) -> str:
        word = match.group(0)
        out, done = "", 0
        for part in syllables(word):
            if out and done >= _MIN_HEAD and len(word) - done >= _MIN_TAIL:
                out += SOFT_HYPHEN
            out += part
            done += len(part)
        return out

    return _WORD.sub(mark, text)
