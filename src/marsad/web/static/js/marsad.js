// marsad web UI: draws the charts from the JSON API with the vendored echarts.
// No inline scripts (the Content-Security-Policy forbids them): pages mark chart containers with
// data-chart / data-src. Text from articles only reaches the DOM through textContent or echarts' canvas
// (tooltips use renderMode 'richText', so no HTML string is ever built from data).
(function () {
  'use strict';
  var COOP = '#2a9d5b', CONF = '#d1495b', ACCENT = '#0b6e69';
  var FONT = "'Noto Sans Arabic', system-ui, sans-serif";

  function empty(el, message) {
    var p = document.createElement('p');
    p.className = 'chart-empty';
    p.textContent = message;
    el.replaceChildren(p);
    el.setAttribute('data-ready', 'empty');
  }

  function getJSON(url) {
    return fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    });
  }

  function base() {
    return {
      // no growing animation: what a reader (or a screenshot) sees once the chart is marked ready is final
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 56, right: 30, top: 40, bottom: 40, containLabel: true }
    };
  }

  // Charts are drawn left to right (time runs that way on their axes): the container is dir=ltr, so a negative
  // value is "-20", not "20-" as an RTL canvas would write it.
  function init_chart(el) {
    el.setAttribute('dir', 'ltr');
    var old = echarts.getInstanceByDom(el);
    if (old) { old.dispose(); }
    return echarts.init(el, null, { renderer: 'canvas' });
  }

  function withParam(url, key, value) {
    return url + (url.indexOf('?') < 0 ? '?' : (/[?&]$/.test(url) ? '' : '&')) + key + '=' + encodeURIComponent(value);
  }

  function note(id, data) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = data.undated ? (data.undated + ' مقالة بلا تاريخ منشور لا تظهر على المحور الزمني (من ' +
      data.total + ').') : '';
  }

  var MEASURE_AR = { articles: 'مقالات', share: 'نسبة من إنتاج المصدر' };

  function measureOf() {
    var sel = document.getElementById('attention-measure');
    return sel ? sel.value : 'articles';
  }

  function attention(el, data) {
    note('attention-note', data);
    if (!data.series.length) { return empty(el, 'لا تواريخ للنتائج.'); }
    var m = measureOf();
    var chart = init_chart(el);
    var opt = base();
    opt.title = { text: 'كل المصادر: ' + MEASURE_AR[m], left: 'center', textStyle: { fontSize: 13, fontFamily: FONT } };
    opt.xAxis = { type: 'category', data: data.buckets };
    opt.yAxis = { type: 'value', minInterval: m === 'share' ? 0 : 1 };
    opt.series = [{ type: 'bar', name: MEASURE_AR[m], itemStyle: { color: ACCENT },
      data: data.series.map(function (d) { return m === 'share' ? d.share : d.articles; }) }];
    chart.setOption(opt);
    return chart;
  }

  function attentionSources(el, data) {
    if (!data.sources.length || !data.series.length) { return empty(el, 'لا مصادر.'); }
    var m = measureOf();
    var chart = init_chart(el);
    var opt = base();
    opt.title = { text: 'حسب المصدر: ' + MEASURE_AR[m], left: 'center', textStyle: { fontSize: 13, fontFamily: FONT } };
    opt.legend = { type: 'scroll', bottom: 0, textStyle: { fontFamily: FONT } };
    opt.grid.bottom = 60;
    opt.xAxis = { type: 'category', data: data.buckets };
    opt.yAxis = { type: 'value' };
    opt.series = data.sources.map(function (s) {
      return { type: 'line', name: s.source, showSymbol: data.buckets.length < 60,
        data: m === 'share' ? s.share : s.articles };
    });
    chart.setOption(opt);
    return chart;
  }

  function actorTimeline(el, data) {
    note('actor-timeline-note', data);
    if (!data.series.length) { return empty(el, 'لا تواريخ بعد.'); }
    var chart = init_chart(el);
    var opt = base();
    opt.xAxis = { type: 'category', data: data.series.map(function (d) { return d.bucket; }) };
    opt.yAxis = { type: 'value', minInterval: 1 };
    opt.series = [{ type: 'bar', name: 'مقالات', data: data.series.map(function (d) { return d.articles; }),
      itemStyle: { color: ACCENT } }];
    chart.setOption(opt);
    return chart;
  }

  function relations(el, data) {
    if (!data.series.length) { return empty(el, 'لا أحداث بين الطرفين.'); }
    var chart = init_chart(el);
    var x = data.series.map(function (d) { return d.bucket; });
    var opt = base();
    opt.legend = { top: 5, data: ['تعاون', 'نزاع', 'متوسط غولدستين'] };
    opt.xAxis = { type: 'category', data: x };
    // conflict is drawn below the axis; its labels say how many events, without a sign
    opt.yAxis = [{ type: 'value', name: 'أحداث', minInterval: 1, axisLabel: { formatter: function (v) { return String(Math.abs(v)); } } },
      { type: 'value', name: 'غولدستين', min: -10, max: 10 }];
    opt.series = [
      { name: 'تعاون', type: 'bar', stack: 'n', itemStyle: { color: COOP },
        data: data.series.map(function (d) { return d.cooperation; }) },
      { name: 'نزاع', type: 'bar', stack: 'n', itemStyle: { color: CONF },
        data: data.series.map(function (d) { return -d.conflict; }) },
      { name: 'متوسط غولدستين', type: 'line', yAxisIndex: 1, connectNulls: true, itemStyle: { color: '#555' },
        data: data.series.map(function (d) { return d.goldstein_mean; }) }
    ];
    chart.setOption(opt);
    return chart;
  }

  var GRAPH_NODES = 25, GRAPH_LABELS = 12;

  function shortName(s) { return s.length > 18 ? s.slice(0, 17) + '…' : s; }

  // A readable graph: the GRAPH_NODES heaviest actors, labels on the GRAPH_LABELS heaviest, and a layout that is
  // the same on every load (nodes start on a circle in weight order; the force layout itself draws no random
  // numbers once every node has a position).
  function graph(el, data) {
    if (!data.edges.length) { return empty(el, 'لا تفاعلات مسجّلة بعد.'); }
    var nodes = data.nodes.slice().sort(function (a, b) { return b.weight - a.weight || (a.id < b.id ? -1 : 1); })
      .slice(0, GRAPH_NODES);
    var keep = {};
    nodes.forEach(function (n) { keep[n.id] = true; });
    var edges = data.edges.filter(function (e) { return keep[e.source] && keep[e.target]; });
    var chart = init_chart(el);
    var maxW = Math.max.apply(null, nodes.map(function (n) { return n.weight; }).concat([1]));
    var maxE = Math.max.apply(null, edges.map(function (e) { return e.events; }).concat([1]));
    var colors = { PER: '#e39b2d', ORG: '#3b7dd8', GPE: '#2a9d5b', LOC: '#8e6bd8', MISC: '#888' };
    var names = {};
    nodes.forEach(function (n) { names[n.id] = n.name; });
    var R = 200;
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { renderMode: 'richText', formatter: function (p) {
        if (p.dataType === 'edge') {
          return p.data.sourceName + ' ↔ ' + p.data.targetName + '\n' + p.data.events + ' حدث: ' +
            p.data.cooperation + ' تعاون، ' + p.data.conflict + ' نزاع';
        }
        return p.data.fullName + ' (' + p.data.weight + ')';
      } },
      animation: false,
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true, zoom: 0.85,
        force: { repulsion: 260, edgeLength: [70, 150], gravity: 0.12, layoutAnimation: false, friction: 0.2 },
        emphasis: { focus: 'adjacency' },
        labelLayout: { hideOverlap: true },
        data: nodes.map(function (n, i) {
          var a = 2 * Math.PI * i / nodes.length;
          return { id: n.id, name: shortName(n.name), fullName: n.name, weight: n.weight,
            x: R * Math.cos(a), y: R * Math.sin(a),
            symbolSize: 10 + 30 * Math.sqrt(n.weight / maxW),
            label: { show: i < GRAPH_LABELS, position: 'bottom', fontFamily: FONT },
            itemStyle: { color: colors[n.type] || '#888' } };
        }),
        links: edges.map(function (e) {
          return { source: e.source, target: e.target, events: e.events, cooperation: e.cooperation,
            conflict: e.conflict, sourceName: names[e.source], targetName: names[e.target],
            lineStyle: { width: 1 + 6 * e.events / maxE, opacity: 0.7,
              color: e.cooperation > e.conflict ? COOP : (e.conflict > e.cooperation ? CONF : '#999') } };
        })
      }]
    });
    chart.on('click', function (p) {
      if (p.dataType === 'node') {
        window.location.href = '/actors/' + encodeURIComponent(p.data.id);
      } else if (p.dataType === 'edge') {
        window.location.href = '/relations?a=' + encodeURIComponent(p.data.source) + '&b=' +
          encodeURIComponent(p.data.target);
      }
    });
    return chart;
  }

  var DRAW = { 'actor-timeline': actorTimeline, relations: relations, graph: graph, attention: attention,
    'attention-sources': attentionSources };
  var charts = [];

  function draw(el) {
    var fn = DRAW[el.getAttribute('data-chart')];
    if (!fn) { return; }
    if (typeof echarts === 'undefined') { return empty(el, 'تعذّر تحميل مكتبة الرسوم.'); }
    var url = el.getAttribute('data-src');
    var by = el.getAttribute('data-by');
    if (by) { url = withParam(url, 'by', by); }
    el.removeAttribute('data-ready');
    getJSON(url).then(function (data) {
      el.__data = data;
      var chart = fn(el, data);
      if (chart) {
        charts.push(chart);
        chart.on('finished', function () { el.setAttribute('data-ready', 'chart'); });
        el.setAttribute('data-ready', 'chart');
      }
    }).catch(function () { empty(el, 'تعذّر تحميل البيانات.'); });
  }

  function redrawFromData(el) {
    var fn = DRAW[el.getAttribute('data-chart')];
    if (fn && el.__data) { fn(el, el.__data); el.setAttribute('data-ready', 'chart'); }
  }

  function controls() {
    var by = document.getElementById('attention-by');
    if (by) {
      by.addEventListener('change', function () {
        ['attention-chart', 'attention-sources'].forEach(function (id) {
          var el = document.getElementById(id);
          if (el) { el.setAttribute('data-by', by.value); draw(el); }
        });
      });
    }
    var measure = document.getElementById('attention-measure');
    if (measure) {
      measure.addEventListener('change', function () {
        ['attention-chart', 'attention-sources'].forEach(function (id) {
          var el = document.getElementById(id);
          if (el) { redrawFromData(el); }
        });
      });
    }
    document.querySelectorAll('select.timeline-by').forEach(function (sel) {
      sel.addEventListener('change', function () {
        var el = document.getElementById(sel.getAttribute('data-for'));
        if (el) { el.setAttribute('data-by', sel.value); draw(el); }
      });
    });
    var form = document.getElementById('save-search');
    if (form) {
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var out = document.getElementById('save-result');
        var body = { name: form.elements.name.value };
        new URLSearchParams(form.getAttribute('data-params') || '').forEach(function (v, k) { body[k] = v; });
        fetch('/api/saved-searches', { method: 'POST', credentials: 'same-origin',
          headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body)
        }).then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); }).then(function (res) {
          out.replaceChildren();
          if (!res[0]) { out.textContent = 'تعذّر الحفظ: ' + res[1].error.message; return; }
          out.append('حُفظ. ');
          var a = document.createElement('a');
          a.href = res[1].feed; a.id = 'saved-feed'; a.textContent = 'موجز Atom'; a.className = 'latin';
          var b = document.createElement('a');
          b.href = '/saved'; b.id = 'saved-list'; b.textContent = 'البحوث المحفوظة';
          out.append(a, ' · ', b);
        }).catch(function () { out.textContent = 'تعذّر الحفظ.'; });
      });
    }
  }

  function init() {
    document.querySelectorAll('[data-chart]').forEach(draw);
    controls();
    window.addEventListener('resize', function () { charts.forEach(function (c) { if (!c.isDisposed()) { c.resize(); } }); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
