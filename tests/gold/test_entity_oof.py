"""`eval gold --cv` and `train events|quotes` analyse every gold article with an entity keep/drop model trained
without it: no article's own entity labels reach the entities it is scored on (or that a model learns from)."""

from __future__ import annotations

import shutil

from marsad.learn.linear import group_folds


def _gold(shared, tmp_path, n=6):
    from marsad.gold import load_gold

    d = tmp_path / "gold"
    d.mkdir()
    for p in sorted((shared / "gold" / "train").glob("*.json"))[:n]:
        shutil.copy(p, d / p.name)
    return load_gold(d)


def test_each_article_is_decided_by_an_entity_model_that_did_not_learn_from_it(shared, tmp_path, monkeypatch):
    from marsad.entities import decide
    from marsad.entities.stage import EntityStage
    from marsad.gold import learn

    # twelve articles: with fewer, one fold's other articles hold no candidate to drop (nine sufficed before the tenth
    # entity pass, six before 0c47823's proposals)
    docs = _gold(shared, tmp_path, n=12)
    ids = {d.id for d in docs}
    learned_from: dict[int, set[str]] = {}  # id(model) -> ids of the articles whose labels it was fitted on
    real_fit = decide.fit_model

    def spy_fit(prepared, **kw):
        model = real_fit(prepared, **kw)
        learned_from[id(model)] = {p.id for p in prepared}
        return model

    deciders: dict[str, list[int]] = {}  # article text -> id(model) of every decision taken on it
    real_decide = EntityStage._decide

    def spy_decide(self, decider, text, units, entities):
        deciders.setdefault(text, []).append(id(decider))
        return real_decide(self, decider, text, units, entities)

    monkeypatch.setattr(decide, "fit_model", spy_fit)
    monkeypatch.setattr(EntityStage, "_decide", spy_decide)
    items, folds = learn.analyse_out_of_fold(docs, k=3, progress=print)

    assert folds == group_folds(sorted(ids), 3)  # the folds cross_validate / train_events are handed
    assert [str(it.gold["id"]) for it in items] == [d.id for d in docs]
    assert len(learned_from) == 3  # three real fold models (train articles have candidates to keep and to drop)
    for it in items:
        doc_id = str(it.gold["id"])
        held = next(f for f in folds if doc_id in f)
        used = deciders.get(it.article.text)
        assert used and len(used) == 1, "one entity decision per article, by a fold model"
        model = used[0]
        assert model in learned_from, "decided by the shipped model (trained on every train article), not a fold's"
        assert doc_id not in learned_from[model]
        assert learned_from[model] == ids - held  # the fold model learned from every other article
    assert any("p_keep" in e.attrs for it in items for e in it.article.entities)  # the fold models' decisions


def test_no_shipped_entity_model_means_rules_in_every_fold(shared, tmp_path, monkeypatch):
    from marsad.entities import decide
    from marsad.gold import learn

    docs = _gold(shared, tmp_path, n=12)
    monkeypatch.setattr(decide, "shipped_model", lambda: None)
    folds = group_folds([d.id for d in docs], 3)
    ents = learn.entity_fold_models(docs, folds)
    assert ents.models == [False, False, False]
    assert set(ents.by_doc()) == {d.id for d in docs}


def test_a_fold_with_nothing_to_drop_falls_back_to_the_rules(shared, tmp_path, monkeypatch):
    from marsad.entities import decide
    from marsad.gold import learn

    docs = _gold(shared, tmp_path, n=12)
    real = decide.analyse

    def all_kept(*a, **kw):  # as on a few well-covered articles: every labelled candidate is a gold entity
        out = real(*a, **kw)
        for p in out:
            p.labels = [None if lab is None else decide.KEEP for lab in p.labels]
        return out

    monkeypatch.setattr(decide, "analyse", all_kept)
    ents = learn.entity_fold_models(docs, group_folds([d.id for d in docs], 2))
    assert ents.models == [False, False] and ents.trained_on == [frozenset(), frozenset()]
