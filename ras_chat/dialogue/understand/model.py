"""The trained part: character and word n-gram TF-IDF with a logistic regression.

scikit-learn is imported here only, and only when a model is first trained or loaded
from the cache (never when the dialogue package is imported). One small model is
trained per kind of question, on first use, and kept in the user's cache folder keyed by
the examples file's SHA-256: a damaged, stale or foreign cache file is ignored and
replaced.

Each text reaches the model as two views joined by a tab: the plain words (for the
character n-grams, which are kind to typos) and the same words with negation marked
("i dont not_see not_friends", for the word n-grams), so "no help" and "help" differ.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

CACHE_FORMAT = 3
CACHE_ENV = "RAS_CHAT_CACHE_DIR"
"""A folder for trained models (tests point it at a temporary folder); default: the
user cache folder of ras-chat (platformdirs)."""


def plain_view(text: str) -> str:
    return text.split("\t", 1)[0]


def marked_view(text: str) -> str:
    parts = text.split("\t", 1)
    return parts[1] if len(parts) > 1 else parts[0]


def default_cache_dir(chosen: str | None = None) -> Path | None:
    """`chosen`, else the command's `RAS_CHAT_CACHE_DIR` (`ras_chat.environment`), else the user cache folder."""
    if chosen is None:
        from ras_chat.environment import quick

        chosen = quick().cache_dir
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("ras-chat", appauthor=False))


@dataclass
class TextModel:
    """A trained classifier over a few classes; `scores(texts)` gives each text's
    probability for each class.

    Reading uses a plain-Python copy of what the fitted pipeline computes (the same
    analyzers, TF-IDF weights, L2 norm per view, weights and softmax), because
    scikit-learn's per-call checks cost milliseconds on a one-line answer. A test
    checks the two give the same probabilities."""

    classes: tuple[str, ...]
    pipeline: object
    seconds: float = 0.0
    _fast: tuple | None = None

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_fast"] = None  # rebuilt after loading (the analyzers are closures)
        return state

    def _build(self) -> tuple:
        import numpy as np

        features = self.pipeline.named_steps["features"]  # type: ignore[attr-defined]
        clf = self.pipeline.named_steps["clf"]  # type: ignore[attr-defined]
        views = []
        offset = 0
        for _name, vec in features.transformer_list:
            vocab = vec.vocabulary_
            if vec.analyzer == "char_wb":
                analyze = _char_wb(vec.ngram_range)
            else:
                analyze = _words(vec.ngram_range)
            views.append((analyze, vocab, list(vec.idf_), offset))
            offset += len(vocab)
        coef = np.ascontiguousarray(clf.coef_.T)  # (features, classes or 1)
        return views, coef, clf.intercept_.copy(), len(clf.classes_)

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        import math

        import numpy as np

        if self._fast is None:
            self._fast = self._build()
        views, coef, intercept, n_classes = self._fast
        out = []
        for text in texts:
            idx: list[int] = []
            val: list[float] = []
            for analyze, vocab, idf, offset in views:
                # each distinct gram looked up once, in the order first met (so the sums
                # below add up in the same order, to the same last digit)
                counts: dict[int, int] = {}
                for gram, c in Counter(analyze(text)).items():
                    j = vocab.get(gram)
                    if j is not None:
                        counts[j] = c
                if not counts:
                    continue
                ws = [(j, (1.0 + math.log(c)) * idf[j]) for j, c in counts.items()]
                norm = math.sqrt(sum(w * w for _j, w in ws))
                for j, w in ws:
                    idx.append(offset + j)
                    val.append(w / norm)
            z = intercept + (np.asarray(val) @ coef[idx] if idx else 0.0)
            if n_classes == 2:
                p1 = 1.0 / (1.0 + math.exp(-float(np.ravel(z)[0])))
                probs = [1.0 - p1, p1]
            else:
                z = z - z.max()
                e = np.exp(z)
                probs = list(e / e.sum())
            out.append(dict(zip(self.classes, (float(p) for p in probs))))
        return out

    def slow_scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """The fitted pipeline's own `predict_proba` (to check `scores` against)."""
        probs = self.pipeline.predict_proba(list(texts))  # type: ignore[attr-defined]
        return [dict(zip(self.classes, (float(p) for p in row))) for row in probs]


def train(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None = None, *, c: float = 12.0) -> TextModel | None:
    """Train one model. None when there are fewer than two classes (nothing to choose)."""
    if len(set(labels)) < 2:
        return None
    t0 = time.perf_counter()
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1, preprocessor=plain_view, lowercase=False)),
            ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b", preprocessor=marked_view, lowercase=False)),
        ]
    )
    model = Pipeline([("features", features), ("clf", LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))])
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # a small problem: threads only fight over the 2 cores
        model.fit(list(texts), list(labels), clf__sample_weight=list(weights) if weights is not None else None)
    classes = tuple(str(x) for x in model.classes_)
    return TextModel(classes, model, time.perf_counter() - t0)


def training_key(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float] | None, c: float) -> str:
    """A hash of exactly what a model is trained on (so a change in the code that
    prepares the examples also makes the cache stale)."""
    import hashlib

    h = hashlib.sha256(f"{CACHE_FORMAT}|{c}".encode())
    for t, lab, w in zip(texts, labels, weights or [1.0] * len(texts)):
        h.update(f"{t}\x00{lab}\x00{w}\x01".encode())
    return h.hexdigest()


def _char_wb(ngram_range: tuple[int, int]) -> Callable[[str], list[str]]:
    """scikit-learn's `char_wb` analyzer on the plain view (no accents stripped, no lower
    casing: the text is normalised before it gets here)."""
    lo, hi = ngram_range

    def analyze(text: str) -> list[str]:
        out: list[str] = []
        for w in plain_view(text).split():
            w = f" {w} "
            n_len = len(w)
            for n in range(lo, hi + 1):
                offset = 0
                out.append(w[offset : offset + n])
                while offset + n < n_len:
                    offset += 1
                    out.append(w[offset : offset + n])
                if offset == 0:
                    break
        return out

    return analyze


def _words(ngram_range: tuple[int, int]) -> Callable[[str], list[str]]:
    """scikit-learn's word analyzer (token pattern `\\b\\w+\\b`) on the marked view."""
    import re

    token = re.compile(r"(?u)\b\w+\b")
    lo, hi = ngram_range

    def analyze(text: str) -> list[str]:
        tokens = token.findall(marked_view(text))
        if hi == 1:
            return tokens
        out = list(tokens) if lo == 1 else []
        n_tok = len(tokens)
        for n in range(max(lo, 2), min(hi, n_tok) + 1):
            for i in range(n_tok - n + 1):
                out.append(" ".join(tokens[i : i + n]))
        return out

    return analyze


class ModelCache:
    """Trained models on disk, one file per kind of question, keyed by the examples
    file's hash (and the hash of the training set itself). Anything wrong with a file (damaged, another format or scikit-learn
    version, another examples file) means it is trained again and written afresh."""

    def __init__(self, folder: Path | None, digest: str) -> None:
        self.folder = folder
        self.digest = digest
        self._lock = threading.Lock()

    def _path(self, name: str) -> Path | None:
        if self.folder is None:
            return None
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
        return self.folder / "understand" / f"{self.digest[:20]}-{safe}.pickle"

    def get(self, name: str, key: str = "") -> TextModel | None | bool:
        """The cached model, None when the cache says "no model" (one class), False when
        there is nothing usable."""
        path = self._path(name)
        if path is None or not path.is_file():
            return False
        try:
            import sklearn

            with path.open("rb") as fh:
                blob = pickle.load(fh)  # the user's own cache folder; checked below
            if not isinstance(blob, dict) or blob.get("format") != CACHE_FORMAT:
                return False
            if blob.get("digest") != self.digest or blob.get("name") != name or blob.get("key") != key or blob.get("sklearn") != sklearn.__version__:
                return False
            model = blob.get("model")
            if model is None:
                return None
            if not isinstance(model, TextModel):
                return False
            return model
        except Exception:  # a damaged file of any kind: train again
            return False

    def put(self, name: str, model: TextModel | None, key: str = "") -> None:
        path = self._path(name)
        if path is None:
            return
        try:
            import sklearn

            path.parent.mkdir(parents=True, exist_ok=True)
            blob = {"format": CACHE_FORMAT, "digest": self.digest, "name": name, "key": key, "sklearn": sklearn.__version__, "model": model}
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(blob, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only or full cache folder only costs training time next start
