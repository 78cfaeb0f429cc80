"""An author's first visit to Examples/Blog in headless Chromium: the empty blog leads to making
the author account; then a post written in Markdown, read back, edited, signing out, a wrong
password, and signing in again. Every step is a click or typed text, as a person would do it.

Usage: python3 blog_browser.py PORT. Needs Debian's chromium and chromium-driver and selenium
from PyPI; exits non-zero when a check fails. Every wait is bounded.
"""

import sys
from urllib.parse import urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from headless import browser


def fill(driver, name: str, text: str) -> None:
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def submit(driver) -> None:
    driver.find_element(By.CSS_SELECTOR, "input[type=submit]").click()


def wait_for_path(driver, path: str) -> None:
    WebDriverWait(driver, 20).until(lambda d: urlparse(d.current_url).path == path)


def main(port: int) -> None:
    base = f"http://127.0.0.1:{port}"
    driver = browser()
    try:
        driver.set_page_load_timeout(20)
        # An empty blog: home -> compose -> sign in -> make the author.
        driver.get(base + "/")
        wait_for_path(driver, "/auth/create")
        fill(driver, "email", "ada@example.com")
        fill(driver, "name", "Ada")
        fill(driver, "password", "correct horse")
        submit(driver)
        wait_for_path(driver, "/compose")

        # A post in Markdown.
        fill(driver, "title", "Notes on the Analytical Engine")
        fill(driver, "markdown", "It weaves *algebraic patterns*.\n\n- first\n- second\n")
        submit(driver)
        wait_for_path(driver, "/entry/notes-on-the-analytical-engine")
        body = driver.find_element(By.CSS_SELECTOR, ".entry .body")
        assert body.find_element(By.TAG_NAME, "em").text == "algebraic patterns", body.get_attribute("innerHTML")
        assert [li.text for li in body.find_elements(By.TAG_NAME, "li")] == ["first", "second"]

        # Edit it from its own link.
        driver.find_element(By.LINK_TEXT, "Edit this post").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.NAME, "title").get_attribute("value"))
        fill(driver, "title", "Notes on the Engine")
        submit(driver)
        wait_for_path(driver, "/entry/notes-on-the-analytical-engine")
        assert driver.find_element(By.CSS_SELECTOR, ".entry h1").text == "Notes on the Engine"

        # The home page and the feed link.
        driver.get(base + "/")
        titles = [h.text for h in driver.find_elements(By.CSS_SELECTOR, ".entry h1")]
        assert titles == ["Notes on the Engine"], titles

        # Sign out; composing asks for a sign-in; a wrong password says so.
        driver.find_element(By.LINK_TEXT, "Sign out").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.LINK_TEXT, "Sign in"))
        assert not driver.find_elements(By.LINK_TEXT, "Edit this post")
        driver.get(base + "/compose")
        WebDriverWait(driver, 20).until(lambda d: "/auth/login" in d.current_url)
        fill(driver, "email", "ada@example.com")
        fill(driver, "password", "wrong password")
        submit(driver)
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".error"))
        assert "incorrect password" in driver.find_element(By.CSS_SELECTOR, ".error").text
        fill(driver, "email", "ada@example.com")
        fill(driver, "password", "correct horse")
        submit(driver)
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.LINK_TEXT, "New post"))
        print("ok")
    finally:
        driver.quit()


if __name__ == "__main__":
    main(int(sys.argv[1]))
