// marsad map: events of a search by where they happened, and the places its articles name, drawn with the
// vendored echarts over the vendored world outline (GeoJSON from /api/map/world.geojson). Nothing is fetched
// from another origin; text from the data reaches the DOM only through textContent.
(function () {
  'use strict';
  var FONT = "'Noto Sans Arabic', system-ui, sans-serif";

  function getJSON(url) {
    return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  function qs(params) {
    return Object.keys(params).map(function (k) {
      return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
    }).join('&');
  }

  function fillList(ol, rows, label) {
    ol.replaceChildren();
    rows.slice(0, 30).forEach(function (r) {
      var li = document.createElement('li');
      var name = document.createElement('bdi');
      name.textContent = label(r);
      var n = document.createElement('span');
      n.className = 'n';
      n.textContent = ' ' + r.count;
      li.appendChild(name);
      li.appendChild(n);
      ol.appendChild(li);
    });
    if (!rows.length) {
      var li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'لا شيء';
      ol.appendChild(li);
    }
  }

  function draw(chart, el, data, what) {
    var part = data[what];
    var places = part.by_place;
    var countries = part.by_country;
    var max = countries.reduce(function (m, c) { return Math.max(m, c.count); }, 1);
    var pmax = places.reduce(function (m, p) { return Math.max(m, p.count); }, 1);
    // countries shaded by their count (a light-to-dark teal ramp), the places as markers sized by theirs
    var regions = countries.map(function (c) {
      var t = Math.sqrt(c.count / max);
      var g = Math.round(241 - t * (241 - 110)), b = Math.round(240 - t * (240 - 105)), r = Math.round(232 - t * (232 - 11));
      return { name: c.country, itemStyle: { areaColor: 'rgb(' + r + ',' + g + ',' + b + ')' } };
    });
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'item', renderMode: 'richText',
        formatter: function (p) { return p.seriesType === 'scatter' ? p.name + ': ' + p.value[2] : p.name; } },
      geo: { map: 'world', roam: true, itemStyle: { areaColor: '#f3f3f0', borderColor: '#999' },
        emphasis: { label: { show: false } }, regions: regions },
      series: [
        { type: 'scatter', coordinateSystem: 'geo', name: 'places', itemStyle: { color: '#d1495b', opacity: 0.85 },
          symbolSize: function (v) { return 6 + 18 * Math.sqrt(v[2] / pmax); },
          data: places.map(function (p) { return { name: p.name_ar || p.name, value: [p.lon, p.lat, p.count] }; }) }
      ]
    }, true);
    el.setAttribute('data-markers', String(places.length));
    el.setAttribute('data-ready', places.length ? 'ready' : 'empty');
    fillList(document.getElementById('map-places'), places, function (p) {
      return (p.name_ar || p.name) + ' (' + (p.country || '—') + ')';
    });
    fillList(document.getElementById('map-countries'), countries, function (c) { return c.country; });
  }

  function init() {
    var el = document.getElementById('map');
    if (!el || typeof echarts === 'undefined') { return; }
    var params = JSON.parse(el.getAttribute('data-params') || '{}');
    Promise.all([getJSON('/api/map/world.geojson'), getJSON('/api/map/places?' + qs(params))]).then(function (res) {
      echarts.registerMap('world', res[0]);
      // SVG renderer: each marker is an element of the page (tests and assistive tools can find them)
      var chart = echarts.init(el, null, { renderer: 'svg' });
      var what = 'events';
      draw(chart, el, res[1], what);
      document.querySelectorAll('input[name="map-what"]').forEach(function (r) {
        r.addEventListener('change', function () { if (r.checked) { draw(chart, el, res[1], r.value); } });
      });
      window.addEventListener('resize', function () { chart.resize(); });
    }).catch(function (e) {
      var p = document.createElement('p');
      p.className = 'chart-empty';
      p.textContent = 'تعذّر تحميل الخريطة (' + e.message + ').';
      el.replaceChildren(p);
      el.setAttribute('data-ready', 'error');
    });
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
}());
