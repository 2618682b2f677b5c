"""Residency maps as inline SVG, drawn from MAP, MAPKEY and OBJ lines: one grid of
cells per heap arena (64 cells a row, one cell = the scenario's pages per cell, the
same for every variant, so buggy and fixed line up cell for cell), each cell
coloured by its page state, with a bar under it in the colour of the allocation
site of the object lying there (a thin line where one object ends and the next of
the same site begins).

DOM contract: <svg class="map" data-variant=V data-arena=I data-cells=N
data-cell-pages=K>.
"""
from html import escape

COLS = 64
CW, SH, MH, GAP = 6, 8, 3, 2    # cell width, state height, mark bar height, row gap
RH = SH + MH + GAP
LEFT = 4
STATES = [  # map character, colour, meaning (mm/residency.h)
    ("R", "#2e7d32", "every page resident"),
    ("r", "#f9a825", "some pages resident"),
    ("f", "#ad1457", "lazily freed (MADV_FREE): no page in use, frames still held"),
    ("c", "#4dd0e1", "committed, never touched: no frame"),
    (".", "#e0e0e0", "reserved only (released with MADV_DONTNEED, or never used)"),
]
STATE_COLOUR = {c: col for c, col, _ in STATES}
SITE_COLOURS = ["#1565c0", "#e65100", "#6a1b9a", "#00695c", "#c62828", "#827717",
                "#4e342e", "#283593", "#ad1457", "#37474f", "#558b2f", "#0277bd"]


def site_colours(variants):
    """One colour per (site, type) across every variant of a scenario, so the same
    allocation site has the same colour in buggy and fixed."""
    out = {}
    for v in variants:
        for k in v.keys:
            ident = (k.get("site"), k.get("type"))
            if ident not in out:
                out[ident] = SITE_COLOURS[len(out) % len(SITE_COLOURS)]
    return out


def mark_colours(v, colours):
    """This variant's mark letter -> colour (upper case; marks alternate case)."""
    return {str(k.get("mark")).upper(): colours.get((k.get("site"), k.get("type")), "#000")
            for k in v.keys}


def runs(text):
    """Runs of equal characters: (start, length, char)."""
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and text[j] == text[i]:
            j += 1
        out.append((i, j - i, text[i]))
        i = j
    return out


def row_svg(y, cells, marks, first, cell_kib, mcol, legend):
    """One row of cells: state rects, then the mark bars and object boundaries."""
    out = []
    for start, n, ch in runs(cells):
        if ch == " ":
            continue
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>cells %d-%d '
                   '(%d KiB each): %s</title></rect>'
                   % (LEFT + start * CW, y, n * CW - 1, SH, STATE_COLOUR.get(ch, "#fff"),
                      first + start, first + start + n - 1, cell_kib,
                      escape(dict((c, m) for c, _, m in STATES).get(ch, ch))))
    for start, n, ch in runs(marks):
        if ch in "- ":
            continue
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s" class="mark">'
                   '<title>%s</title></rect>'
                   % (LEFT + start * CW, y + SH, n * CW, MH, mcol.get(ch.upper(), "#000"),
                      escape(legend.get(ch.upper(), ch))))
        if start > 0 and marks[start - 1] not in "- ":
            out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" class="objedge"/>'
                       % (LEFT + start * CW, LEFT + start * CW, y - 1, y + SH + MH))
    return out


def arena_svg(m, rows, mcol, legend, variant):
    """One arena's grid, padded to rows rows (the tallest of this arena's variants)."""
    cells, marks = str(m.get("cells", "")), str(m.get("marks", ""))
    marks = marks if len(marks) == len(cells) else "-" * len(cells)
    cell_kib = int(m.get("cell_pages", 1)) * 4
    out = ['<svg class="map" data-variant="%s" data-arena="%s" data-cells="%d" data-cell-pages="%s" '
           'width="%d" height="%d" role="img" aria-label="arena %s of %s">'
           % (escape(variant), m.get("arena"), len(cells), m.get("cell_pages"),
              LEFT * 2 + COLS * CW, rows * RH, m.get("arena"), escape(variant))]
    for r in range(0, len(cells), COLS):
        out += row_svg((r // COLS) * RH, cells[r:r + COLS], marks[r:r + COLS], r, cell_kib,
                       mcol, legend)
    out.append("</svg>")
    return "".join(out)


def key_legend(v, mcol):
    """The variant's objects: one line per mark."""
    if not v.keys:
        return '<p class="note">no large object (&gt; 32 KiB) is live</p>'
    items = []
    for k in v.keys:
        items.append('<li><span class="sw" style="background:%s"></span><b>%s</b> %s '
                     '<code>%s</code>: %s object%s, %.1f MiB</li>'
                     % (mcol.get(str(k.get("mark")).upper(), "#000"), escape(str(k.get("mark"))),
                        escape(str(k.get("site"))), escape(str(k.get("type"))), k.get("objects"),
                        "" if k.get("objects") == 1 else "s", k.get("bytes", 0) / 1048576.0))
    return '<ul class="keys">%s</ul>' % "".join(items)


def legend_text(v):
    return {str(k.get("mark")).upper(): "%s %s" % (k.get("site"), k.get("type")) for k in v.keys}


def state_legend():
    return '<ul class="states">%s</ul>' % "".join(
        '<li><span class="sw" style="background:%s"></span><code>%s</code> %s</li>'
        % (col, escape(c), escape(m)) for c, col, m in STATES)


def maps_html(variants):
    """Every variant's maps side by side, arena by arena, with legends."""
    with_maps = [v for v in variants if v.maps]
    if not with_maps:
        return '<p class="note">no MAP lines in this log</p>'
    colours = site_colours(with_maps)
    narenas = max(len(v.maps) for v in with_maps)
    rows = [max([(len(str(v.maps[a].get("cells", ""))) + COLS - 1) // COLS
                 for v in with_maps if a < len(v.maps)] or [1]) for a in range(narenas)]
    cols = []
    for v in with_maps:
        mcol, legend = mark_colours(v, colours), legend_text(v)
        parts = ['<div class="mapcol"><h4>%s</h4>' % escape(v.name)]
        for a in range(narenas):
            m = v.maps[a] if a < len(v.maps) else None
            parts.append('<div class="arena"><span class="alabel">arena %d%s</span>%s</div>'
                         % (a, "" if m else " (none)",
                            arena_svg(m, rows[a], mcol, legend, v.name) if m else
                            '<div style="height:%dpx"></div>' % (rows[a] * RH)))
        parts.append(key_legend(v, mcol) + "</div>")
        cols.append("".join(parts))
    scale = {int(m.get("cell_pages", 0)) for v in with_maps for m in v.maps}
    note = ("one cell = %d pages of 4 KiB (%d KiB) in every map" % (min(scale), min(scale) * 4)
            if len(scale) == 1 else "cells differ between maps: %s pages" % sorted(scale))
    return ('<p class="note">%s; 64 cells a row; the bar under a cell is the allocation site of '
            'the live object lying there.</p><div class="maps">%s</div>%s'
            % (note, "".join(cols), state_legend()))
