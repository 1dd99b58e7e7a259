"""Optional backend: a Hugging Face token-classification model from a local folder (no hub access).

Sentences are cut into chunks of ``max_words`` words; words whose pieces fall beyond the model's maximum length
are left ``O``. Word pieces are mapped back to our tokens through the fast tokenizer's ``word_ids``: each token takes the label of
its first piece (the usual convention for BERT-style NER fine-tuning). Label names are folded into ours with
:func:`marsad.entities.ner.corpus.map_label`, so a model trained on ANERcorp's ``B-PERS`` gives ``B-PER``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from marsad.entities.ner.corpus import map_label, repair_bio
from marsad.errors import InputError, MissingDependency


class TransformersTagger:
    backend = "transformers"

    def __init__(self, model_dir: Path | str, *, batch_size: int = 16, max_words: int = 120) -> None:
        try:
            import torch
            from transformers import AutoModelForTokenClassification, AutoTokenizer
        except ImportError as e:  # torch or transformers absent
            raise MissingDependency(
                "the transformers NER backend", "transformers", e.name or "transformers"
            ) from e
        self.model_dir = Path(model_dir)
        if not (self.model_dir / "config.json").is_file():
            raise InputError(f"no Hugging Face model (config.json) in {self.model_dir}")
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(self.model_dir), local_files_only=True)
        if not getattr(self.tokenizer, "is_fast", False):
            raise InputError(
                f"the tokenizer in {self.model_dir} is not a fast tokenizer (word_ids are needed)"
            )
        self.model = AutoModelForTokenClassification.from_pretrained(
            str(self.model_dir), local_files_only=True
        )
        self.model.eval()
        self.id2label = {int(i): map_label(str(lab)) for i, lab in self.model.config.id2label.items()}
        self.batch_size = batch_size
        # The tokenizer's model_max_length is often a placeholder (1e30); the position table is the real limit.
        limits = [getattr(self.model.config, "max_position_embeddings", 512), 512]
        if 0 < getattr(self.tokenizer, "model_max_length", 0) < 100_000:
            limits.append(self.tokenizer.model_max_length)
        self.max_length = min(limits)
        self.max_words = max_words
        # Fast tokenizers raise "Already borrowed" when shared between threads; one lock keeps inference simple.
        self._lock = threading.Lock()

    def _chunks(self, sentences: Sequence[Sequence[str]]) -> list[tuple[int, int, list[str]]]:
        out = []
        for si, toks in enumerate(sentences):
            for start in range(0, len(toks), self.max_words):
                out.append((si, start, list(toks[start : start + self.max_words])))
        return out

    def tag(self, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
        result = [["O"] * len(s) for s in sentences]
        chunks = self._chunks(sentences)
        with self._lock, self._torch.inference_mode():
            for b in range(0, len(chunks), self.batch_size):
                batch = chunks[b : b + self.batch_size]
                enc = self.tokenizer(
                    [c[2] for c in batch],
                    is_split_into_words=True,
                    truncation=True,
                    max_length=self.max_length,
                    padding=True,
                    return_tensors="pt",
                )
                logits = self.model(
                    **{k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
                ).logits
                pred = logits.argmax(-1).tolist()
                for j, (si, start, _) in enumerate(batch):
                    seen: set[int] = set()
                    for pos, wid in enumerate(enc.word_ids(j)):
                        if wid is None or wid in seen:
                            continue
                        seen.add(wid)
                        result[si][start + wid] = self.id2label.get(pred[j][pos], "O")
        return [repair_bio(r) for r in result]
