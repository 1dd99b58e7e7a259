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
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 50, right: 30, top: 40, bottom: 40 }
    };
  }

  function actorTimeline(el, data) {
    if (!data.series.length) { return empty(el, 'لا تواريخ بعد.'); }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
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
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var x = data.series.map(function (d) { return d.bucket; });
    var opt = base();
    opt.legend = { top: 5, data: ['تعاون', 'نزاع', 'متوسط غولدستين'] };
    opt.xAxis = { type: 'category', data: x };
    opt.yAxis = [{ type: 'value', name: 'أحداث', minInterval: 1 }, { type: 'value', name: 'غولدستين', min: -10, max: 10 }];
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

  function graph(el, data) {
    if (!data.edges.length) { return empty(el, 'لا تفاعلات مسجّلة بعد.'); }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var maxW = Math.max.apply(null, data.nodes.map(function (n) { return n.weight; }).concat([1]));
    var maxE = Math.max.apply(null, data.edges.map(function (e) { return e.events; }).concat([1]));
    var colors = { PER: '#e39b2d', ORG: '#3b7dd8', GPE: '#2a9d5b', LOC: '#8e6bd8', MISC: '#888' };
    chart.setOption({
      textStyle: { fontFamily: FONT },
      tooltip: { renderMode: 'richText', formatter: function (p) {
        if (p.dataType === 'edge') {
          return p.data.sourceName + ' ↔ ' + p.data.targetName + '\n' + p.data.events + ' حدث: ' +
            p.data.cooperation + ' تعاون، ' + p.data.conflict + ' نزاع';
        }
        return p.data.name + ' (' + p.data.weight + ')';
      } },
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true,
        force: { repulsion: 220, edgeLength: [60, 160], gravity: 0.08 },
        label: { show: true, position: 'right', fontFamily: FONT },
        data: data.nodes.map(function (n) {
          return { id: n.id, name: n.name, weight: n.weight, symbolSize: 10 + 30 * Math.sqrt(n.weight / maxW),
            itemStyle: { color: colors[n.type] || '#888' } };
        }),
        links: data.edges.map(function (e) {
          var names = {};
          data.nodes.forEach(function (n) { names[n.id] = n.name; });
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

  var DRAW = { 'actor-timeline': actorTimeline, relations: relations, graph: graph };

  function init() {
    var charts = [];
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var draw = DRAW[el.getAttribute('data-chart')];
      if (!draw) { return; }
      if (typeof echarts === 'undefined') { return empty(el, 'تعذّر تحميل مكتبة الرسوم.'); }
      getJSON(el.getAttribute('data-src')).then(function (data) {
        var chart = draw(el, data);
        if (chart) {
          charts.push(chart);
          chart.on('finished', function () { el.setAttribute('data-ready', 'chart'); });
          el.setAttribute('data-ready', 'chart');
        }
      }).catch(function () { empty(el, 'تعذّر تحميل البيانات.'); });
    });
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
