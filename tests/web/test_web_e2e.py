"""End to end in headless Chromium against ``marsad serve``: search, open an article, go to an actor, then to a
relations chart; the hostile article runs no script. Screenshots: artifacts/web/*.png."""

from __future__ import annotations

import re

import pytest
from web_helpers import shot

pytestmark = pytest.mark.browser


def test_search_article_actor_relations_journey(page, web_server):
    base = web_server.url
    page.goto(base + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.fill("#q", "الصين")
    page.click("#search-button")
    page.wait_for_url(re.compile(r"q="))
    assert page.locator("#result-count .num").inner_text() == "7"
    assert page.locator(".hit mark").first.inner_text() == "الصين"
    assert page.locator("#facet-events").get_by_text("AGREE").count() == 1
    shot(page, "01-search")

    # facet: narrow to one source
    page.locator("#facet-sources a").first.click()
    page.wait_for_url(re.compile(r"source="))
    n = int(page.locator("#result-count .num").inner_text())
    assert 0 < n < 7

    # open an article
    page.goto(base + "/?q=" + "وقعت اتفاقية")
    page.locator(".hit a.title").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert "الصين وقعت اتفاقية" in page.locator("#article-title").inner_text()
    body = page.locator("#article-body")
    ents = body.locator(".hl-ent")
    assert ents.count() >= 3
    assert {t.strip() for t in ents.all_inner_texts()} >= {"الصين", "روسيا", "الأمم المتحدة"}
    assert "نعمل من أجل الاستقرار" in body.locator(".hl-quote").first.inner_text()
    assert body.locator(".hl-event").count() >= 1
    # boilerplate is shown apart, not in the body
    boiler = [b.strip() for b in page.locator("#boilerplate li").all_text_contents()]
    assert boiler and all(b not in body.inner_text() for b in boiler)
    assert page.locator("#events tbody tr").first.get_by_text("AGREE").count() == 1
    shot(page, "02-article")

    # click through to an actor from a highlighted mention
    body.locator("a.hl-ent", has_text="روسيا").first.click()
    page.wait_for_url(re.compile(r"/actors/RUS"))
    assert "روسيا" in page.locator("#actor-name").inner_text()
    page.wait_for_selector("#actor-timeline[data-ready=chart] canvas")
    page.wait_for_selector("#actor-graph[data-ready=chart] canvas")
    assert page.locator("#actor-events tbody tr").count() >= 6
    shot(page, "03-actor")

    # and on to the relations chart with a co-occurring actor
    page.locator("#cooccurring li", has_text="إيران").locator("a.rel-link").click()
    page.wait_for_url(re.compile(r"/relations\?a=RUS&b=IRN"))
    page.wait_for_selector("#relations-chart[data-ready=chart] canvas")
    totals = page.locator("#relation-totals").inner_text()
    assert "6 تعاون" in totals and "0 نزاع" in totals
    page.wait_for_selector("#graph[data-ready=chart] canvas")
    # the chart really drew something: the canvas is not blank
    painted = page.evaluate("""() => {
        const c = document.querySelector('#relations-chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""")
    assert painted > 1000
    shot(page, "04-relations")

    assert not page.errors, page.errors
    # everything came from the server itself: no CDN, works offline
    assert all(u.startswith(base) for u in page.requests), [u for u in page.requests if not u.startswith(base)]


def test_conflict_relation_and_story_pages(page, web_server):
    page.goto(web_server.url + "/relations?a=USA&b=IRN")
    page.wait_for_selector("#relations-chart[data-ready=chart] canvas")
    assert "12 نزاع" in page.locator("#relation-totals").inner_text()
    shot(page, "05-relations-conflict")
    page.goto(web_server.url + "/stories")
    links = page.locator("table.stories a")
    if links.count():  # the dedup hook grouped the copies
        links.first.click()
        page.wait_for_url(re.compile(r"/stories/"))
        assert page.locator("#story-articles tbody tr").count() >= 2
        assert page.locator("#story-sources .chip").count() >= 1
        shot(page, "06-story")
    assert not page.errors, page.errors


def test_arabic_fonts_ship_with_the_package(page, web_server):
    page.goto(web_server.url + "/?q=الصين")
    ok = page.evaluate("""async () => { await document.fonts.ready;
        return [document.fonts.check("16px 'Noto Naskh Arabic'", "الصين"),
                document.fonts.check("16px 'Noto Sans Arabic'", "الصين")]; }""")
    assert ok == [True, True]
    assert any("/static/vendor/fonts/" in u and u.endswith(".woff2") for u in page.requests)


def test_hostile_article_runs_no_script(page, web_server):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # Record CSP violations on every page load (an init script from the test harness, not from the page).
    page.add_init_script("""window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));""")

    def clean() -> None:
        assert page.evaluate("() => window.__xss") is None
        assert page.evaluate("() => window.__violations") == []

    page.goto(web_server.url + "/?q=عاجل")
    title = page.locator(".hit a.title").first
    assert "<script>window.__xss = 1</script>" in title.inner_text()  # shown as text
    clean()
    title.click()
    page.wait_for_url(re.compile(r"/articles/"))
    assert "<script>" in page.locator("#article-title").inner_text()
    assert "<img src=x" in page.locator("#article-body").inner_text()
    assert page.locator("#article-body script, #article-body img, #article-body iframe").count() == 0
    # the javascript: URL of the article is not a link
    assert page.locator("a[href^='javascript']").count() == 0
    shot(page, "07-xss-article")
    clean()
    for url in ("/actors/CHN", "/", "/stories", "/relations?a=CHN&b=RUS"):
        page.goto(web_server.url + url)
        page.wait_for_load_state("networkidle")
        clean()
    assert not dialogs
