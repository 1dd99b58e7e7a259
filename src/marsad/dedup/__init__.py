"""Near-duplicates, wire copies and stories (issue 6).

The store loads :class:`marsad.dedup.hook.DedupHook`, which indexes each stored article (MinHash LSH band keys,
top content terms) in the same SQLite file and links it to its copies and its story. Read back with
:func:`describe` (one article), :func:`list_stories` and :func:`story`.
"""

from __future__ import annotations

from marsad.dedup.query import describe, groups, list_stories, story, story_of

__all__ = ["describe", "groups", "list_stories", "story", "story_of"]
