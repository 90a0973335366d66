"""The HTML page: self-contained, every quantity highlighted, every finding linked to its
evidence; opened in headless Chromium (Debian packages chromium and chromium-driver), asserted
on its DOM, with a screenshot kept under tmp/artifacts/. Skips, saying why, without Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.render_support import NAMES, ROOT, render, view

ARTIFACTS = ROOT / "tmp" / "artifacts"


@pytest.fixture(scope="module")
def page() -> Path:
    html = render("html", [view(n) for n in NAMES], batch=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_html_is_self_contained_and_links_resolve(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)  # no external assets
    assert "<link" not in html and "@import" not in html
    ids = set(re.findall(r'id="([^"]+)"', html))
    hrefs = re.findall(r'href="#([^"]+)"', html)
    assert hrefs and all(h in ids for h in hrefs)
    for group in re.findall(r'data-ev="([^"]*)"', html):
        assert all(x in ids for x in group.split())


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_html_dom_in_headless_chromium(page, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(flags + ["--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    if dom.returncode != 0 or "<html" not in dom.stdout:
        pytest.skip(f"chromium could not start here: {dom.stderr.strip()[-300:]}")
    html = dom.stdout
    # the summary first, then one section per report
    assert html.index('id="summary"') < html.index('id="r0"')
    assert html.count('<section class="report"') == 3
    # quantities highlighted in the text, evidence marked in the text and in the rebuilt tables
    assert len(re.findall(r'<span class="q"', html)) > 200
    assert len(re.findall(r'<mark class="ev-mark sev-error"', html)) > 20
    assert re.search(r'<mark class="ev-mark sev-error" id="r\d-c\d+">', html)
    assert 'id="r0-table2"' in html or 'id="r1-table2"' in html or 'id="r2-table1"' in html
    # findings with filters by severity and rule
    assert html.count('<article class="finding') >= 20
    assert html.count('<div class="filters">') == 3
    assert 'data-rule="AUD101"' in html and 'value="AUD101"' in html
    assert "593 + 5 = 598 ≠ 597" in html
    shot = ARTIFACTS / "report.png"
    subprocess.run(flags + [f"--screenshot={shot}", "--window-size=1400,1800", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_html_filters_work_in_the_browser(page):
    """With selenium and chromedriver: unticking 'LỖI' hides every error of a report."""
    if _chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium chromium-driver)")
    driver_path = shutil.which("chromedriver")
    if driver_path is None:
        pytest.skip("chromedriver is not installed (apt-get install chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    opts = webdriver.ChromeOptions()
    for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1800"):
        opts.add_argument(a)
    opts.binary_location = _chromium()
    try:
        drv = webdriver.Chrome(service=Service(driver_path), options=opts)
    except Exception as exc:  # noqa: BLE001 - no display, sandbox, version mismatch …
        pytest.skip(f"chromedriver could not start: {str(exc).splitlines()[0][:200]}")
    try:
        drv.get(page.as_uri())
        sec = drv.find_element(By.ID, "r0")
        errors = sec.find_elements(By.CSS_SELECTOR, "article.finding.sev-error")
        assert errors and all(a.is_displayed() for a in errors)
        sec.find_element(By.CSS_SELECTOR, '.filters input[value="error"]').click()
        assert not any(a.is_displayed() for a in errors)
        notes = sec.find_elements(By.CSS_SELECTOR, "article.finding.sev-info")
        assert any(a.is_displayed() for a in notes)
        # clicking a finding marks its evidence
        sec.find_element(By.CSS_SELECTOR, '.filters input[value="error"]').click()
        errors[0].click()
        assert sec.find_elements(By.CSS_SELECTOR, ".flash")
        drv.save_screenshot(str(ARTIFACTS / "report-clicked.png"))
    finally:
        drv.quit()
