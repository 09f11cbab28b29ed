"""Suggests the SDGs (and, where confident, SDG targets) a plan element's text serves, offline, in en/es/ca/bg."""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# The SDG texts are the alignment app's own copy; the word lists are the suggester's.
SDG_DIR = Path(__file__).resolve().parent / "data"
DATA_DIR = SDG_DIR / "suggester"
LANGUAGES = ("en", "es", "ca", "bg")
GOALS = tuple(str(number) for number in range(1, 18))

# Weights of the scorer. They were set on benchmarks/sdg_eval/dev.csv only (never on the
# evaluation set), see benchmarks/sdg_accuracy.py.
_TEXT_SIMILARITY_WEIGHT = 3.0  # how much the SDG goal/target wording counts next to the lexicon
_TARGET_SIMILARITY_WEIGHT = 3.0
_NORMALISER = 1.0  # keeps scores low when the evidence is thin (one weak word)
_TARGET_MIN_EVIDENCE = 1.0
_TARGET_MARGIN = 1.5  # a target is named only when it beats the goal's next target by this factor
_FEEDBACK_MIN_SIMILARITY = 0.2
_FEEDBACK_ACCEPT_WEIGHT = 3.0  # an identical accepted text adds about two strong lexicon hits
_FEEDBACK_REJECT_FACTOR = 0.8  # an identical rejected text removes 80 % of the goal's evidence
_PHRASE_WEIGHTS = {1: 1.0, 2: 1.6}  # longer phrases are rarer and more telling
_LONG_PHRASE_WEIGHT = 2.0


class SuggesterInputError(ValueError):
    """The text cannot be scored (empty or too long); str(error) is a message for the user."""


@dataclass(frozen=True)
class Suggestion:
    """One suggested SDG: its code, a 0..1 score comparable within one call, and confident targets."""

    goal: str
    score: float
    targets: tuple[tuple[str, float], ...] = ()


# --- Text normalisation -------------------------------------------------------------------------

_WORD = re.compile(r"[0-9a-z\u0430-\u044f]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")

_STOPWORDS = {
    "en": """a an the and or of to in on for with by from at as into onto its their our this that these those
        be is are was were been will shall can may must should would which who whom whose all any each every
        other such than then so not no nor also more most less very new use using used through within across
        between about per via up out over under both own we us it they them there here where when how what""",
    "es": """el la los las lo un una unos unas y e o u ni de del al a en con por para sin sobre entre hacia
        desde hasta que quien cual cuales cuyo cuya se su sus nuestro nuestra nuestros nuestras este esta
        estos estas ese esa esos esas como mas muy tambien ya no si ser es son sera seran todo toda todos
        todas cada otro otra otros otras mediante segun durante tras le les nos ante""",
    "ca": """el la els les lo l un una uns unes i o ni de d del dels al als a en amb per pel pels sense sobre
        entre cap des fins que qui qual quals on se s es hi ho li els seu seva seus seves nostre nostra
        nostres aquest aquesta aquests aquestes aquell aquella com mes molt tambe ja no si ser son sera
        tot tota tots totes cada altre altra altres mitjancant segons durant n m""",
    "bg": """и или на в във с със за от до по при към като че да не се си са е ще бъде бъдат този тази това
        тези които който която което също чрез между над под след пред без както все всички всеки
        всяка всяко нашия нашата нашите наш наша наши техния него нея тях им го ги ни ви""",
}


def fold(text: str) -> str:
    """Lower-case, Catalan `l·l` joined, accents and other combining marks removed (й → и)."""
    text = text.lower().replace("l·l", "ll").replace("ŀl", "ll").replace("l.l", "ll")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem_en(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]
    return word


def _stem_es(word: str) -> str:
    if len(word) > 4 and word.endswith("es") and word[-3] in "lrndzsj":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aoe":
        word = word[:-1]
    return word


def _stem_ca(word: str) -> str:
    if len(word) > 4 and word.endswith("es"):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aoe":
        word = word[:-1]
    # públiques → public, antigues → antig: the spelling changes with the ending
    if len(word) > 4 and word.endswith(("qu", "gu")):
        word = word[:-2] + ("c" if word.endswith("qu") else "g")
    return word


_BG_SUFFIXES = tuple(
    sorted(
        [
            "иите",
            "ията",
            "овете",
            "ите",
            "ата",
            "ото",
            "ята",
            "ето",
            "ове",
            "ии",
            "ия",
            "ът",
            "ят",
            "та",
            "то",
            "те",
            "и",
            "а",
            "я",
            "о",
            "е",
            "у",
            "ь",
        ],
        key=len,
        reverse=True,
    )
)


def _stem_bg(word: str) -> str:
    for suffix in _BG_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


_STEMMERS = {"en": _stem_en, "es": _stem_es, "ca": _stem_ca, "bg": _stem_bg}
_FOLDED_STOPWORDS = {language: frozenset(fold(words).split()) for language, words in _STOPWORDS.items()}


def tokenize(text: str, language: str) -> list[str]:
    """The stems of the content words of `text`, in order (stop words and bare numbers dropped)."""
    stopwords = _FOLDED_STOPWORDS[language]
    stem = _STEMMERS[language]
    folded = _APOSTROPHES.sub(" ", fold(text))
    return [stem(word) for word in _WORD.findall(folded) if word not in stopwords and not word.isdigit()]


_LANGUAGE_HINTS = {
    "en": frozenset(["the", "and", "of", "for", "with", "to", "in", "on", "by", "from", "this", "will"]),
    "es": frozenset(
        ["de", "la", "el", "los", "las", "y", "del", "para", "con", "por", "una", "que", "se", "su", "al", "como"]
    ),
    "ca": frozenset(
        [
            "de",
            "la",
            "els",
            "les",
            "i",
            "dels",
            "per",
            "amb",
            "als",
            "una",
            "que",
            "es",
            "seu",
            "seva",
            "pel",
            "com",
            "l",
            "d",
        ]
    ),
}
_CATALAN_SPELLING = re.compile(r"ció\b|ny|l·l|ŀl|\bl'|\bd'|ts\b|ix\b")  # Spanish writes -ción, -cio
_SPANISH_SPELLING = re.compile(r"ción\b|ñ|\by\b|ciones\b")


def detect_language(text: str) -> str:
    """A good-enough guess among en/es/ca/bg for short administrative texts."""
    letters = [char for char in text if char.isalpha()]
    if letters and sum("\u0400" <= char <= "\u04ff" for char in letters) * 2 >= len(letters):
        return "bg"
    lowered = text.lower()
    words = re.findall(r"[^\W\d_]+", _APOSTROPHES.sub(" ", lowered))
    votes = {language: sum(word in hints for word in words) for language, hints in _LANGUAGE_HINTS.items()}
    votes["ca"] += 2 * len(_CATALAN_SPELLING.findall(lowered))
    votes["es"] += 2 * len(_SPANISH_SPELLING.findall(lowered))
    best = max(votes.values())
    for language in ("en", "es", "ca"):  # ties go to English, the source language
        if votes[language] == best:
            return language
    return "en"  # pragma: no cover - the loop always returns


# --- Packaged data -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Term:
    stems: tuple[str, ...]
    prefix: bool  # the last stem matches any word that starts with it
    goal: str
    target: str | None
    weight: float


def _read_lexicon(language: str) -> list[_Term]:
    """`lexicon_<lang>.txt`: lines `9.c: broadband, fibre optic*, 5G^1.5` (# starts a comment)."""
    path = DATA_DIR / f"lexicon_{language}.txt"
    raw: list[tuple[tuple[str, ...], bool, str, str | None, float]] = []
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        code, separator, terms = line.partition(":")
        code = code.strip()
        goal = code.split(".", 1)[0]
        if not separator or goal not in GOALS:
            raise ValueError(f"{path.name}, line {line_number}: expected '<goal or target code>: terms'")
        target = code if "." in code else None
        for term in terms.split(","):
            term = term.strip()
            if not term:
                continue
            weight = 1.0
            if "^" in term:
                term, _caret, weight_text = term.partition("^")
                weight = float(weight_text)
            prefix = term.endswith("*")
            stems = _term_stems(term.rstrip("*"), language, prefix)
            if stems:
                raw.append((stems, prefix, goal, target, weight))
    # A term listed under several goals says less about each of them.
    goals_per_term: dict[tuple[tuple[str, ...], bool], set[str]] = defaultdict(set)
    for stems, prefix, goal, _target, _weight in raw:
        goals_per_term[(stems, prefix)].add(goal)
    terms: dict[tuple, _Term] = {}
    for stems, prefix, goal, target, weight in raw:
        length_weight = _PHRASE_WEIGHTS.get(len(stems), _LONG_PHRASE_WEIGHT)
        share = weight * length_weight / len(goals_per_term[(stems, prefix)])
        key = (stems, prefix, goal, target)
        if key not in terms or terms[key].weight < share:
            terms[key] = _Term(stems, prefix, goal, target, share)
    return list(terms.values())


def _term_stems(term: str, language: str, prefix: bool) -> tuple[str, ...]:
    # A prefix is stemmed like the text ("playa*" → "play", which "playas" → "play" starts with).
    return tuple(tokenize(term, language))


def _read_sdg_texts() -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """Goal texts and target texts per language (no Bulgarian target texts exist in the data)."""
    goal_texts: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    with (SDG_DIR / "sdg_goals.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language in ("en", "es", "ca"):
                goal_texts[language][row["code"]] = f"{row[f'short_{language}']}. {row[f'title_{language}']}"
            goal_texts["bg"][row["code"]] = row["short_bg"]
    target_texts: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    with (SDG_DIR / "sdg_targets.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for language in ("en", "es", "ca"):
                target_texts[language][row["code"]] = row[f"title_{language}"]
    return goal_texts, target_texts


# --- Weighted bags of words -------------------------------------------------------------------


def _idf(documents: Iterable[list[str]]) -> dict[str, float]:
    documents = list(documents)
    frequency: dict[str, int] = defaultdict(int)
    for stems in documents:
        for stem in set(stems):
            frequency[stem] += 1
    return {stem: math.log(1 + len(documents) / count) for stem, count in frequency.items()}


def _vector(stems: Iterable[str], idf: dict[str, float]) -> dict[str, float]:
    counts: dict[str, int] = defaultdict(int)
    for stem in stems:
        if stem in idf:
            counts[stem] += 1
    vector = {stem: (1 + math.log(count)) * idf[stem] for stem, count in counts.items()}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {stem: value / norm for stem, value in vector.items()} if norm else {}


def _cosine(vector: dict[str, float], other: dict[str, float]) -> float:
    if len(other) < len(vector):
        vector, other = other, vector
    return sum(value * other.get(stem, 0.0) for stem, value in vector.items())


class _LanguageModel:
    """Everything the scorer knows about one language: its lexicon and the SDG wording."""

    def __init__(self, language: str, terms: list[_Term], goal_texts: dict[str, str], target_texts: dict[str, str]):
        self.language = language
        self.exact_index: dict[str, list[_Term]] = defaultdict(list)
        self.prefix_index: dict[str, list[_Term]] = defaultdict(list)
        for term in terms:
            first = term.stems[0]
            if term.prefix and len(term.stems) == 1 and len(first) >= 3:
                self.prefix_index[first[:3]].append(term)
            else:
                self.exact_index[first].append(term)
        # A goal's wording: its name and title plus all its targets' texts.
        goal_documents = {goal: tokenize(text, language) for goal, text in goal_texts.items()}
        self.target_goals: dict[str, str] = {}
        target_documents: dict[str, list[str]] = {}
        for code, text in target_texts.items():
            stems = tokenize(text, language)
            target_documents[code] = stems
            goal = code.split(".", 1)[0]
            self.target_goals[code] = goal
            goal_documents[goal] = goal_documents.get(goal, []) + stems
        self.goal_idf = _idf(goal_documents.values())
        self.goal_vectors = {goal: _vector(stems, self.goal_idf) for goal, stems in goal_documents.items()}
        self.target_idf = _idf(target_documents.values())
        self.target_vectors = {code: _vector(stems, self.target_idf) for code, stems in target_documents.items()}

    def matched_terms(self, stems: list[str]) -> list[_Term]:
        """Lexicon terms found in the text; a phrase may skip one word between its words.

        A term found only inside a longer matched phrase does not count on its own: "data" in
        "open data", "violence" in "gender-based violence" say nothing beyond the phrase.
        """
        spans: dict[int, tuple[_Term, int, int]] = {}
        for position, stem in enumerate(stems):
            candidates = self.exact_index.get(stem, [])
            prefixed = self.prefix_index.get(stem[:3], ())
            for term in (*candidates, *prefixed):
                if id(term) in spans:
                    continue
                end = _match_end(term, stems, position)
                if end is not None:
                    spans[id(term)] = (term, position, end)
        kept = []
        for term, start, end in spans.values():
            inside_longer = any(
                other_start <= start and end <= other_end and other_end - other_start > end - start
                for _other, other_start, other_end in spans.values()
            )
            if not inside_longer:
                kept.append(term)
        return kept


def _match_end(term: _Term, stems: list[str], position: int) -> int | None:
    """The position of the term's last word when the term starts at `position`, else None."""
    last = len(term.stems) - 1
    for index, wanted in enumerate(term.stems):
        is_prefix = term.prefix and index == last
        window = (position,) if index == 0 else (position + 1, position + 2)
        for candidate in window:
            if candidate < len(stems) and (
                stems[candidate].startswith(wanted) if is_prefix else stems[candidate] == wanted
            ):
                position = candidate
                break
        else:
            return None
    return position


# --- Feedback ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Example:
    stems: frozenset[str]
    goal: str
    accepted: bool


class _FeedbackIndex:
    """Accepted and rejected suggestions, searched by word overlap (nearest neighbours)."""

    def __init__(self, examples: Iterable[tuple[str, str, bool]]):
        self.examples: list[_Example] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        for text, goal, accepted in examples:
            goal = str(goal).strip()
            if goal not in GOALS or not text or not text.strip():
                continue  # feedback on something the suggester never proposes cannot teach it
            stems = frozenset(tokenize(text[: Suggester.MAX_TEXT_LENGTH], detect_language(text)))
            if not stems:
                continue
            number = len(self.examples)
            self.examples.append(_Example(stems, goal, bool(accepted)))
            for stem in stems:
                self.index[stem].append(number)

    def pull(self, stems: list[str]) -> tuple[dict[str, float], dict[str, float]]:
        """For each goal, the similarity of the closest accepted and of the closest rejected example."""
        query = frozenset(stems)
        shared: dict[int, int] = defaultdict(int)
        for stem in query:
            for number in self.index.get(stem, ()):
                shared[number] += 1
        accepted: dict[str, float] = {}
        rejected: dict[str, float] = {}
        for number, overlap in shared.items():
            example = self.examples[number]
            similarity = overlap / math.sqrt(len(query) * len(example.stems))
            if similarity < _FEEDBACK_MIN_SIMILARITY:
                continue
            side = accepted if example.accepted else rejected
            side[example.goal] = max(side.get(example.goal, 0.0), similarity)
        return accepted, rejected


# --- The suggester -----------------------------------------------------------------------------


def _translate(message: str) -> str:
    """gettext when Django is configured; the English message otherwise (benchmarks, scripts)."""
    try:
        from django.utils.translation import gettext

        return gettext(message)
    except Exception:  # ImproperlyConfigured outside a Django process
        return message


class Suggester:
    """Scores the 17 SDGs for a text from a per-goal lexicon, the SDG wording and editors' feedback."""

    MAX_TEXT_LENGTH = 10_000

    def __init__(self, models: dict[str, _LanguageModel], feedback: _FeedbackIndex | None = None):
        self._models = models
        self._feedback = feedback

    @classmethod
    def default(cls) -> Suggester:
        """The suggester built from the packaged data; built once per process."""
        return _default_suggester()

    @classmethod
    def build(cls) -> Suggester:
        goal_texts, target_texts = _read_sdg_texts()
        models = {
            language: _LanguageModel(language, _read_lexicon(language), goal_texts[language], target_texts[language])
            for language in LANGUAGES
        }
        return cls(models)

    def with_feedback(self, examples: Iterable[tuple[str, str, bool]]) -> Suggester:
        """A suggester that also learns from `(text, goal, accepted)`; the packaged data is shared."""
        return Suggester(self._models, _FeedbackIndex(examples))

    def suggest(self, text: str, *, language: str | None = None, limit: int = 3) -> list[Suggestion]:
        """The most likely goals for `text`, best first (at most `limit`; none when nothing matched)."""
        if text is None or not str(text).strip():
            raise SuggesterInputError(_translate("Write some text to get suggestions."))
        text = str(text)
        if len(text) > self.MAX_TEXT_LENGTH:
            raise SuggesterInputError(
                _translate("The text is too long for suggestions: %(length)d characters, at most %(maximum)d.")
                % {"length": len(text), "maximum": self.MAX_TEXT_LENGTH}
            )
        if limit < 1:
            return []
        code = (language or "").lower().split("-", 1)[0]
        model = self._models[code if code in self._models else detect_language(text)]
        stems = tokenize(text, model.language)
        if not stems:
            return []
        evidence, target_evidence = self._evidence(model, stems)
        total = sum(evidence.values())
        ranked = sorted(
            (goal for goal in evidence if evidence[goal] > 0), key=lambda goal: (-evidence[goal], int(goal))
        )
        suggestions = []
        for goal in ranked[:limit]:
            score = evidence[goal] / (total + _NORMALISER)
            suggestions.append(Suggestion(goal, round(score, 4), _confident_targets(target_evidence[goal], score)))
        return suggestions

    def _evidence(self, model: _LanguageModel, stems: list[str]) -> tuple[dict[str, float], dict[str, dict]]:
        evidence = dict.fromkeys(GOALS, 0.0)
        target_evidence: dict[str, dict[str, float]] = {goal: defaultdict(float) for goal in GOALS}
        for term in model.matched_terms(stems):
            evidence[term.goal] += term.weight
            if term.target:
                target_evidence[term.goal][term.target] += term.weight
        goal_vector = _vector(stems, model.goal_idf)
        for goal, vector in model.goal_vectors.items():
            evidence[goal] += _TEXT_SIMILARITY_WEIGHT * _cosine(goal_vector, vector)
        target_vector = _vector(stems, model.target_idf)
        if target_vector:
            for code, vector in model.target_vectors.items():
                similarity = _cosine(target_vector, vector)
                if similarity:
                    target_evidence[model.target_goals[code]][code] += _TARGET_SIMILARITY_WEIGHT * similarity
        if self._feedback is not None:
            accepted, rejected = self._feedback.pull(stems)
            for goal in GOALS:
                evidence[goal] *= 1 - _FEEDBACK_REJECT_FACTOR * rejected.get(goal, 0.0)
                evidence[goal] += _FEEDBACK_ACCEPT_WEIGHT * accepted.get(goal, 0.0)
        return evidence, target_evidence


def _confident_targets(evidence: dict[str, float], goal_score: float) -> tuple[tuple[str, float], ...]:
    """The goal's best target, when it clearly stands out from the goal's other targets."""
    if not evidence:
        return ()
    ranked = sorted(evidence.items(), key=lambda item: (-item[1], item[0]))
    best_code, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < _TARGET_MIN_EVIDENCE or best < _TARGET_MARGIN * runner_up:
        return ()
    share = best / (sum(evidence.values()) + _NORMALISER)
    return ((best_code, round(goal_score * share, 4)),)


# An lru_cache, not core.cache: the packaged suggester is built from the app's own data files
# (constant, no database data), once per process; what editors teach it is added in selectors.suggester.
@lru_cache(maxsize=1)
def _default_suggester() -> Suggester:
    return Suggester.build()
