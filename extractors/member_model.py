"""The membership model: weights over evidence ids (``data/membership_model.json``, fitted
by ``make train``) that turn a candidate's evidence into a confidence.

A logistic regression: confidence = 1 / (1 + exp(-(intercept + sum of the weights of the
evidence ids that fired))). An id the model has no weight for counts 0.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).resolve().parent / "data" / "membership_model.json"  # not via extractors.nlp: no spaCy here
DEFAULT_MIN_CONFIDENCE = 0.6   # rows under it go to membership_candidates: the best pooled leave-one-document-out F1 of 0.3-0.7


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def confidence(evidence_ids, model: dict | None = None) -> float:
    model = load_model() if model is None else model
    weights = model["weights"]
    # fsum is exact, so the sum does not depend on the set's order, which changes with the
    # process's string hashing: two candidates whose weights tie exactly no longer won in
    # turn from one run to the next (a row's mention, evidence and spans changed)
    z = math.fsum([model["intercept"], *(weights.get(i, 0.0) for i in set(evidence_ids))])
    return 1.0 / (1.0 + math.exp(-z))


def strongest(evidence_ids, model: dict | None = None) -> str | None:
    """The evidence id with the largest positive weight (what the row rests on most)."""
    weights = (load_model() if model is None else model)["weights"]
    fired = [(weights.get(i, 0.0), i) for i in evidence_ids]
    best = max(fired, default=(0.0, None))
    return best[1] if best[0] > 0 else None
