"""What a coach and an employer do in a real browser, end to end.

Story 2 (burn-out, Utrecht, at most 4 hours a day and 20 a week, a quiet
workplace, no noise) is the fitting candidate for the place the employer posts.
The coach records the employer as her own (spoor 1); the place asks 6-hour days
that the employer can shorten to 4 if needed, so the coach finds it first, marked
spoor 1, as an adjusted suggestion with its condition (contract v1.1).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.service.web.browser.conftest import PASSWORD, log_in, screenshot

PLACE_TITLE = "Administratief medewerker debiteuren"
# Nothing of this may ever reach the employer's pages.
MEDICAL = ("IV.13", "VI.2", "VI.3", "I.8", "III.6", "belastbaarheid", "Belastbaarheid", "bedrijfsarts",
           "MOTIVATIE-ITEM", "uren per dag: precies", "ziek")


def _suggestions_loaded(page) -> None:
    page.locator("ol.suggestions").first.wait_for(state="attached")


def test_coach_sets_a_suggestion_aside_and_undoes_it(page, site):
    log_in(page, "coach")
    page.wait_for_url("**/coach")
    page.get_by_role("link", name=re.compile("c-story-5")).first.click()
    _suggestions_loaded(page)
    first = page.locator("li.suggestion").first
    title = first.locator("h3").inner_text().split(". ", 1)[1]
    assert first.locator(".explanation").inner_text().strip()
    first.locator("summary").click()
    first.get_by_label("Toelichting (voor het dossier)").fill("Te ver reizen met het OV")
    first.get_by_role("button", name="Terzijde leggen").click()
    page.locator("#terzijde").wait_for()
    set_aside = page.locator("section[aria-labelledby=terzijde]")
    assert title in set_aside.inner_text()
    _suggestions_loaded(page)
    assert title not in " ".join(page.locator("li.suggestion h3").all_inner_texts())
    set_aside.get_by_role("button", name=re.compile("Ongedaan maken")).first.click()
    _suggestions_loaded(page)
    assert "Niets terzijde gelegd" in page.locator("section[aria-labelledby=terzijde]").inner_text()
    assert title in " ".join(page.locator("li.suggestion h3").all_inner_texts())


def test_employer_posts_a_place_that_a_coach_finds_and_introduces(browser, site, page):
    # The coach records story 2's own employer, and what she earned before.
    coach_context = browser.new_context(base_url=site.url, viewport={"width": 1100, "height": 900})
    coach = coach_context.new_page()
    coach.set_default_timeout(15_000)
    log_in(coach, "coach")
    coach.wait_for_url("**/coach")
    coach.goto("/coach/kandidaten/c-story-2/profiel")
    coach.get_by_label("Eigen werkgever").select_option(
        label=f"Werkgever {site.organisation_id} ({site.organisation_id})")
    coach.get_by_label("Vorige functie").fill("Financieel administratief medewerker")
    coach.locator('[name="former_work.hours_per_week"]').fill("32")
    coach.locator('[name="former_work.hourly_wage"]').fill("17,50")
    coach.get_by_role("button", name="Opslaan").click()
    coach.get_by_text("Het profiel is opgeslagen.").wait_for()
    assert f"Werkgever {site.organisation_id}" in coach.locator("section[aria-labelledby=profiel]").inner_text()

    # The employer posts a place through the plain questions: days of 6 hours that can be 4 if needed.
    log_in(page, "werkgever")
    page.wait_for_url("**/werkgever")
    page.get_by_role("link", name="Plek plaatsen").first.click()
    page.get_by_label("Functienaam").fill(PLACE_TITLE)
    page.get_by_label("Omschrijving van het werk").fill(
        "Je verwerkt facturen en houdt de debiteurenadministratie bij in een rustig team, in Exact Online.")
    page.get_by_label("Postcode of plaats").fill("3512")
    page.get_by_label("Vaardigheden").fill("boekhouden, Exact Online, Excel")
    page.get_by_label("Aantal plaatsen").fill("1")
    page.get_by_label("Uurloon vanaf (€)").fill("16,80")
    page.get_by_label("Uren per week", exact=True).fill("16")
    page.get_by_label("Uren per dag (hooguit)").fill("6")
    page.get_by_text("Kunnen de werktijden worden aangepast als dat nodig is?").click()
    page.get_by_label("Kunnen de werkdagen zo nodig korter? Tot hoeveel uur per dag?").fill("4")
    page.get_by_label("Moet er getild worden? Hoe zwaar?").select_option(label="Af en toe lichte dingen, tot ongeveer 2 kilo")
    page.get_by_label("Weinig afleiding door wat anderen doen").first.check()
    page.get_by_label("Weinig storingen en onderbrekingen").first.check()
    page.get_by_label("Weinig deadlines of drukke pieken").first.check()
    screenshot(page, "employer-place-form.png")
    page.get_by_role("button", name="Plek plaatsen").click()
    page.get_by_text(PLACE_TITLE).first.wait_for()
    assert "Ja, tot 4 uur per dag" in page.locator("main").inner_text()

    # At once, the coach finds it first among story 2's suggestions: her own employer's, with the condition.
    coach.goto("/coach")
    coach.get_by_role("link", name=re.compile("c-story-2")).first.click()
    _suggestions_loaded(coach)
    card = coach.locator("li.suggestion", has_text=PLACE_TITLE)
    assert card.count() == 1, "the new place is not among the fitting candidate's suggestions"
    assert coach.locator("li.suggestion").first.locator("h3").inner_text().endswith(PLACE_TITLE)
    text = card.inner_text()
    assert "Spoor 1: eigen werkgever" in text and "Past met aanpassing" in text
    assert "Past als de werkgever de werkdag beperkt tot 4 uur, nu 6" in text
    assert "van het oude loon" in text
    screenshot(coach, "coach-candidate.png")
    # The filters: only the own employer's adjusted places, the same place.
    coach.get_by_label("Werkgever", exact=True).select_option(label="Spoor 1: eigen werkgever")
    coach.get_by_label("Oordeel").select_option(label="Met aanpassing")
    coach.get_by_role("button", name="Toon").click()
    coach.wait_for_url(re.compile(r"spoor=1&verdict=adjust"))
    _suggestions_loaded(coach)
    assert [t.split(". ", 1)[1] for t in coach.locator("li.suggestion h3").all_inner_texts()] == [PLACE_TITLE]
    card = coach.locator("li.suggestion", has_text=PLACE_TITLE)
    card.get_by_role("link", name=re.compile("Voorstellen")).click()
    # The introduction says which adjustment is asked of the employer.
    agreement = coach.locator("section[aria-labelledby=afspraken]").inner_text()
    assert "Werkdagen van hoogstens 4 uur" in agreement
    coach.get_by_label("Motivatie voor de werkgever").fill(
        "Negen jaar ervaring in de debiteurenadministratie en thuis in Exact Online.")
    flagged = coach.locator("textarea[name^='signal_motivations.']")
    # Without the motivations per flagged item the introduction is refused, beside the field.
    if flagged.count():
        coach.get_by_role("button", name="Voorstellen").click()
        coach.locator(".error").first.wait_for()
        assert coach.locator("textarea[name^='signal_motivations.'][aria-invalid=true]").count() == flagged.count()
        for i in range(flagged.count()):
            flagged.nth(i).fill(f"MOTIVATIE-ITEM {i}: besproken met de kandidaat en de bedrijfsarts.")
    coach.get_by_role("button", name="Voorstellen").click()
    coach.locator("section[aria-labelledby=voorstellen] td", has_text=PLACE_TITLE).first.wait_for()
    agreed = coach.locator("section[aria-labelledby=voorstellen] td", has_text=PLACE_TITLE).first.inner_text()
    assert "Afgesproken met de werkgever" in agreed and "beperkt tot 4 uur" in agreed
    coach_context.close()

    # The employer sees the introduction, pseudonymous, with nothing medical.
    page.goto("/werkgever")
    page.get_by_role("link", name=re.compile("Kandidaat [0-9A-F]{6}")).first.click()
    body = page.locator("main").inner_text()
    assert "Financieel administratief medewerker" in body  # her experience is shown
    # Which adjustment is asked, never why.
    assert "Werkdagen van hoogstens 4 uur" in body
    for marker in (*MEDICAL, "Past als", "oude loon"):
        assert marker not in page.content(), f"{marker!r} on the employer's introduction page"
    page.get_by_label(re.compile("Uitnodigen|Interesse|interesse")).first.check()
    page.get_by_role("button", name=re.compile("Reactie|Opslaan|Versturen|Besluit")).first.click()
    page.get_by_text(re.compile("[Ii]nteresse|[Uu]itgenodigd")).first.wait_for()


def test_a_phone_sized_screen_needs_no_sideways_scrolling(browser, site):
    context = browser.new_context(base_url=site.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    widths = {}
    log_in(page, "coach")
    page.wait_for_url("**/coach")
    widths["/coach"] = page.evaluate("document.documentElement.scrollWidth")
    page.goto("/coach/kandidaten/c-story-5")
    _suggestions_loaded(page)
    widths["candidate"] = page.evaluate("document.documentElement.scrollWidth")
    page.goto("/coach/kandidaten/c-story-5/profiel")
    widths["profile"] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert all(w <= 380 for w in widths.values()), widths


def test_the_keyboard_reaches_the_login_form_and_submits_it(page):
    page.goto("/login")
    # The username field has the focus on arrival. Chromium applies
    # autofocus at its next rendering step, which can come after "load" on a
    # busy machine: wait for it rather than read the focus once.
    expect(page.locator("#username")).to_be_focused()
    page.keyboard.type("coach")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/coach")
    # From the top of a page, the first Tab offers to skip to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


def test_a_timeline_fact_is_not_marked_as_a_warning(page):
    """On the coach's pages a timeline message of level info keeps the quiet border;
    warnings and urgent ones are marked, overdue ones more strongly still."""
    log_in(page, "coach")
    page.wait_for_url("**/coach")
    colours = page.evaluate("""() => {
        const out = {};
        for (const level of ["info", "warning", "urgent", "overdue"]) {
            const p = document.createElement("p");
            p.className = "warning " + level;
            document.querySelector("main").appendChild(p);
            out[level] = getComputedStyle(p).borderLeftColor;
        }
        return out;
    }""")
    assert colours["warning"] == colours["urgent"]
    assert len({colours["info"], colours["warning"], colours["overdue"]}) == 3, colours
