"""Line charts as inline SVG: a variant's TRACE samples over time, with the GC cycles
and the named phases marked, on axes the caller fixes so that several panels (buggy
and fixed) share them. Every point is a sample as measured; lines only join them.

DOM contract (tests/tools/browser_check.py reads it): every panel is
  <svg class="chart" data-chart=KIND data-variant=NAME> holding one
  <polyline class="series" data-series=KEY data-points=N points="..."> per series.
"""
import math
from html import escape

W, H = 430, 234                   # panel size
ML, MR, MT, MB = 60, 12, 34, 38   # margins: axis labels left/bottom, phase numbers top
PAGE = 4096

# Chart kinds: title, series (key, label, colour), unit, and which samples carry them.
KINDS = {
    "heap": ("Heap (MemStats)", [
        ("heap_alloc", "HeapAlloc", "#d32f2f"), ("heap_inuse", "HeapInuse", "#f57c00"),
        ("heap_sys", "HeapSys", "#1976d2"), ("heap_released", "HeapReleased", "#7b1fa2"),
        ("next_gc", "NextGC (goal)", "#616161")], "bytes"),
    "pages": ("Heap arenas in the page layer", [
        ("committed_pages", "committed", "#00838f"), ("resident_pages", "resident", "#2e7d32"),
        ("lazyfree_pages", "lazily freed", "#c2185b")], "pages"),
    "counts": ("Goroutines and timers", [
        ("goroutines", "goroutines", "#5d4037"), ("timers", "timers", "#fbc02d")], "count"),
}
VARIANT_COLOURS = ["#c62828", "#2e7d32", "#1565c0", "#ef6c00", "#6a1b9a"]


def variant_colour(names, name):
    """buggy/seed red, fixed green, the others from a palette, in run order."""
    if name in ("buggy", "seed"):
        return VARIANT_COLOURS[0]
    if name == "fixed":
        return VARIANT_COLOURS[1]
    others = [n for n in names if n not in ("buggy", "seed", "fixed")]
    return VARIANT_COLOURS[2 + others.index(name) % 3] if name in others else "#424242"


def value(sample, key):
    """The sample's value for key in plot units (pages become bytes), or None."""
    v = sample.get(key)
    if not isinstance(v, int):
        return None
    return v * PAGE if key.endswith("_pages") else v


def nice_step(span, n=5):
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about n ticks."""
    raw = max(span, 1e-9) / n
    mag = 10 ** math.floor(math.log10(raw))
    for f in (1, 2, 2.5, 5, 10):
        if f * mag >= raw:
            return f * mag
    return 10 * mag


def byte_unit(vmax):
    for div, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if vmax >= div:
            return div, name
    return 1, "B"


def fmt(x):
    return ("%.2f" % x).rstrip("0").rstrip(".") if x != int(x) else "%d" % x


class Axes:
    """The shared axes of a row of panels: time in ms, values in a unit."""

    def __init__(self, t_max_us, y_max, unit):
        self.t_max = max(t_max_us / 1000.0, 0.001)
        self.unit = unit
        self.div, self.uname = byte_unit(y_max) if unit in ("bytes", "pages") else (1, "")
        span = max(y_max / self.div, 1 if unit == "count" else 1e-6)
        self.ystep = nice_step(span)
        self.y_top = self.ystep * math.ceil(span / self.ystep)
        self.xstep = nice_step(self.t_max)
        self.x_top = self.xstep * math.ceil(self.t_max / self.xstep)

    def x(self, t_us):
        return ML + (t_us / 1000.0) / self.x_top * (W - ML - MR)

    def y(self, v):
        return H - MB - (v / self.div) / self.y_top * (H - MT - MB)

    def ylabel(self):
        if self.unit == "count":
            return "count"
        what = "4 KiB pages" if self.unit == "pages" else "bytes"
        return "%s (%s)" % (self.uname, what)


def frame(ax, clip_id):
    """Grid, ticks and axis titles."""
    out = ['<rect x="%d" y="%d" width="%d" height="%d" class="plot"/>'
           % (ML, MT, W - ML - MR, H - MT - MB)]
    k = 0
    while k * ax.ystep <= ax.y_top + 1e-9:
        y = ax.y(k * ax.ystep * ax.div)
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" class="grid"/>' % (ML, W - MR, y, y))
        out.append('<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>'
                   % (ML - 4, y + 3, fmt(k * ax.ystep)))
        k += 1
    k = 0
    while k * ax.xstep <= ax.x_top + 1e-9:
        x = ax.x(k * ax.xstep * 1000)
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" class="grid"/>' % (x, x, MT, H - MB))
        out.append('<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>'
                   % (x, H - MB + 13, fmt(k * ax.xstep)))
        k += 1
    out.append('<text x="%d" y="%d" class="axis" text-anchor="middle">time since the variant '
               'started (ms)</text>' % ((ML + W - MR) // 2, H - 6))
    out.append('<text x="12" y="%d" class="axis" text-anchor="middle" transform="rotate(-90 12 %d)">'
               '%s</text>' % ((MT + H - MB) // 2, (MT + H - MB) // 2, escape(ax.ylabel())))
    out.append('<clipPath id="%s"><rect x="%d" y="%d" width="%d" height="%d"/></clipPath>'
               % (clip_id, ML, MT - 1, W - ML - MR, H - MT - MB + 2))
    return out


def phases(trace):
    """The named phases of a series: (number, t_us, name), in order."""
    named = [s for s in trace if s.get("ev") == "phase"]
    return [(i + 1, s.get("t_us", 0), str(s.get("name", "")).replace("_", " "))
            for i, s in enumerate(named)]


def markers(ax, trace):
    """Vertical lines: thin grey at each GC end (dashed when forced), purple dashed at
    each named phase. Returns (lines, labels): the phase numbers go above the plot."""
    lines, labels = [], []
    for s in trace:
        if s.get("ev") == "gc":
            x = ax.x(s.get("t_us", 0))
            cls = "gc forced" if s.get("forced") else "gc"
            lines.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" class="%s"><title>GC %s%s at '
                         '%s ms</title></line>' % (x, x, MT, H - MB, cls, s.get("num_gc", "?"),
                                                   " (forced)" if s.get("forced") else "",
                                                   fmt(s.get("t_us", 0) / 1000.0)))
    groups = []  # phases closer than 9 px share one label: "1-3"
    for num, t, name in phases(trace):
        x = ax.x(t)
        lines.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" class="phase"/>' % (x, x, MT, H - MB))
        if groups and x - groups[-1][0] < 9:
            groups[-1][2].append((num, t, name))
        else:
            groups.append((x, num, [(num, t, name)]))
    for i, (x, first, members) in enumerate(groups):
        text = "%d" % first if len(members) == 1 else "%d-%d" % (first, members[-1][0])
        tip = "; ".join("%d %s at %s ms" % (n, nm, fmt(t / 1000.0)) for n, t, nm in members)
        labels.append('<text x="%.1f" y="%d" class="phasenum" text-anchor="middle">%s<title>%s'
                      '</title></text>' % (x, MT - 3 - 10 * (i % 2), text, escape(tip)))
    return lines, labels


def series_svg(ax, trace, key, label, colour, dots, variant=None):
    """One series: a polyline through the samples that carry key, dots on them. Where
    samples without key (ticks count no pages) lie between two that have it, the
    polyline is dotted and only neighbouring samples are joined by solid segments."""
    pts, solid, prev = [], [], None  # prev: the last sample's point, None after a gap
    for s in trace:
        v = value(s, key)
        if v is None:
            prev = None
            continue
        pt = (ax.x(s.get("t_us", 0)), ax.y(v), s)
        if prev:
            solid.append("M%.1f,%.1fL%.1f,%.1f" % (prev[0], prev[1], pt[0], pt[1]))
        pts.append(pt)
        prev = pt
    sparse = len(solid) + 1 < len(pts)
    attrs = ' data-variant="%s"' % escape(variant) if variant else ""
    out = ['<polyline class="series%s" data-series="%s"%s data-points="%d" stroke="%s" points="%s">'
           '<title>%s</title></polyline>'
           % (" sparse" if sparse else "", key, attrs, len(pts), colour,
              " ".join("%.1f,%.1f" % (x, y) for x, y, _ in pts), escape(label))]
    if sparse and solid:
        out.append('<path class="seg" stroke="%s" d="%s"/>' % (colour, "".join(solid)))
    for x, y, s in pts:
        if dots or s.get("ev") != "tick":
            out.append('<circle cx="%.1f" cy="%.1f" r="2.2" fill="%s"/>' % (x, y, colour))
    return out


def panel(kind, ax, trace, variant, uid):
    """One variant's panel of a chart kind."""
    title, series, _ = KINDS[kind]
    clip = "clip-%s" % uid
    out = ['<svg class="chart" data-chart="%s" data-variant="%s" width="%d" height="%d" '
           'viewBox="0 0 %d %d" role="img" aria-label="%s, %s">'
           % (kind, escape(variant), W, H, W, H, escape(title), escape(variant))]
    out += frame(ax, clip)
    lines, labels = markers(ax, trace)
    out.append('<g clip-path="url(#%s)">' % clip)
    out += lines
    for key, label, colour in series:
        out += series_svg(ax, trace, key, label, colour, kind != "heap")
    out.append('</g>')
    out += labels
    out.append('<text x="%d" y="12" class="ptitle">%s</text></svg>' % (ML, escape(variant)))
    return "".join(out)


def compare_panel(key, label, ax, variants, uid):
    """One chart with key of every variant on the same axes (buggy vs fixed)."""
    clip = "clip-%s" % uid
    names = [v.name for v in variants]
    out = ['<svg class="chart compare" data-chart="compare-%s" width="%d" height="%d" '
           'viewBox="0 0 %d %d" role="img" aria-label="%s of every variant">'
           % (key, W, H, W, H, escape(label))]
    out += frame(ax, clip)
    out.append('<g clip-path="url(#%s)">' % clip)
    rank = {"fixed": 2, "buggy": 1, "seed": 1}  # drawn last: on top of look-alikes
    for v in sorted(variants, key=lambda v: rank.get(v.name, 0)):
        out += series_svg(ax, v.trace, key, "%s: %s" % (v.name, label),
                          variant_colour(names, v.name), True, v.name)
    out.append('</g>')
    out += end_labels(ax, key, variants)
    out.append('<text x="%d" y="12" class="ptitle">%s, every variant</text></svg>'
               % (ML, escape(label)))
    return "".join(out)


def end_labels(ax, key, variants):
    """Each variant's last value at the end of its line, in the axis unit, labels kept
    at least 10 px apart."""
    names = [v.name for v in variants]
    ends = []
    for v in variants:
        last = [s for s in v.trace if value(s, key) is not None][-1:]
        if last:
            s = last[0]
            ends.append([ax.y(value(s, key)), ax.x(s.get("t_us", 0)), value(s, key), v.name])
    ends.sort()
    for i in range(1, len(ends)):
        ends[i][0] = max(ends[i][0], ends[i - 1][0] + 10)
    out = []
    for y, x, v, name in ends:
        right = x > W - MR - 40
        out.append('<text x="%.1f" y="%.1f" class="endval" fill="%s" text-anchor="%s">%s</text>'
                   % (x - 4 if right else x + 4, min(y + 3, H - MB - 2), variant_colour(names, name),
                      "end" if right else "start", fmt(round(v / ax.div, 1))))
    return out


def y_max(variants, keys):
    """The largest value of keys over the variants' samples (0 when none)."""
    vals = [value(s, k) for v in variants for s in v.trace for k in keys]
    return max([x for x in vals if x is not None] or [0])


def t_max(variants):
    return max([s.get("t_us", 0) for v in variants for s in v.trace] or [1])


def heap_axes(variants):
    """Shared heap axes; NextGC is left out of the range when it dwarfs the heap (the
    goal of a nearly empty heap is 4 MiB), and noted."""
    others = y_max(variants, ["heap_alloc", "heap_inuse", "heap_sys", "heap_released"])
    goal = y_max(variants, ["next_gc"])
    top = goal if goal <= 3 * others or others == 0 else others
    return Axes(t_max(variants), top, "bytes"), goal > top


def kind_axes(kind, variants):
    """The shared axes of a chart kind, and whether some series runs above them."""
    if kind == "heap":
        return heap_axes(variants)
    keys = [k for k, _, _ in KINDS[kind][1]]
    return Axes(t_max(variants), y_max(variants, keys), KINDS[kind][2]), False
