"""Two people chatting in headless Chromium: each types into the form and presses Enter, and
both inboxes show both messages, delivered over the WebSocket without reloading the page.

Usage: python3 chat_browser.py PORT. Needs Debian's chromium and chromium-driver and selenium
from PyPI; exits non-zero when a check fails. Every wait is bounded.
"""

import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from headless import browser


def inbox(driver) -> list[str]:
    return [node.text for node in driver.find_elements(By.CSS_SELECTOR, "#inbox .message")]


def say(driver, text: str) -> None:
    field = driver.find_element(By.ID, "message")
    field.send_keys(text)
    field.send_keys(Keys.ENTER)


def main(port: int) -> None:
    url = f"http://127.0.0.1:{port}/"
    alice, bob = browser(), browser()
    try:
        for driver in (alice, bob):
            driver.set_page_load_timeout(20)
            driver.get(url)
            # The socket is open once the page's script ran; wait for it.
            WebDriverWait(driver, 20).until(
                lambda d: d.execute_script("return updater.socket && updater.socket.readyState === 1")
            )
        say(alice, "Hello from Alice, see http://example.com")
        WebDriverWait(bob, 20).until(lambda d: "Hello from Alice, see http://example.com" in inbox(d))
        say(bob, "Hi Alice <b>not bold</b>")
        for driver in (alice, bob):
            WebDriverWait(driver, 20).until(lambda d: inbox(d)[-2:] == [
                "Hello from Alice, see http://example.com", "Hi Alice <b>not bold</b>"])
        # linkify made a link; the markup Bob typed stayed text.
        link = alice.find_element(By.CSS_SELECTOR, "#inbox .message a")
        assert link.get_attribute("href") == "http://example.com/", link.get_attribute("href")
        assert not alice.find_elements(By.CSS_SELECTOR, "#inbox .message b")
        # The form field is emptied after sending, ready for the next message.
        assert alice.find_element(By.ID, "message").get_attribute("value") == ""
        # Nothing on the page came from outside the app.
        sources = alice.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)")
        assert all(source.startswith(url) or source.startswith(f"ws://127.0.0.1:{port}/") for source in sources), sources
        # A newcomer sees the history in the page itself.
        carol = browser()
        try:
            carol.get(url)
            assert inbox(carol)[-2:] == ["Hello from Alice, see http://example.com", "Hi Alice <b>not bold</b>"]
        finally:
            carol.quit()
        print("ok")
    finally:
        alice.quit()
        bob.quit()


if __name__ == "__main__":
    main(int(sys.argv[1]))
