"""Thai word segmentation: pythainlp's newmm over its own dictionary, loaded quickly.

pythainlp builds its dictionary as a trie of ~300,000 Python node objects, one word at a
time: 0.7 s before the first word of a letter can be cut (every ``docgen render`` and every
batch pays it).  newmm only asks the dictionary one question: which words start at this
position of the text (``prefixes``).  ``WordPrefixes`` answers it from two sets built in
one pass (the words, and every beginning of a word, so the scan stops as early as the
trie's would), giving the same answers, so the same segmentation.

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

from functools import lru_cache
from typing import Iterable


class WordPrefixes:
    """A dictionary that lists the words starting at a position of a text (pythainlp
    ``Trie.prefixes``), built from sets instead of a node per letter."""

    __slots__ = ("words", "stems")

    def __init__(self, words: Iterable[str]):
        clean = {w.strip() for w in words}
        clean.discard("")
        self.words = frozenset(clean)
        # every proper beginning of a word: the scan stops where no word can continue
        self.stems = frozenset(w[:k] for w in clean for k in range(1, len(w)))

    def prefixes(self, text: str, start: int = 0) -> list[str]:
        found = []
        words, stems = self.words, self.stems
        for end in range(start + 1, len(text) + 1):
            piece = text[start:end]
            if piece in words:
                found.append(piece)
            if piece not in stems:
                break
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
