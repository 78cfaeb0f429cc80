"""Headless Chromium for the browser tests: Debian's chromium and chromium-driver, driven by
selenium from PyPI."""

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
