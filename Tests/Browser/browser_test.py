#!/usr/bin/env python3
"""The web desk in a real browser: headless Chromium from Debian, driven by Selenium.

Run by EndToEndTests (WebBrowserTests) against `workshop-ledger serve` over the demo books:

    browser_test.py --base http://127.0.0.1:PORT --accounts accounts.json --out DIR --cli PATH --db PATH

accounts.json maps a role to {"name": ..., "password": ...}. Screenshots of the overview and a
studio page are written to DIR (overview.png, studio.png); downloads land in DIR/downloads.
Exits 0 when every step passed, 1 with the failing step otherwise.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

OWN = "ZY2025-001"        # 雁江区, host unit 91512002MA62Q8K514
FOREIGN = "ZY2025-002"    # 安岳县, another host unit


def fail(step, detail=""):
    print(f"FAILED: {step}: {detail}", file=sys.stderr)
    sys.exit(1)


def check(condition, step, detail=""):
    if not condition:
        fail(step, detail)
    print(f"ok: {step}", flush=True)


def browser(download_dir):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1100", "--lang=zh-CN"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": download_dir,
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    })
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


def navigating(driver, action):
    """Runs `action` (a click or a select that submits) and waits for the next page."""
    page = settled(lambda: driver.find_element(By.TAG_NAME, "html"))
    action()

    def replaced(_):
        # chromedriver reports the old document's node either as stale or as "does not belong
        # to the document"; both mean the next page has replaced it.
        try:
            page.is_enabled()
            return False
        except WebDriverException:
            return True

    WebDriverWait(driver, 30).until(replaced)
    WebDriverWait(driver, 30, ignored_exceptions=[WebDriverException]).until(
        lambda d: d.execute_script("return document.readyState") == "complete")


def login(driver, base, account):
    driver.delete_all_cookies()
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(account["name"])
    driver.find_element(By.NAME, "password").send_keys(account["password"])
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form.login button[type=submit]").click)


def logout(driver):
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click)


def settled(read, attempts=20):
    """Reads from the page, again if the page was replaced while reading (a slow machine can
    still be swapping documents when a read starts)."""
    for attempt in range(attempts):
        try:
            return read()
        except WebDriverException:
            if attempt == attempts - 1:
                raise
            time.sleep(0.25)


def title(driver):
    return settled(lambda: driver.find_element(By.CSS_SELECTOR, "h1.page-title").text)


def wait_for_download(directory, suffix, before, timeout=240):
    """Waits for a new file: a debug build on a busy 2-core machine can take a minute or more to
    build an audit package."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        names = [n for n in os.listdir(directory) if n.endswith(suffix) and n not in before]
        if names and not any(n.endswith(".crdownload") for n in os.listdir(directory)):
            return os.path.join(directory, names[0])
        time.sleep(0.2)
    fail("download " + suffix, f"nothing arrived in {directory}: {os.listdir(directory)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--accounts", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--cli", required=True)
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    accounts = json.load(open(args.accounts, encoding="utf-8"))
    args.out = os.path.abspath(args.out)
    downloads = os.path.join(args.out, "downloads")
    shutil.rmtree(downloads, ignore_errors=True)
    os.makedirs(downloads, exist_ok=True)
    driver = browser(downloads)
    base = args.base
    try:
        # Every role logs in with its own account and lands on its own first page.
        for role, account in accounts.items():
            login(driver, base, account)
            expected = "用户与授权" if role == "admin" else "工作室总览"
            check(title(driver) == expected, f"{role} logs in", f"title {title(driver)!r}")
            check(account["name"] in settled(lambda: driver.find_element(By.CSS_SELECTOR, ".who .user").text), f"{role} sees own name")
            logout(driver)
            check("/login" in driver.current_url, f"{role} logs out")

        # The accountant explains a finding of its own studio.
        login(driver, base, accounts["accountant"])
        driver.get(base + f"/studios/{OWN}/findings")
        forms = driver.find_elements(By.CSS_SELECTOR, f"form[action='/studios/{OWN}/findings/explain']")
        check(len(forms) > 0, "accountant sees explain forms")
        key = forms[0].find_element(By.NAME, "key").get_attribute("value")
        forms[0].find_element(By.NAME, "text").send_keys("<script>alert(1)</script> 该笔为培训耗材，附验收单")
        navigating(driver, forms[0].find_element(By.CSS_SELECTOR, "button").click)
        check(key in driver.page_source and "&lt;script&gt;alert(1)&lt;/script&gt;" in driver.page_source,
              "explanation shown as text, not markup")
        logout(driver)

        # The bureau reviewer filters the overview, opens a studio, downloads statements and
        # accepts the explained finding.
        login(driver, base, accounts["bureau"])
        # Our script submits the filter when the select changes.
        navigating(driver, lambda: Select(driver.find_element(By.NAME, "county")).select_by_value("雁江区"))
        check("county=" in driver.current_url, "choosing a county submits the filter", driver.current_url)
        rows = driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr:not(.total)")
        counties = {row.find_elements(By.TAG_NAME, "td")[3].text for row in rows}
        check(counties == {"雁江区"}, "overview filtered by county", f"counties {counties}")
        check(FOREIGN not in driver.page_source, "filtered overview leaves out the other county")
        driver.save_screenshot(os.path.join(args.out, "overview.png"))
        navigating(driver, driver.find_element(By.LINK_TEXT, OWN).click)
        check(f"/studios/{OWN}" in driver.current_url, "bureau opens the studio")
        driver.save_screenshot(os.path.join(args.out, "studio.png"))
        navigating(driver, driver.find_element(By.LINK_TEXT, "下载").click)
        before = set(os.listdir(downloads))
        driver.find_element(By.CSS_SELECTOR, f"a[href^='/studios/{OWN}/reports/fund-statement.pdf']").click()
        pdf = wait_for_download(downloads, ".pdf", before)
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
        check("专项资金收支情况表" in text and OWN in text, "PDF downloaded and read back with pdftotext")
        before = set(os.listdir(downloads))
        driver.find_element(By.CSS_SELECTOR, f"a[href^='/studios/{OWN}/reports/trial-balance.xlsx']").click()
        xlsx = wait_for_download(downloads, ".xlsx", before)
        import openpyxl
        book = openpyxl.load_workbook(xlsx)
        cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        check(any("科目余额表" in c for c in cells), "XLSX downloaded and read back with openpyxl")
        driver.get(base + "/findings")
        forms = [f for f in driver.find_elements(By.CSS_SELECTOR, f"form[action='/studios/{OWN}/findings/decide']")
                 if f.find_element(By.NAME, "key").get_attribute("value") == key]
        check(len(forms) == 1, "explained finding waits in the bureau's inbox")
        forms[0].find_element(By.NAME, "note").send_keys("同意")
        navigating(driver, forms[0].find_element(By.CSS_SELECTOR, "button[value=accept]").click)
        driver.get(base + f"/studios/{OWN}/findings")
        check("说明已接受" in driver.page_source, "bureau accepted the explanation")
        driver.get(base + "/log?action=finding")
        check(accounts["bureau"]["name"] in driver.page_source and "finding.accept" in driver.page_source,
              "the decision is logged under the bureau's account")
        logout(driver)

        # The county bureau cannot open another county's studio.
        login(driver, base, accounts["county"])
        driver.get(base + f"/studios/{FOREIGN}")
        check("不存在或不在您的授权范围内" in driver.page_source, "county refused another county's studio")
        driver.get(base + f"/studios/{OWN}")
        check(title(driver).endswith("概况"), "county opens its own county's studio")
        logout(driver)

        # The auditor downloads the audit package, and it verifies.
        login(driver, base, accounts["auditor"])
        driver.get(base + f"/studios/{OWN}/downloads")
        before = set(os.listdir(downloads))
        driver.find_element(By.CSS_SELECTOR, f"a[href^='/studios/{OWN}/audit-package.zip']").click()
        package = wait_for_download(downloads, ".zip", before)
        verified = subprocess.run([args.cli, "audit-package", "verify", package, "--db", args.db], capture_output=True, text=True)
        check(verified.returncode == 0, "audit-package verify passes on the downloaded package", verified.stdout + verified.stderr)
        driver.get(base + f"/studios/{FOREIGN}/downloads")
        check("不存在或不在您的授权范围内" in driver.page_source, "auditor refused a studio outside the engagement")
        logout(driver)
    finally:
        driver.quit()
    print("all browser checks passed")


if __name__ == "__main__":
    main()
