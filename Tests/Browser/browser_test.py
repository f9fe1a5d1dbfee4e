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
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
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


def type_keys(driver, *keys):
    """Sends keys to whatever has the focus, as a person at the keyboard would."""
    chain = webdriver.ActionChains(driver)
    for key in keys:
        chain.send_keys(key)
    chain.perform()


def control(driver, key):
    """Ctrl+key, held as a person holds it."""
    webdriver.ActionChains(driver).key_down(Keys.CONTROL).send_keys(key).key_up(Keys.CONTROL).perform()


def fill_voucher(driver, lines, attachments="1"):
    """Fills the voucher form from the keyboard alone: each line is (memo, what to type for the
    account, how many funds down from the line's default, debit, credit); "=" balances."""
    head = driver.find_element(By.NAME, "attachments")
    head.click()
    control(driver, "a")
    type_keys(driver, attachments, Keys.ENTER)
    active = driver.switch_to.active_element
    check(active.get_attribute("name") == "l0_memo", "Enter in the header moves to the first 摘要", active.get_attribute("name"))
    for memo, account, funds_down, debit, credit in lines:
        type_keys(driver, memo, Keys.ENTER)
        type_keys(driver, account)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".suggest li"))
        type_keys(driver, Keys.ENTER)
        for _ in range(funds_down):
            type_keys(driver, Keys.ARROW_DOWN)
        type_keys(driver, Keys.ENTER)
        type_keys(driver, debit, Keys.ENTER)
        if debit == "":
            type_keys(driver, credit, Keys.ENTER)


def journal_total(driver, base):
    driver.get(base + f"/studios/{OWN}/journal")
    pager = settled(lambda: driver.find_element(By.CSS_SELECTOR, ".pager").text)
    return pager.split("共")[1].split("张")[0].strip()


def balance_cell(driver, base, fund, account):
    """The debit turnover of an account on the 科目余额表 page for one fund."""
    driver.get(base + f"/studios/{OWN}/balance?fund={fund}")
    for row in driver.find_elements(By.CSS_SELECTOR, "table tbody tr"):
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        if cells and cells[0].strip() == account:
            return cells
    return []


def voucher_desk(driver, base, accounts, args, pdf):
    """The accountant's desk: a voucher entered from the keyboard, a PDF attached, reviewed and
    posted by the supervisor; a returned draft; a voucher file with three bad rows."""
    accountant, supervisor = accounts["accountant"], accounts["supervisor"]
    login(driver, base, supervisor)
    before_total = journal_total(driver, base)
    before_balance = balance_cell(driver, base, "enterprise", "500101")
    logout(driver)

    login(driver, base, accountant)
    driver.get(base + f"/studios/{OWN}/drafts/new")
    check(title(driver).endswith("填制凭证"), "accountant opens the voucher form", title(driver))
    fill_voucher(driver, [
        ("购置数控实训设备（补助资金部分）", "pxsssbgz", 0, "8000", ""),
        ("..", "yhck", 0, "", "="),
        ("购置数控实训设备（企业支持资金部分）", "500101", 1, "2000", ""),
        ("..", "yhck", 1, "", "="),
    ])
    form = driver.find_element(By.ID, "voucher-form")
    check(driver.find_element(By.NAME, "l1_memo").get_attribute("value") == "购置数控实训设备（补助资金部分）", "'..' copies the 摘要 above")
    check(driver.find_element(By.NAME, "l0_account").get_attribute("value") == "500101", "pinyin initials found 500101")
    check(driver.find_element(By.NAME, "l3_credit").get_attribute("value") == "2000.00", "'=' balanced the enterprise fund",
          driver.find_element(By.NAME, "l3_credit").get_attribute("value"))
    check(form.find_element(By.CSS_SELECTOR, ".sum-debit").text == "10,000.00", "live 合计", form.find_element(By.CSS_SELECTOR, ".sum-debit").text)
    check(form.find_element(By.CSS_SELECTOR, ".daxie").text == "人民币壹万元整", "live 大写", form.find_element(By.CSS_SELECTOR, ".daxie").text)
    check(form.find_element(By.CSS_SELECTOR, ".fund-balance").text == "各资金借贷平衡", "each fund balances")
    driver.save_screenshot(os.path.join(args.out, "voucher-form.png"))
    navigating(driver, lambda: control(driver, "s"))
    problems = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error, .cell-error")]
    check("/drafts/" in driver.current_url and "草稿" in title(driver), "Ctrl+S saved the draft", f"{driver.current_url} {problems}")
    draft_url = driver.current_url
    upload = driver.find_element(By.CSS_SELECTOR, "form.upload input[type=file]")
    upload.send_keys(pdf)
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form.upload button").click)
    check(os.path.basename(pdf) in driver.page_source and "已附 1 个文件 / 附单据数 1 张" in driver.page_source, "PDF attached to the draft")
    navigating(driver, driver.find_element(By.XPATH, "//button[text()='提交审核']").click)
    check("待审核" in driver.page_source, "draft submitted")
    check(not driver.find_elements(By.XPATH, "//button[text()='审核通过']"), "the maker is offered no review")
    logout(driver)

    login(driver, base, supervisor)
    driver.get(base + "/vouchers")
    check(draft_url.split(base)[1] in driver.page_source, "the draft waits in the supervisor's review queue")
    driver.save_screenshot(os.path.join(args.out, "review-queue.png"))
    driver.get(draft_url)
    driver.save_screenshot(os.path.join(args.out, "draft-review.png"))
    navigating(driver, driver.find_element(By.XPATH, "//button[text()='审核通过']").click)
    check("已审核" in driver.page_source, "supervisor reviewed it")
    def post_and_confirm():
        driver.find_element(By.XPATH, "//button[text()='记账']").click()
        WebDriverWait(driver, 10).until(expected_conditions.alert_is_present())
        driver.switch_to.alert.accept()
    navigating(driver, post_and_confirm)
    check("/vouchers/" in driver.current_url, "posted: the voucher's page", driver.current_url)
    meta = driver.find_element(By.CSS_SELECTOR, "dl.meta").text
    check(accountant["name"] in meta and supervisor["name"] in meta, "制单 and 审核 are the real accounts", meta)
    check("已附 1 个文件" in driver.page_source, "the PDF went with the voucher")
    after_balance = balance_cell(driver, base, "enterprise", "500101")
    def amounts(cells):
        values = []
        for cell in cells[1:]:
            try:
                values.append(round(float(cell.replace(",", "")), 2))
            except ValueError:
                values.append(None)
        return values
    moved = [round(b - a, 2) for a, b in zip(amounts(before_balance), amounts(after_balance)) if a is not None and b is not None]
    check(2000.0 in moved and set(moved) <= {0.0, 2000.0}, "the 科目余额表 (企业支持资金) shows 500101 up by exactly 2,000.00",
          f"{before_balance} → {after_balance}")
    subsidy = balance_cell(driver, base, "subsidy", "500101")
    check(subsidy != [], "500101 has a 补助资金 row too", str(subsidy))
    check(int(journal_total(driver, base)) == int(before_total) + 1, "one more voucher in the 序时账")
    verified = subprocess.run([args.cli, "verify", "--db", args.db], capture_output=True, text=True)
    check(verified.returncode == 0, "verify passes after posting from the browser", verified.stdout + verified.stderr)
    logout(driver)

    # A returned draft goes back to its maker with the reason.
    login(driver, base, accountant)
    driver.get(base + f"/studios/{OWN}/drafts/new")
    fill_voucher(driver, [("购置实训耗材", "500104", 0, "300", ""), ("..", "yhck", 0, "", "=")], attachments="0")
    navigating(driver, lambda: control(driver, "s"))
    second = driver.current_url
    navigating(driver, driver.find_element(By.XPATH, "//button[text()='提交审核']").click)
    logout(driver)
    login(driver, base, supervisor)
    driver.get(second)
    driver.find_element(By.CSS_SELECTOR, "form[action$='/return'] input[name=reason]").send_keys("请补附耗材发票")
    navigating(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/return'] button").click)
    logout(driver)
    login(driver, base, accountant)
    driver.get(base + "/vouchers")
    check("退回" in driver.page_source and "请补附耗材发票" in driver.page_source, "the returned draft is back with its reason")
    logout(driver)

    # A voucher file with three bad rows: every error listed, nothing written.
    bad = os.path.join(args.out, "bad-vouchers.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write("日期,凭证字,凭证号,摘要,科目编码,资金来源,借方金额,贷方金额,附单据数,结算方式,发票代码,发票号码,往来单位,制单人,审核人\n")
        f.write("2026-11-09,记,1,购买耗材,500104,补助资金,1O0.00,,0,,,,,赵会计,钱主管\n")
        f.write("2026-11-09,记,1,购买耗材,100201,补助资金,,100.00,,,,,,,\n")
        f.write("2026-11-10,记,2,购买耗材,599999,补助资金,200.00,,0,,,,,赵会计,钱主管\n")
        f.write("2026-11-10,记,2,购买耗材,100201,补助资金,,200.00,,,,,,,\n")
        f.write("2026-11-11,记,3,购买耗材,500104,补助资金,300.00,,0,,,,,赵会计,钱主管\n")
        f.write("2026-11-11,记,3,购买耗材,100201,公款,,300.00,,,,,,,\n")
    login(driver, base, accountant)
    total = journal_total(driver, base)
    driver.get(base + f"/studios/{OWN}/import")
    driver.find_element(By.CSS_SELECTOR, "input[type=file][name=file]").send_keys(bad)
    navigating(driver, driver.find_element(By.XPATH, "//button[text()='检查文件']").click)
    errors = driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    texts = [row.text for row in errors]
    check(len(errors) == 3 and all("行 " in t and " 列 " in t for t in texts), "three bad rows, three errors as 行 N 列 名称", "\n".join(texts))
    check("没有写入任何内容" in driver.page_source, "the page says nothing was written")
    driver.save_screenshot(os.path.join(args.out, "import-errors.png"))
    check(journal_total(driver, base) == total, "nothing written")
    logout(driver)


def parallel_books(driver, base, accounts, args, downloads):
    """A college's accountant (平行记账, 政府会计制度): a voucher saved as a draft carries its budget
    lines, marked 预算, with the financial 合计; the studio's budget statement ties to the bank."""
    college = "ZY2025-003"
    login(driver, base, accounts["college-accountant"])
    driver.get(base + f"/studios/{college}/drafts/new")
    check(title(driver).endswith("填制凭证"), "the college accountant opens the voucher form", title(driver))
    fill_voucher(driver, [
        ("支付中式烹调带徒培训食材费", "500104", 2, "300", ""),
        ("..", "yhck", 2, "", "="),
    ])
    navigating(driver, lambda: control(driver, "s"))
    problems = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".error, .cell-error")]
    check("/drafts/" in driver.current_url, "the college's draft saved", f"{driver.current_url} {problems}")
    accounts_entered = [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "input.account")]
    check("720104" in accounts_entered and "800102" in accounts_entered,
          "the saved draft carries its budget lines (事业支出, 资金结存), editable in the form", str(accounts_entered))
    form = driver.find_element(By.ID, "voucher-form")
    check(form.find_element(By.CSS_SELECTOR, ".daxie").text == "人民币叁佰元整", "the 合计 is the financial lines'",
          form.find_element(By.CSS_SELECTOR, ".daxie").text)
    driver.save_screenshot(os.path.join(args.out, "college-draft.png"))
    driver.get(base + f"/studios/{college}/downloads")
    check(f"/studios/{college}/reports/budget-statement.pdf" in driver.page_source, "the downloads list the budget statements")
    before = set(os.listdir(downloads))
    driver.find_element(By.CSS_SELECTOR, f"a[href^='/studios/{college}/reports/budget-statement.pdf']").click()
    pdf = wait_for_download(downloads, ".pdf", before)
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    check("项目预算收入支出表" in text and "核对：银行存款及库存现金期末余额" in text, "the budget statement PDF, read back with pdftotext", text[:300])
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", pdf, os.path.join(args.out, "budget-statement")], check=True)
    driver.get(base + "/studios/ZY2025-001/downloads")
    check("不存在或不在您的授权范围内" in driver.page_source, "the college's accountant is refused the enterprise's studio")
    logout(driver)


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

        voucher_desk(driver, base, accounts, args, pdf)
        parallel_books(driver, base, accounts, args, downloads)

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
