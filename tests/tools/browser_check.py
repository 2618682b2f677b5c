#!/usr/bin/python3
"""Opens a report written by tools/report.py in headless Chromium (Debian's chromium
and chromium-driver, through python3-selenium) and judges it as a reader's browser
shows it:

  - no page logs a console error (scripts, missing resources, anything SEVERE);
  - the index links every scenario page, and every page it links loads;
  - on every scenario page that ran, each variant has a heap, a pages and a counts
    panel whose polylines hold every expected series with at least one point; the
    "every variant on one axis" charts hold one non-empty series per variant; every
    variant has a residency map with cells; the CHECK table has rows;
  - then it proves it can fail: a copy of one page with an injected console error and
    a series removed must be reported for both.

  tests/tools/browser_check.py REPORT_DIR [--shots DIR]

--shots saves PNG screenshots: bug 13's page-layer plots (resident pages drop only
after FreeOSMemory) as report-bug13.png and bug 2's variants on one axis as
report-bug02.png. Exit status 0 when the report passes, 1 otherwise.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

SERIES = {
    "heap": ["heap_alloc", "heap_inuse", "heap_sys", "heap_released", "next_gc"],
    "pages": ["committed_pages", "resident_pages", "lazyfree_pages"],
    "counts": ["goroutines", "timers"],
}
COMPARE = ["compare-heap_alloc", "compare-resident_pages"]
# On this machine Chromium hangs on the closed network without these.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
         "--disable-dev-shm-usage", "--window-size=1400,1000"]

# Everything the page checks need, read from the DOM in one call.
DOM_JS = """
const out = {scenario: null, variants: [], charts: [], maps: [], checks: 0, links: []};
const sec = document.querySelector('section.scenario');
if (sec) out.scenario = sec.dataset.bug;
out.skipped = !!document.querySelector('section.scenario p.bad');
document.querySelectorAll('table tr td:first-child b').forEach(b => out.variants.push(b.textContent));
document.querySelectorAll('svg.chart').forEach(svg => {
  const c = {chart: svg.dataset.chart, variant: svg.dataset.variant || null, series: []};
  svg.querySelectorAll('polyline.series').forEach(p => c.series.push({
    key: p.dataset.series, variant: p.dataset.variant || null,
    n: parseInt(p.dataset.points, 10), pts: (p.getAttribute('points') || '').trim().length}));
  out.charts.push(c);
});
document.querySelectorAll('svg.map').forEach(m => out.maps.push({
  variant: m.dataset.variant, cells: parseInt(m.dataset.cells, 10),
  rects: m.querySelectorAll('rect').length}));
out.checks = document.querySelectorAll('tr.check').length;
document.querySelectorAll('a[href]').forEach(a => out.links.push(a.getAttribute('href')));
return out;
"""


def browser(profile):
    opts = webdriver.ChromeOptions()
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for f in FLAGS + ["--user-data-dir=" + profile]:
        opts.add_argument(f)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    drv = webdriver.Chrome(service=service, options=opts)
    drv.set_page_load_timeout(30)
    return drv


def load(drv, path):
    """Opens path; returns (DOM summary, console errors)."""
    drv.get_log("browser")  # forget what earlier pages logged
    drv.get("file://" + os.path.abspath(path))
    dom = drv.execute_script(DOM_JS)
    errors = [e["message"] for e in drv.get_log("browser") if e.get("level") == "SEVERE"]
    return dom, errors


def chart_problems(dom, name):
    """Missing panels or series of the page's variants."""
    out, variants = [], [v for v in dom["variants"]]
    for kind, keys in SERIES.items():
        for v in variants:
            panels = [c for c in dom["charts"] if c["chart"] == kind and c["variant"] == v]
            if not panels:
                out.append("%s: variant %s has no %s panel" % (name, v, kind))
                continue
            have = {s["key"]: s for s in panels[0]["series"]}
            for k in keys:
                s = have.get(k)
                if not s or s["n"] < 1 or s["pts"] == 0:
                    out.append("%s: variant %s, %s panel: series %s %s" % (
                        name, v, kind, k, "is missing" if not s else "has no data"))
    for chart in COMPARE:
        c = [x for x in dom["charts"] if x["chart"] == chart]
        key = chart[len("compare-"):]
        got = {s["variant"] for s in (c[0]["series"] if c else [])
               if s["key"] == key and s["n"] > 0 and s["pts"]}
        for v in variants:
            if v not in got:
                out.append("%s: %s has no data for variant %s" % (name, chart, v))
    return out


def page_problems(dom, errors, name):
    out = ["%s: console error: %s" % (name, e) for e in errors]
    if dom["scenario"] is None:
        return out + ["%s: no scenario section" % name]
    if dom["skipped"]:
        return out
    if not dom["variants"]:
        out.append("%s: no variants listed" % name)
    out += chart_problems(dom, name)
    for v in dom["variants"]:
        if not any(m["variant"] == v and m["cells"] > 0 and m["rects"] > 0 for m in dom["maps"]):
            out.append("%s: variant %s has no residency map with cells" % (name, v))
    if dom["checks"] == 0:
        out.append("%s: no CHECK rows" % name)
    return out


def check_report(drv, report):
    """Every page of the report; returns the problems."""
    index = os.path.join(report, "index.html")
    if not os.path.exists(index):
        return ["%s: missing" % index]
    dom, errors = load(drv, index)
    problems = ["index.html: console error: %s" % e for e in errors]
    pages = sorted({h for h in dom["links"] if re.fullmatch(r"bug[0-9]+\.html", h)})
    if not pages:
        problems.append("index.html links no scenario page")
    for page in pages:
        dom, errors = load(drv, os.path.join(report, page))
        problems += page_problems(dom, errors, page)
    return problems


def self_test(drv, report, tmp):
    """A broken copy of a page must be reported twice: console error, missing series."""
    pages = sorted(p for p in os.listdir(report) if re.fullmatch(r"bug[0-9]+\.html", p))
    page = "bug13.html" if "bug13.html" in pages else pages[0]
    with open(os.path.join(report, page), encoding="utf-8") as f:
        text = f.read()
    at = text.index('data-chart="pages"')  # a variant's own pages panel
    text = text[:at] + text[at:].replace('data-series="resident_pages"', 'data-series="gone"', 1)
    text = text.replace("</body>", '<script>console.error("injected by the self-test")</script></body>')
    broken = os.path.join(tmp, page)
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text)
    dom, errors = load(drv, broken)
    found = page_problems(dom, errors, page)
    want = ["injected by the self-test", "series resident_pages is missing"]
    return [w for w in want if not any(w in p for p in found)]


def screenshots(drv, report, shots):
    os.makedirs(shots, exist_ok=True)
    for page, element, png in (("bug13.html", "row-pages", "report-bug13.png"),
                               ("bug02.html", "row-compare", "report-bug02.png")):
        path = os.path.join(report, page)
        if not os.path.exists(path):
            continue
        drv.get("file://" + os.path.abspath(path))
        drv.find_element(By.ID, element).screenshot(os.path.join(shots, png))
        print("browser_check: screenshot %s" % os.path.join(shots, png))


def main():
    ap = argparse.ArgumentParser(description="judge a spanlab report in headless Chromium")
    ap.add_argument("report", help="directory holding index.html (tools/report.py -o)")
    ap.add_argument("--shots", help="directory for PNG screenshots")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="spanlab-chromium.")
    drv = browser(os.path.join(tmp, "profile"))
    try:
        problems = check_report(drv, args.report)
        missed = self_test(drv, args.report, tmp)
        problems += ["self-test: a broken page was not reported for '%s'" % m for m in missed]
        if args.shots and not problems:
            screenshots(drv, args.report, args.shots)
    finally:
        drv.quit()
        shutil.rmtree(tmp, ignore_errors=True)
    for p in problems:
        print("browser_check: FAIL: %s" % p)
    pages = len([p for p in os.listdir(args.report) if p.endswith(".html")])
    print("browser_check: %s (%d pages)" % ("FAIL" if problems else "PASS", pages))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
