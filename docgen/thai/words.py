"""Thai word segmentation: pythainlp's newmm over its own dictionary, loaded quickly.

pythainlp builds its dictionary as a trie of ~300,000 Python node objects, one word at a
time: 0.45 s before the first word of a letter can be cut (every ``docgen render`` and
every batch paid it).  newmm only asks the dictionary one question: which words start at
this position of the text (``prefixes``).  ``WordPrefixes`` answers it from the sorted
word list (0.04 s to build), stopping where the trie's walk would stop, so it gives the
same answers, so the same segmentation.

>>> d = WordPrefixes(["ขอ", "ขอแสดง", "แสดง", "ความนับถือ"])
>>> d.prefixes("ขอแสดงความนับถือ")
['ขอ', 'ขอแสดง']
>>> d.prefixes("ขอแสดงความนับถือ", 6)
['ความนับถือ']
>>> d.prefixes("กขค")
[]
>>> len(d)
4
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache
from typing import Iterable


class WordPrefixes:
    """A dictionary that lists the words starting at a position of a text (pythainlp
    ``Trie.prefixes``), kept as one sorted list instead of a node per letter.

    A piece of text begins some word exactly when the first word not sorting before it
    starts with it; the scan stops there, where a trie walk would find no child.
    """

    __slots__ = ("words", "_sorted")

    def __init__(self, words: Iterable[str]):
        clean = {w.strip() for w in words}
        clean.discard("")
        self.words = frozenset(clean)
        self._sorted = sorted(clean)

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        words, ordered, n = self.words, self._sorted, len(self._sorted)
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            i = bisect_left(ordered, piece)
            if i == n or not ordered[i].startswith(piece):
                break                       # no word begins with this piece
            if piece in words:
                found.append(piece)
        return found

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)


@lru_cache(maxsize=1)
def default_dictionary() -> WordPrefixes:
    """pythainlp's default Thai word list (the one newmm uses), as ``WordPrefixes``."""
    from pythainlp.corpus import thai_words
    return WordPrefixes(thai_words())


@lru_cache(maxsize=1)
def tokenizer():
    """A cached word cutter: text → tuple of words (newmm, pythainlp's default dictionary).

    A batch repeats the same Thai runs in every letter, so each run is cut once per process.

    >>> tokenizer()("จึงเรียนมาเพื่อโปรดพิจารณา")
    ('จึง', 'เรียน', 'มา', 'เพื่อ', 'โปรด', 'พิจารณา')
    """
    from pythainlp.tokenize import word_tokenize
    dictionary = default_dictionary()

    @lru_cache(maxsize=16384)
    def tokenize(text: str) -> tuple[str, ...]:
        return tuple(word_tokenize(text, custom_dict=dictionary, engine="newmm", keep_whitespace=False))
    return tokenize
