"""Issue 19 journeys in headless Debian Chromium (Playwright) against ``marsad serve`` on loopback: a query's
attention chart by day and by source, export of the results, a collapsed copy group expanded, a saved search and
its Atom feed, an actor page paged to the end, the API docs page with no request leaving the machine, and a
375-px mobile view with working navigation. Screenshots are kept under the directory the session prints
(``$MARSAD_ARTEFACTS`` or <tmp>/marsad-artefacts/web-workbench)."""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def artefacts() -> Path:
    root = Path(os.environ.get("MARSAD_ARTEFACTS") or Path(tempfile.gettempdir()) / "marsad-artefacts")
    path = root / "web-workbench"
    path.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the workbench journeys: {path}")  # shown with -s, and in the report below
    return path


@pytest.fixture(autouse=True)
def _say_where(artefacts, record_property):
    record_property("artefacts", str(artefacts))


def snap(page, artefacts: Path, name: str) -> Path:
    out = artefacts / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    return out


def painted(page, selector: str) -> int:
    return page.evaluate("""(sel) => {
        const c = document.querySelector(sel + ' canvas'); if (!c) return 0;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""", selector)


def offsite(page, base: str) -> list[str]:
    return [u for u in page.requests if not u.startswith(base) and not u.startswith(("data:", "blob:"))]


def test_attention_chart_by_day_and_by_source(page, web_server, artefacts):
    base = web_server.url
    page.goto(base + "/?q=الاستقرار")
    total = int(page.locator("#result-count .num").inner_text())
    assert total == 36
    page.wait_for_selector("#attention-chart[data-ready=chart] canvas")
    page.wait_for_selector("#attention-sources[data-ready=chart] canvas")
    assert painted(page, "#attention-chart") > 1000 and painted(page, "#attention-sources") > 1000
    # the chart's numbers are the API's: per day, every match counted
    day = page.request.get(base + "/api/attention?q=الاستقرار&by=day").json()
    assert sum(s["articles"] for s in day["series"]) + day["undated"] == total
    assert len(day["sources"]) == 3
    snap(page, artefacts, "01-attention-by-day")
    page.select_option("#attention-by", "week")
    page.wait_for_selector("#attention-chart[data-ready=chart] canvas")
    page.select_option("#attention-measure", "share")
    page.wait_for_selector("#attention-sources[data-ready=chart] canvas")
    assert painted(page, "#attention-sources") > 1000
    snap(page, artefacts, "02-attention-by-week-share-by-source")
    assert not page.errors, page.errors
    assert not offsite(page, base)


def test_export_of_the_results(page, web_server, artefacts):
    base = web_server.url
    page.goto(base + "/?q=الصين&source=" + "صحيفة المرصد")
    total = int(page.locator("#result-count .num").inner_text())
    page.locator("#export-box summary").click()
    snap(page, artefacts, "03-export-links")
    with page.expect_download() as info:
        page.locator("#export-links a[data-export=articles-csv]").click()
    path = info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert len(rows) == total > 0 and {r["source"] for r in rows} == {"صحيفة المرصد"}
    assert info.value.suggested_filename == "marsad-articles.csv"
    with page.expect_download() as info:
        page.locator("#export-links a[data-export=events-gdelt]").click()
    lines = [x for x in Path(info.value.path()).read_text(encoding="utf-8").splitlines() if x.strip()]
    assert lines and all("\t" in x for x in lines)
    assert not page.errors, page.errors


def test_collapsed_copy_group_expanded(page, web_server, artefacts):
    page.goto(web_server.url + "/?q=اتفاقية")
    unique = page.locator("#unique-count")
    if not unique.count() or not page.locator("details.copies").count():
        pytest.skip("the dedup hook did not group copies in this store")
    n = int(page.locator("#result-count .num").inner_text())
    groups = int(unique.locator(".num-unique").inner_text())
    copies = int(unique.locator(".num-copies").inner_text())
    assert groups + copies == n and page.locator("li.hit").count() == groups
    box = page.locator("details.copies").first
    assert not box.locator("ul").is_visible()
    box.locator("summary").click()
    links = box.locator("ul a")
    assert links.first.is_visible() and links.count() >= 1
    snap(page, artefacts, "04-copy-group-expanded")
    href = links.first.get_attribute("href")
    links.first.click()
    page.wait_for_url(re.compile(re.escape(href)))
    assert page.locator("#copies-link").count() == 1  # the article says it has copies, as a link
    page.goto(web_server.url + "/?q=اتفاقية&collapse=0")
    assert page.locator("li.hit").count() == n  # every copy when asked
    assert not page.errors, page.errors


def test_saved_search_and_its_atom_feed(page, web_server, artefacts):
    base = web_server.url
    page.goto(base + "/?q=عقوبات&actor=IRN")
    page.locator("#export-box summary").click()
    page.fill("#save-name", "عقوبات على إيران")
    page.locator("#save-search button").click()
    page.wait_for_selector("#saved-feed")
    feed_url = page.locator("#saved-feed").get_attribute("href")
    snap(page, artefacts, "05-search-saved")
    xml = page.request.get(base + feed_url)
    assert xml.ok and xml.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(xml.body())
    entries = root.findall(f"{ATOM}entry")
    assert root.find(f"{ATOM}title").text.endswith("عقوبات على إيران") and len(entries) == 6
    page.goto(base + feed_url)  # the browser shows the feed (XML tree)
    snap(page, artefacts, "06-atom-feed")
    page.goto(base + "/saved")
    row = page.locator("#saved-searches tr", has_text="عقوبات على إيران")
    assert row.count() >= 1 and "6" in row.first.locator("td").nth(2).inner_text()
    snap(page, artefacts, "07-saved-searches")
    row.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("#result-count .num").inner_text() == "6"
    assert not page.errors, page.errors


def test_actor_page_paged_to_the_end(page, web_server, artefacts):
    page.goto(web_server.url + "/actors/USA?per_page=5")
    total = int(page.locator("#events h2 .total").inner_text())
    assert total == 12
    pager = page.locator("#events_page-pager")
    assert pager.locator(".page-count").inner_text() == "3"
    seen = page.locator("#actor-events tbody tr").count()
    while page.locator("#events_page-pager a[rel=next]").count():
        page.locator("#events_page-pager a[rel=next]").click()
        page.wait_for_load_state()
        seen += page.locator("#actor-events tbody tr").count()
    assert seen == total and page.locator("#events_page-pager .page-no").inner_text() == "3"
    page.locator("#events_page-pager a[rel=first]").click()
    page.locator("#events_page-pager a[rel=last]").click()
    assert page.locator("#actor-events tbody tr").count() == total - 10
    page.wait_for_selector("#actor-timeline[data-ready=chart] canvas")
    page.wait_for_selector("#actor-graph[data-ready=chart] canvas")
    snap(page, artefacts, "08-actor-last-page")
    assert not page.errors, page.errors


def test_api_docs_render_offline(page, web_server, artefacts):
    base = web_server.url
    page.add_init_script("""window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));""")
    page.goto(base + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".swagger-ui .opblock").count() >= 15
    assert page.locator(".swagger-ui .opblock-summary-path", has_text="/api/attention").count() == 1
    page.wait_for_load_state("networkidle")
    snap(page, artefacts, "09-api-docs")
    assert page.evaluate("() => window.__violations") == []
    assert not offsite(page, base), offsite(page, base)
    assert not page.errors, page.errors


def test_mobile_375px_navigation(browser, web_server, artefacts):
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="ar", is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(web_server.url + "/?q=الصين")
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= 375, wide  # nothing runs off the side of the screen
        nav = page.locator("header nav")
        assert nav.bounding_box()["width"] <= 375
        # dates stay on one line
        assert page.evaluate("() => [...document.querySelectorAll('time')].every(t => t.getClientRects().length === 1)")
        snap(page, artefacts, "10-mobile-375-search")
        for label, path in (("الفاعلون", "/actors"), ("القصص", "/stories"), ("المحفوظة", "/saved")):
            link = nav.get_by_role("link", name=label)
            link.scroll_into_view_if_needed()
            assert link.is_visible()
            link.tap()
            page.wait_for_url(re.compile(re.escape(path) + "$"))
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        snap(page, artefacts, "11-mobile-375-saved")
        nav.get_by_role("link", name="البحث").tap()
        page.wait_for_url(re.compile(r"/$"))
        assert not errors, errors
    finally:
        ctx.close()


def test_relations_by_arabic_names_and_unknown_side(page, web_server, artefacts):
    page.goto(web_server.url + "/relations?a=روسيا&b=ايران")
    page.wait_for_selector("#relations-chart[data-ready=chart] canvas")
    assert "6 تعاون" in page.locator("#relation-totals").inner_text()
    page.goto(web_server.url + "/relations?a=بريطانيا&b=روسيا")
    assert "بريطانيا" in page.locator("#relation-unknown").inner_text()
    snap(page, artefacts, "12-relations-unknown-side")
