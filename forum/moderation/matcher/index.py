"""In-memory candidate index for duplicate ideas.

An inverted index from normalised tokens to integer document ids (``array('i')`` posting
lists). A query looks only at the postings of its rarest tokens (prefix filtering), ranks
the candidates by how many of those tokens they share, and rescores the top few with
``scoring.score_normalized``. Tokens whose document frequency exceeds ``max_df`` are
never used for candidate generation: they behave like stop-words and their posting lists
would make every query slow.

Removal is lazy: the document slot is cleared and skipped at query time; posting lists
are compacted when a third of their entries are dead.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from typing import cast

from .normalize import Normalized, normalize_idea
from .normalize import tokens as text_tokens
from .places import NameStats
from .probe import looks_like_probe
from .scoring import make_idf, score_learned

# The score is scoring.score_learned: a fitted probability x 100 that a moderator would merge
# the two ideas. On the 899 pairs of tests/data/duplicate_pairs.csv the weights were fitted on,
# F1 is flat from 30 to 55 (0.794-0.800); 52 has P 0.92 / R 0.70, F1 0.795, the most
# precision for clustering at no cost in F1. Held out (weights fitted on other folds, this
# threshold) 0.788; on sample E, labelled afterwards, 0.519 (hand-tuned: 0.500). See
# benchmarks/fit_scorer.py and docs/matcher.md.
DEFAULT_THRESHOLD = 52.0
# Suggestions shown to a person who decides (the bot's "similar ideas" step, the moderators'
# queue and idea page): recall matters more than precision there. At 30, P 0.74 / R 0.85 on
# the labelled pairs (at 52: P 0.92 / R 0.70). Automatic clustering (dedupe) keeps
# DEFAULT_THRESHOLD.
SUGGEST_THRESHOLD = 30.0

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    score: float


@dataclass(slots=True)
class _Doc:
    key: str
    norm: Normalized
    probe: bool
    tokens: tuple[int, ...]  # unique token ids, title first


class DuplicateIndex:
    """Find duplicate ideas among those added so far. Not thread-safe; one per process."""

    def __init__(
        self,
        threshold: float = DEFAULT_THRESHOLD,
        *,
        max_df: int = 50_000,
        probe_tokens: int = 6,
        rescore: int = 25,
    ) -> None:
        self.threshold = threshold
        self.max_df = max_df
        self.probe_tokens = probe_tokens
        self.rescore = rescore
        self._docs: list[_Doc | None] = []
        self._ids: dict[str, int] = {}
        self._token_ids: dict[str, int] = {}
        self._postings: list[array] = []
        self._df: list[int] = []
        self._dead_in_postings = 0
        self._idf = make_idf(self._df_of, 0)
        self._idf_n = -1
        self.names = NameStats()

    # -- bookkeeping -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def _df_of(self, tok: str) -> int:
        tid = self._token_ids.get(tok)
        return self._df[tid] if tid is not None else 0

    def _current_idf(self):
        # IDF drifts slowly; refresh when the corpus grew or shrank by more than 10 %.
        n = len(self._ids)
        if self._idf_n < 0 or abs(n - self._idf_n) > 0.1 * max(self._idf_n, 10):
            self._idf = make_idf(self._df_of, n)
            self._idf_n = n
        return self._idf

    def _tid(self, tok: str) -> int:
        tid = self._token_ids.get(tok)
        if tid is None:
            tid = len(self._postings)
            self._token_ids[tok] = tid
            self._postings.append(array("i"))
            self._df.append(0)
        return tid

    def add(self, key: str, title: str, body: str = "") -> None:
        """Index an idea; re-adding a key replaces its text (an edit)."""
        if key in self._ids:
            self.remove(key)
        norm = normalize_idea(title, body)
        self.names.observe(title, body)
        doc_id = len(self._docs)
        seen: dict[int, None] = {}
        for tok in chain(norm.title_tokens, norm.body_tokens):
            seen.setdefault(self._tid(tok), None)
        tokens = tuple(seen)
        for tid in tokens:
            self._postings[tid].append(doc_id)
            self._df[tid] += 1
        self._docs.append(_Doc(key, norm, looks_like_probe(title, body), tokens))
        self._ids[key] = doc_id

    def remove(self, key: str) -> None:
        """Take an idea out (merged, hidden or withdrawn). Unknown keys are ignored."""
        doc_id = self._ids.pop(key, None)
        if doc_id is None:
            return
        doc = self._docs[doc_id]
        self._docs[doc_id] = None
        if doc is None:
            return
        for tid in doc.tokens:
            self._df[tid] -= 1
        self._dead_in_postings += len(doc.tokens)
        live = sum(self._df)
        if self._dead_in_postings > max(1000, live // 2):
            self._compact()

    def _compact(self) -> None:
        docs = self._docs
        for tid, plist in enumerate(self._postings):
            if len(plist) != self._df[tid]:
                self._postings[tid] = array("i", (d for d in plist if docs[d] is not None))
        self._dead_in_postings = 0

    # -- querying ----------------------------------------------------------------------
    def _candidates(self, norm: Normalized, k: int, top: int, min_count: int = 1) -> list[int]:
        """Ids sharing the most of the query's ``k`` rarest usable tokens."""
        tids = []
        max_df = min(self.max_df, max(1000, len(self._ids) // 50))
        for tok in dict.fromkeys(chain(norm.title_tokens, norm.body_tokens)):
            tid = self._token_ids.get(tok)
            if tid is not None and 0 < self._df[tid] <= max_df:
                tids.append(tid)
        if not tids:
            return []
        title_set = {self._token_ids.get(t) for t in norm.title_tokens}
        # Rarest first, but always keep the title's own rare words in the probe.
        tids.sort(key=self._df.__getitem__)
        chosen = [t for t in tids if t in title_set][: max(2, k // 2)]
        for t in tids:
            if len(chosen) >= k:
                break
            if t not in chosen:
                chosen.append(t)
        postings = self._postings
        counts = Counter(chain.from_iterable(postings[t] for t in chosen))
        # Title words count double so a shared place name outranks shared filler.
        counts.update(chain.from_iterable(postings[t] for t in chosen if t in title_set))
        return [d for d, c in counts.most_common(top) if c >= min_count]

    def _score(
        self, norm: Normalized, probe: bool, doc: _Doc, cutoff: float | None = None
    ) -> float:
        if probe != doc.probe:
            return 0.0  # probes never match real proposals
        return score_learned(norm, doc.norm, self._current_idf(), self.names.is_name, cutoff)

    def query(
        self,
        title: str,
        body: str = "",
        *,
        limit: int = 5,
        exclude: str | None = None,
        min_score: float | None = None,
    ) -> list[Match]:
        """Best matches for an idea, best first, scoring at least the threshold."""
        cutoff = self.threshold if min_score is None else min_score
        norm = normalize_idea(title, body)
        probe = looks_like_probe(title, body)
        out = []
        for doc_id in self._candidates(norm, self.probe_tokens, self.rescore):
            doc = self._docs[doc_id]
            if doc is None or doc.key == exclude or doc.probe != probe:
                continue
            s = self._score(norm, probe, doc, cutoff)
            if s >= cutoff:
                out.append(Match(doc.key, round(s, 1)))
        out.sort(key=lambda m: (-m.score, m.key))
        return out[:limit]

    def score_to(self, title: str, body: str, key: str) -> float:
        """Score a text against one indexed idea (0 when ``key`` is not indexed)."""
        doc_id = self._ids.get(key)
        doc = self._docs[doc_id] if doc_id is not None else None
        if doc is None:
            return 0.0
        return round(
            self._score(normalize_idea(title, body), looks_like_probe(title, body), doc), 1
        )

    def search(self, text: str, *, limit: int = 10, exclude: str | None = None) -> list[str]:
        """Keys of the ideas that contain every word of ``text`` (normalised like the ideas:
        case, accents and endings do not matter), those with the words in their title first.

        For a person looking for a duplicate the scorer missed: rewordings such as "Zona SER
        en Zofío" / "Aparcamiento para residentes del barrio Zofío" share a place name, not
        their wording (docs/matcher.md).
        """
        words = list(dict.fromkeys(text_tokens(text)))
        tids = [self._token_ids.get(tok) for tok in words]
        if not tids or None in tids:
            return []
        docs = self._docs
        found: set[int] | None = None
        known = cast(list[int], tids)  # no None left (checked above)
        for tid in sorted(known, key=self._df.__getitem__):  # rarest first: smallest sets
            postings = self._postings[tid]
            found = set(postings) if found is None else found.intersection(postings)
            if not found:
                return []
        query_words = set(words)
        hits = []
        for doc_id in found or ():
            doc = docs[doc_id]
            if doc is not None and doc.key != exclude:
                in_title = len(query_words.intersection(doc.norm.title_tokens))
                hits.append((-in_title, -doc_id, doc.key))  # then the newest first
        hits.sort()
        return [key for _, _, key in hits[:limit]]

    def pairs(self, progress: ProgressFn | None = None, *, rescore: int = 6):
        """Yield ``(key_a, key_b, score)`` for candidate pairs at or above the threshold.

        Pairs already joined through other pairs are skipped (clustering needs only one
        path), which is what makes all-pairs over 100k ideas feasible.
        """
        parent = list(range(len(self._docs)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        total = len(self._docs)
        k = max(3, self.probe_tokens // 2)
        for i, doc in enumerate(self._docs):
            if progress is not None and i % 1000 == 0:
                progress(i, total)
            if doc is None:
                continue
            # Sharing one rare word is enough to be suggested in a query, but for the
            # all-pairs pass a candidate must share two (or be the only kind there is).
            need = 2 if len(doc.tokens) >= 4 else 1
            for j in self._candidates(doc.norm, k, rescore + 1, need):
                if j == i:
                    continue
                other = self._docs[j]
                if other is None:
                    continue
                ri, rj = find(i), find(j)
                if ri == rj:
                    continue
                s = self._score(doc.norm, doc.probe, other, self.threshold)
                if s >= self.threshold:
                    parent[ri] = rj
                    yield doc.key, other.key, s
        if progress is not None:
            progress(total, total)

    def clusters(self, progress: ProgressFn | None = None) -> list[list[str]]:
        """All duplicate clusters (size >= 2), each sorted, largest first."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.get(x, x) != x:
                parent[x] = parent.get(parent[x], parent[x])
                x = parent[x]
            return x

        for a, b, _ in self.pairs(progress):
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
        groups: dict[str, list[str]] = {}
        for key in parent:
            groups.setdefault(find(key), []).append(key)
        out = [sorted(g) for g in groups.values() if len(g) >= 2]
        out.sort(key=lambda g: (-len(g), g[0]))
        return out


def score_pair(title_a: str, body_a: str, title_b: str, body_b: str, index=None) -> float:
    """Score two ideas directly (0..100). IDF and place names come from ``index``.

    Without an index every word is equally rare and names are learnt from the two texts
    alone: a rough approximation, for tests and one-off checks; the product always scores
    within an index of the forum's ideas.
    """
    na, nb = normalize_idea(title_a, body_a), normalize_idea(title_b, body_b)
    if looks_like_probe(title_a, body_a) != looks_like_probe(title_b, body_b):
        return 0.0
    if index is not None:
        idf, names = index._current_idf(), index.names
    else:
        idf, names = make_idf(lambda tok: 0, 1000), NameStats()
        names.observe(title_a, body_a, title_b, body_b)
    return score_learned(na, nb, idf, names.is_name)


def find_clusters(
    rows: Iterable[tuple[str, str, str]],
    threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressFn | None = None,
) -> list[list[str]]:
    """Duplicate clusters among ``(key, title, body)`` rows."""
    index = DuplicateIndex(threshold)
    for key, title, body in rows:
        index.add(key, title, body)
    return index.clusters(progress)
