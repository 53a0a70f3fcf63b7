"""Logging in through a real browser; refusals a user can run into."""

from __future__ import annotations

from tests.service.web.browser.conftest import PASSWORD, log_in


def test_a_wrong_password_is_refused_and_the_right_one_lets_the_coach_in(page):
    log_in(page, "coach", "niet-het-wachtwoord")
    assert page.get_by_text("Gebruikersnaam of wachtwoord klopt niet").is_visible()
    assert page.get_by_label("Gebruikersnaam").input_value() == "coach"
    assert "/login" in page.url
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/coach")


def test_a_form_without_its_csrf_token_is_refused(page):
    page.goto("/login")
    # A forged form: the hidden token removed before it is sent.
    page.evaluate("document.querySelector('input[name=csrf_token]').remove()")
    page.get_by_label("Gebruikersnaam").fill("coach")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_text("Het formulier is verlopen").is_visible()
    page.goto("/coach")
    assert "/login" in page.url


def test_the_api_docs_render_offline(page):
    page.goto("/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "spoormatch" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.goto("/redoc")
    page.locator(".api-content h1").first.wait_for()
    assert "spoormatch" in page.locator(".api-content h1").first.inner_text()
