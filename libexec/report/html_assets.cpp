#include "libexec/report/html_assets.hpp"

#include <initializer_list>

namespace execsim::cli {

namespace {

/// The IIFE's start: time formatting and SVG helpers.
const char* format_js() {
  return R"js(
(function () {
  'use strict';
  var LEFT = 170, PAD = 14, HOURS10 = 36e12, MIN_SPAN = 10;
  // As the text report prints times (format_duration): 0s, 750ns, 1.5us,
  // 520ms, 1.52s.
  function fmtDur(ns) {
    ns = Math.round(ns);
    if (ns === 0) return '0s';
    var sign = ns < 0 ? '-' : '', mag = Math.abs(ns);
    function unit(per, digits, u) {
      var whole = Math.floor(mag / per), frac = mag - whole * per;
      if (frac === 0) return sign + whole + u;
      var d = String(frac);
      while (d.length < digits) d = '0' + d;
      return sign + whole + '.' + d.replace(/0+$/, '') + u;
    }
    if (mag >= 1e9) return unit(1e9, 9, 's');
    if (mag >= 1e6) return unit(1e6, 6, 'ms');
    if (mag >= 1e3) return unit(1e3, 3, 'us');
    return sign + mag + 'ns';
  }
  function niceStep(raw) {
    var p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1))));
    var ms = [1, 2, 5, 10];
    for (var i = 0; i < ms.length; ++i)
      if (ms[i] * p >= raw) return Math.max(1, ms[i] * p);
    return 10 * p;
  }
  function clampX(x) { return Math.max(-1e6, Math.min(1e6, x)); }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function make(tag, attrs, text) {
    var el = document.createElementNS(SVGNS, tag);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    if (text !== undefined) el.textContent = text;
    return el;
  }

)js";
}

/// A chart: its marks, view and zoom.
const char* chart_js() {
  return R"js(
  function Chart(box) {
    this.box = box;
    this.svg = box.querySelector('svg.timeline');
    this.marks = Array.prototype.slice.call(
      this.svg.querySelectorAll('[data-t0]'));
    this.detail = box.querySelector('pre.detail');
    this.range = box.querySelector('.range');
    var end = 0;
    this.marks.forEach(function (m) {
      end = Math.max(end, Number(m.getAttribute('data-t0')),
                     Number(m.getAttribute('data-t1') || 0));
    });
    this.end = end;
    this.fit();
  }
  Chart.prototype.fit = function () {
    this.v0 = 0;
    this.v1 = this.end > 0 ? this.end * 1.04 : 1000;
  };
  // Read once per layout: reading it after each change forces a reflow.
  Chart.prototype.measure = function () {
    this.w = Math.max(600, this.box.clientWidth - 14);
    return this.w;
  };
  Chart.prototype.x = function (t) {
    var r = this.w - PAD;
    return LEFT + (t - this.v0) / (this.v1 - this.v0) * (r - LEFT);
  };
  Chart.prototype.timeAt = function (px) {
    var r = this.w - PAD;
    return this.v0 + (px - LEFT) / (r - LEFT) * (this.v1 - this.v0);
  };
  Chart.prototype.zoom = function (factor, center) {
    var span = this.v1 - this.v0;
    var next = Math.min(Math.max(span * factor, MIN_SPAN),
                        Math.max(HOURS10, this.end * 1.1));
    if (center === undefined) center = (this.v0 + this.v1) / 2;
    this.v0 = center - (center - this.v0) * next / span;
    this.v1 = this.v0 + next;
    this.layout();
  };
)js";
}

/// Axis and layout: every mark moved to its time.
const char* layout_js() {
  return R"js(
  Chart.prototype.axis = function (w, h) {
    var g = this.svg.querySelector('g.axis');
    while (g.firstChild) g.removeChild(g.firstChild);
    var span = this.v1 - this.v0;
    var step = niceStep(span / (w - PAD - LEFT) * 110);
    for (var t = Math.ceil(this.v0 / step) * step, n = 0;
         t <= this.v1 && n < 60; t += step, ++n) {
      var x = this.x(t);
      g.appendChild(make('line', {x1: x, y1: 18, x2: x, y2: h}));
      g.appendChild(make('text', {x: x + 2, y: 14}, fmtDur(t)));
    }
  };
  Chart.prototype.layout = function () {
    var w = this.measure(), h = Number(this.svg.getAttribute('height'));
    var self = this;
    this.svg.setAttribute('width', w);
    var clip = this.svg.querySelector('rect.clip');
    clip.setAttribute('x', LEFT - 8);
    clip.setAttribute('width', w - LEFT + 8);
    this.svg.querySelectorAll('.lane-line').forEach(function (l) {
      l.setAttribute('x1', LEFT - 8);
      l.setAttribute('x2', w - PAD);
    });
    this.marks.forEach(function (m) {
      var x0 = clampX(self.x(Number(m.getAttribute('data-t0'))));
      var t1 = m.getAttribute('data-t1');
      var x1 = t1 === null ? x0 : clampX(self.x(Number(t1)));
      var tag = m.tagName.toLowerCase();
      if (tag === 'line') {
        m.setAttribute('x1', x0);
        m.setAttribute('x2', x1);
      } else if (tag === 'rect') {
        m.setAttribute('x', x0);
        m.setAttribute('width', Math.max(2, x1 - x0));
      } else {
        m.setAttribute('transform', 'translate(' + x0 + ',0)');
      }
    });
    this.axis(w, h);
    this.range.textContent = fmtDur(this.v0) + ' to ' + fmtDur(this.v1) +
      ' (span ' + fmtDur(this.v1 - this.v0) + ')';
  };
)js";
}

/// Wheel, drag, click and the zoom buttons.
const char* bind_js() {
  return R"js(
  Chart.prototype.bind = function () {
    var self = this, svg = this.svg, drag = null;
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var px = ev.clientX - svg.getBoundingClientRect().left;
      self.zoom(ev.deltaY > 0 ? 1.25 : 0.8, self.timeAt(px));
    }, {passive: false});
    svg.addEventListener('mousedown', function (ev) {
      drag = {x: ev.clientX, v0: self.v0, v1: self.v1};
    });
    window.addEventListener('mouseup', function () { drag = null; });
    svg.addEventListener('mousemove', function (ev) {
      if (!drag) return;
      var dt = self.timeAt(ev.clientX) - self.timeAt(drag.x);
      self.v0 = drag.v0 - dt;
      self.v1 = drag.v1 - dt;
      self.layout();
    });
    svg.addEventListener('click', function (ev) {
      var m = ev.target.closest('[data-kind]');
      if (!m) return;
      svg.querySelectorAll('.picked').forEach(function (p) {
        p.classList.remove('picked');
      });
      m.classList.add('picked');
      var title = m.querySelector('title');
      self.detail.textContent = title ? title.textContent : '';
    });
    this.box.querySelectorAll('[data-zoom]').forEach(function (b) {
      b.addEventListener('click', function () {
        var z = b.getAttribute('data-zoom');
        if (z === 'fit') { self.fit(); self.layout(); }
        else self.zoom(z === 'in' ? 0.5 : 2);
      });
    });
  };

)js";
}

/// Every chart on the page (in the view the URL asks for), then
/// data-ready.
const char* start_js() {
  return R"js(
  // A link may open a view: page.html#view=FROM,TO (nanoseconds).
  var view = /^#view=(-?\d+),(-?\d+)$/.exec(window.location.hash);
  var charts = [];
  document.querySelectorAll('div.chart').forEach(function (box) {
    var c = new Chart(box);
    if (view && Number(view[2]) - Number(view[1]) >= MIN_SPAN) {
      c.v0 = Number(view[1]);
      c.v1 = Number(view[2]);
    }
    c.layout();
    c.bind();
    charts.push(c);
    // A click on a line of the text timeline centres the drawing there.
    var section = box.closest('section');
    if (!section) return;
    section.querySelectorAll('tr[data-at]').forEach(function (row) {
      row.addEventListener('click', function () {
        var span = c.v1 - c.v0, at = Number(row.getAttribute('data-at'));
        c.v0 = at - span / 2;
        c.v1 = at + span / 2;
        c.layout();
        box.scrollIntoView({block: 'nearest'});
      });
    });
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.layout(); });
  });
  document.body.setAttribute('data-ready', '1');
})();
)js";
}

} // namespace

const char* html_style() {
  return R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1d1d1f; }
h1 { font-size: 20px; } h2 { font-size: 17px; margin-top: 28px; }
h3 { font-size: 15px; margin: 14px 0 4px; }
table.header td:first-child, table.groups th { text-align: left;
  color: #555; padding-right: 12px; }
table.groups td, table.groups th { padding: 2px 10px 2px 0;
  vertical-align: top; }
code, pre, .mono { font-family: ui-monospace, monospace; font-size: 12px; }
.order-result.ok b { color: #1a7f37; } .order-result.failed b,
.order-result.none b { color: #c92a2a; }
.violation { color: #c92a2a; font-weight: 600; }
.chart { border: 1px solid #ccc; border-radius: 4px; padding: 6px;
  margin: 8px 0; overflow: hidden; }
.tools button { font: inherit; margin-right: 4px; min-width: 32px; }
.tools .range { margin-left: 10px; color: #555; }
.legend span { margin-right: 14px; white-space: nowrap; }
.legend i { display: inline-block; width: 14px; height: 8px;
  margin-right: 4px; vertical-align: middle; }
pre.detail { background: #f6f8fa; padding: 6px; margin: 6px 0 0;
  white-space: pre-wrap; min-height: 2.6em; }
#js-errors { background: #ffe3e3; color: #c92a2a; padding: 6px; }
svg.timeline { display: block; user-select: none; cursor: grab; }
svg.timeline text { font: 11px ui-monospace, monospace; fill: #333; }
.lane-line { stroke: #ddd; }
.lane-name { font-weight: 600; }
.axis line { stroke: #eee; } .axis text { fill: #777; }
.arrow { stroke: #4263eb; stroke-width: 1.2; }
.arrow.self { stroke: #868e96; }
path.head { fill: #4263eb; }
.lost line, .lost path { stroke: #e8590c; stroke-width: 1.6; fill: none; }
.lost text, .fault text { fill: #e8590c !important; }
.fault path { fill: #e8590c; }
.bar.attempt { fill: #74c0fc; } .bar.check { fill: #b197fc; }
.bar.backoff { fill: #dee2e6; }
.fill circle { fill: #2f9e44; }
.event rect { fill: #1098ad; }
.result path.ok { fill: #2f9e44; } .result path.failed { fill: #c92a2a; }
.picked line, .picked path, .picked circle, .picked rect, line.picked,
rect.picked { stroke: #000 !important; stroke-width: 2.5 !important; }
details.timelines summary { font-weight: 600; margin: 14px 0 4px;
  cursor: pointer; }
table.entries { border-collapse: collapse; margin-bottom: 10px; }
table.entries caption { text-align: left; font-weight: 600; }
table.entries td { padding: 0 10px 0 0; font-family: ui-monospace, monospace;
  font-size: 12px; }
table.entries td.t { text-align: right; color: #555; }
table.entries tr[data-at] { cursor: pointer; }
table.entries tr[data-at]:hover { background: #f1f3f5; }
)css";
}

const char* html_error_script() {
  return R"js(
window.execsimErrors = [];
window.addEventListener('error', function (ev) {
  window.execsimErrors.push(String(ev.message));
  var box = document.getElementById('js-errors');
  if (box) {
    box.hidden = false;
    box.textContent = window.execsimErrors.join('\n');
    box.setAttribute('data-errors', String(window.execsimErrors.length));
  }
});
)js";
}

std::string html_script() {
  std::string js;
  for (const char* part : {format_js(), chart_js(), layout_js(), bind_js(),
                           start_js()})
    js += part;
  return js;
}

} // namespace execsim::cli
