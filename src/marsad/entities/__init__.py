"""Entities: NER (``marsad.entities.ner``), the actor registry, coreference, roles and the ``entities`` stage.

Kept light on purpose: importing this package loads nothing; the registry and the NER model are loaded on first use.
"""
