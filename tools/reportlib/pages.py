"""The report's HTML: an index with the summary table, and one self-contained page per
scenario (its story, its variants, plots over time side by side on shared axes, the
buggy and fixed series on one axis, the aligned residency maps, the RESULT keys side
by side, and the CHECK lines). No script, no external resource.
"""
from html import escape

from . import charts, logparse, maps

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:18px 24px;color:#212121;max-width:1500px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:22px 0 6px;border-bottom:1px solid #ccc}
h3{font-size:15px;margin:14px 0 4px}h4{margin:2px 0;font-size:14px}
pre.story{background:#f6f6f2;border-left:3px solid #999;padding:8px 10px;white-space:pre-wrap}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1b5e20;background:#e8f5e9}.fail{color:#b71c1c;background:#ffebee;font-weight:bold}
.ok{color:#1b5e20}.bad{color:#b71c1c;font-weight:bold}.note{color:#555;font-size:13px}
.row{display:flex;flex-wrap:wrap;gap:10px}.chartrow{width:fit-content;padding:0 6px 6px 0;background:#fff}.cell{flex:none}
svg.chart{background:#fff;border:1px solid #ddd}
svg .plot{fill:#fcfcfc;stroke:#999}svg .grid{stroke:#eee}svg .tick{font-size:10px;fill:#555}
svg .axis{font-size:11px;fill:#333}svg .ptitle{font-size:12px;font-weight:bold;fill:#222}
svg .series{fill:none;stroke-width:1.6}svg .series.sparse{stroke-width:1;stroke-dasharray:2 3}svg .seg{fill:none;stroke-width:1.6}svg .gc{stroke:#9e9e9e;stroke-width:1}
svg .gc.forced{stroke:#424242;stroke-dasharray:4 2}svg .phase{stroke:#8e24aa;stroke-dasharray:3 3}
svg .phasenum{font-size:10px;fill:#8e24aa;font-weight:bold}svg .endval{font-size:10px;font-weight:bold}svg .objedge{stroke:#fff;stroke-width:1.5}
ul.legend,ul.keys,ul.states{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:4px 16px}
.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px;border:1px solid #0003}
.swl{display:inline-block;width:18px;height:0;margin-right:4px;vertical-align:3px;border-top:2px solid}
ol.phases{margin:2px 0 0 18px;padding:0;font-size:12px;color:#4a148c}
.maps{display:flex;flex-wrap:wrap;gap:18px}.arena{margin:2px 0}.alabel{font-size:11px;color:#555;display:block}
nav a{margin-right:10px}
"""


def document(title, body):
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<link rel="icon" href="data:,"><title>%s</title><style>%s</style></head>'
            '<body>%s</body></html>\n' % (escape(title), CSS, body))


def page_name(scen):
    return "bug%02d.html" % scen.number


def checks_of(scen):
    passed = sum(1 for c in scen.checks if c[4] == "PASS")
    return passed, len(scen.checks) - passed


# ---- index ------------------------------------------------------------------------------

def index_html(run, source):
    rows = []
    for scen in run.scenarios.values():
        passed, failed = checks_of(scen)
        outcomes = " ".join('<span class="%s">%s:%s</span>' % (
            "ok" if v.outcome == outcome_wanted(scen, v) else "bad", escape(v.name),
            escape(v.outcome or "?")) for v in scen.variants.values())
        rows.append('<tr class="%s"><td class="num">%02d</td><td><a href="%s">%s</a></td><td>%s'
                    '</td><td>%s</td><td class="num">%d</td><td class="num %s">%d</td></tr>'
                    % ("fail" if failed else "", scen.number, page_name(scen), escape(scen.title),
                       escape(scen.family), "skipped: " + escape(scen.skipped) if scen.skipped
                       else outcomes, passed, "fail" if failed else "", failed))
    passed = sum(checks_of(s)[0] for s in run.scenarios.values())
    failed = sum(checks_of(s)[1] for s in run.scenarios.values())
    total = ('<p class="%s">%d passed, %d failed</p>' % ("fail" if failed else "pass", passed, failed))
    if run.total and run.total != (passed, failed):
        total += ('<p class="bad">the log\'s closing line says %d passed, %d failed</p>' % run.total)
    body = ('<h1>spanlab report</h1><p class="note">from <code>%s</code>%s</p>%s'
            '<table><tr><th>bug</th><th>scenario</th><th>family</th><th>variants: outcome</th>'
            '<th>passed</th><th>failed</th></tr>%s</table>%s'
            % (escape(source), " (command line <code>%s</code>)" % escape(run.cmdline)
               if run.cmdline else "", total, "".join(rows), how_to_read()))
    return document("spanlab report", body)


def outcome_wanted(scen, v):
    """What a variant's outcome CHECK expects (outcome_<variant>_is_<x>), else ok."""
    prefix = "outcome_%s_is_" % v.name
    for name, *_ in scen.checks:
        if name.startswith(prefix):
            return name[len(prefix):]
    return "ok"


def how_to_read():
    return ('<h2>Reading the pages</h2><p>Each scenario page plots its TRACE samples (option '
            '<code>trace=1</code>) over time: one panel per variant, every panel of a row on the '
            'same axes. Dots are samples, measured at that moment; lines only join them (dotted '
            'where samples in between did not count that series). Grey vertical lines are GC cycle '
            'ends (dashed: forced, runtime.GC or FreeOSMemory); purple numbered lines are the '
            'phases the scenario names, listed under each panel. Page counts are read from the '
            'page layer at GC ends and phases only. The residency maps are drawn on one scale for '
            'every variant of a scenario.</p>')


# ---- a scenario page -----------------------------------------------------------------------

def legend(kind, above):
    items = ['<li><span class="swl" style="border-color:%s"></span>%s</li>' % (c, escape(l))
             for _, l, c in charts.KINDS[kind][1]]
    items.append('<li><span class="swl" style="border-color:#9e9e9e"></span>GC cycle end</li>')
    items.append('<li><span class="swl" style="border-color:#424242;border-top-style:dashed">'
                 '</span>forced GC</li>')
    items.append('<li><span class="swl" style="border-color:#8e24aa;border-top-style:dashed">'
                 '</span>named phase</li>')
    note = ' <span class="note">(NextGC runs above the axis)</span>' if above else ""
    if kind == "pages":
        note += (' <span class="note">Pages are counted at GC ends and phases only: a dotted '
                 'line spans samples that counted none.</span>')
    return '<ul class="legend">%s</ul>%s' % ("".join(items), note)


def phase_list(v):
    ph = charts.phases(v.trace)
    if not ph:
        return ""
    return '<ol class="phases">%s</ol>' % "".join(
        '<li>%s <span class="note">(%s ms)</span></li>' % (escape(n), charts.fmt(t / 1000.0))
        for _, t, n in ph)


def chart_row(scen, kind, variants):
    ax, above = charts.kind_axes(kind, variants)
    cells = ['<div class="cell">%s%s</div>' % (charts.panel(
        kind, ax, v.trace, v.name, "%02d-%s-%d" % (scen.number, kind, i)), phase_list(v))
        for i, v in enumerate(variants)]
    return ('<div class="chartrow" id="row-%s"><h3>%s</h3>%s<div class="row">%s</div></div>'
            % (kind, escape(charts.KINDS[kind][0]), legend(kind, above), "".join(cells)))


def compare_row(scen, variants):
    names = [v.name for v in variants]
    out = []
    for key, label, unit in (("heap_alloc", "HeapAlloc", "bytes"),
                             ("resident_pages", "resident pages", "pages")):
        ax = charts.Axes(charts.t_max(variants), charts.y_max(variants, [key]), unit)
        out.append('<div class="cell">%s</div>' % charts.compare_panel(
            key, label, ax, variants, "%02d-cmp-%s" % (scen.number, key)))
    items = "".join('<li><span class="swl" style="border-color:%s"></span>%s</li>'
                    % (charts.variant_colour(names, n), escape(n)) for n in names)
    return ('<div class="chartrow" id="row-compare"><h3>Every variant on one axis</h3>'
            '<ul class="legend">%s</ul><div class="row">%s</div></div>' % (items, "".join(out)))


def plots(scen):
    variants = list(scen.variants.values())
    if not any(v.trace for v in variants):
        return ('<h2>Over time</h2><p class="note">no TRACE lines in this log: run with '
                '<code>trace=1</code></p>')
    rows = [chart_row(scen, kind, variants) for kind in ("heap", "pages", "counts")]
    return ('<h2>Over time</h2><div id="plots">%s%s</div>'
            % (compare_row(scen, variants), "".join(rows)))


def variants_table(scen):
    rows = []
    for v in scen.variants.values():
        good = v.outcome == outcome_wanted(scen, v)
        says = "<br>".join(escape(s) for s in v.says)
        rows.append('<tr><td><b>%s</b></td><td>%s</td><td class="%s">%s%s</td><td class="num">%s'
                    '</td><td class="note">%s</td></tr>'
                    % (escape(v.name), escape(v.what), "ok" if good else "bad",
                       escape(v.outcome or "?"), ": " + escape(v.message) if v.message else "",
                       "%d ms" % v.wall_ms if v.wall_ms is not None else "", says))
    return ('<table><tr><th>variant</th><th>what it does</th><th>outcome</th><th>time</th>'
            '<th>what it measured</th></tr>%s</table>' % "".join(rows))


def results_table(scen):
    variants = [v for v in scen.variants.values() if v.result]
    if not variants:
        return ""
    keys = list(variants[0].result)
    head = "".join("<th>%s</th>" % escape(v.name) for v in variants)
    rows = "".join('<tr><td><code>%s</code></td>%s</tr>' % (escape(k), "".join(
        '<td class="num">%s</td>' % v.result.get(k, "-") for v in variants)) for k in keys)
    return '<h2>RESULT keys</h2><table><tr><th>key</th>%s</tr>%s</table>' % (head, rows)


def checks_table(scen):
    rows = "".join('<tr class="check %s"><td><code>%s</code></td><td class="num">%d</td><td>%s %d'
                   '</td><td>%s</td></tr>' % (verdict.lower(), escape(name), value, escape(op),
                                              expect, verdict)
                   for name, value, op, expect, verdict in scen.checks)
    return ('<h2>Checks</h2><table><tr><th>check</th><th>value</th><th>expected</th><th>verdict'
            '</th></tr>%s</table>' % rows)


def scenario_html(scen, prev_next):
    passed, failed = checks_of(scen)
    nav = '<nav><a href="index.html">index</a>%s</nav>' % "".join(
        '<a href="%s">%s</a>' % (page_name(s), label) for s, label in prev_next if s)
    head = ('<h1>Bug %d: %s</h1><p class="note">%s; Go versions: %s. Checks: <span class="%s">'
            '%d passed, %d failed</span></p>'
            % (scen.number, escape(scen.title), escape(scen.family), escape(scen.go_versions),
               "fail" if failed else "pass", passed, failed))
    if scen.skipped:
        body = '<p class="bad">skipped: %s</p>' % escape(scen.skipped)
    else:
        body = (variants_table(scen) + plots(scen) + '<h2>Residency maps at the end of each '
                'variant</h2>' + maps.maps_html(list(scen.variants.values())) +
                results_table(scen) + checks_table(scen))
    story = '<pre class="story">%s</pre>' % escape("\n".join(logparse.story(scen)))
    return document("bug %02d: %s" % (scen.number, scen.title),
                    '<section class="scenario" data-bug="%d">%s%s%s%s</section>'
                    % (scen.number, nav, head, story, body))
