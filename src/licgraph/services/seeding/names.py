"""People's names for seeded users: varied, international, and deterministic."""

from __future__ import annotations

import unicodedata

FIRST_NAMES = (
    "James", "Mary", "Wei", "Priya", "Hiroshi", "Sofia", "Lukas", "Chloé", "Mateo", "Aisha",
    "Olga", "Sven", "Fatima", "Noah", "Emma", "Liam", "Olivia", "Mohammed", "Ana", "João",
    "Yuki", "Hannah", "Jonas", "Léa", "Arjun", "Mei", "Carlos", "Isabella", "Elif", "Kenji",
    "Grace", "Daniel", "Amara", "Mikael", "Ingrid", "Rahul", "Lucía", "Thomas", "Sakura", "Omar",
    "Charlotte", "Ethan", "Nadia", "Pierre", "Aditi", "Benjamin", "Chen", "Freya", "Kwame", "Laura",
    "Marco", "Nora", "Oliver", "Paula", "Rohan", "Sara", "Tomás", "Ursula", "Victor", "Zainab",
)  # fmt: skip

LAST_NAMES = (
    "Smith", "Johnson", "Müller", "Schmidt", "Dubois", "Martin", "García", "Rossi", "de Vries",
    "Jansen", "Kumar", "Patel", "Wang", "Li", "Tanaka", "Suzuki", "Silva", "Santos", "Nowak",
    "Andersson", "Öztürk", "O'Connor", "Brown", "Wilson", "Nguyen", "Kim", "Park", "Fischer",
    "Weber", "Moreau", "Bernard", "López", "Hernández", "Ferrari", "Bianchi", "Kowalski",
    "Nielsen", "Larsen", "Virtanen", "Murphy", "Kelly", "Singh", "Sharma", "Yamamoto", "Sato",
    "Costa", "Pereira", "Mensah", "Okafor", "Haddad",
)  # fmt: skip

# Stepping through the (first, last) grid by a stride coprime to its size visits every pair
# once before repeating, so neighbouring users don't share a first or last name.
_PAIRS = len(FIRST_NAMES) * len(LAST_NAMES)
_STRIDE = 37


def person(index: int) -> tuple[str, str]:
    """The ``index``-th (first, last) name pair; the first ``len(FIRST)*len(LAST)`` differ."""
    pair = (index * _STRIDE) % _PAIRS
    return FIRST_NAMES[pair % len(FIRST_NAMES)], LAST_NAMES[pair // len(FIRST_NAMES)]


def mail_name(*words: str) -> str:
    """``first.last`` as a mailbox name: lower-case ASCII, accents and punctuation dropped."""
    return ".".join(_ascii_word(word) for word in words)


def _ascii_word(word: str) -> str:
    # Ø and Æ don't decompose into ASCII letters: spell them out before dropping marks.
    spelled = word.casefold().replace("ø", "o").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", spelled)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())
