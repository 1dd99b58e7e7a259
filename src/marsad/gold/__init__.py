"""Gold-annotated articles (``../shared/gold`` format): loading, alignment with marsad's output, scoring.

The scorer here follows the published scorer's rules exactly (``../shared/eval/score.py``; a test checks that both
give the same figures on the same output) so that ``marsad eval gold`` and the learned models' training labels
read the gold the way it is scored: entity links through mention strings, quotes by token coverage, events by
type and linked actors anywhere in the article.
"""

from marsad.gold.data import GoldDoc, load_gold
from marsad.gold.score import Scorer, score_docs

__all__ = ["GoldDoc", "Scorer", "load_gold", "score_docs"]
