"""A refused form names every invalid field at once, each message beside its own field, and
keeps what was entered."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import applicant

pytestmark = pytest.mark.browser


def test_an_application_form_with_three_wrong_fields_shows_three_messages_beside_them(sign_in, world):
    page = sign_in("xuanwu")
    page.goto("/admin/application-forms/new")
    data = applicant(3, mobile="12345", address="", prior_graduation_date="2030-07-01")
    page.select_option("select[name=programme_id]", str(world.programmes["accounting"]))
    for key, value in data.items():
        if key == "prior_level":
            page.select_option(f"select[name={key}]", value)
        else:
            page.fill(f"input[name={key}]", value)
    page.locator("input[name=address]").evaluate("e => e.removeAttribute('required')")
    page.click("text=保存报名表")

    for field in ("mobile", "address", "prior_graduation_date"):
        message = page.get_by_test_id(f"field-error-{field}")
        expect(message).to_be_visible()
        expect(page.locator(f"[name={field}]")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"[name={field}]")).to_have_attribute("aria-describedby", f"err-{field}")
    expect(page.get_by_test_id("field-error-mobile")).to_contain_text("手机")
    expect(page.get_by_test_id("field-error-name")).to_have_count(0)
    assert page.input_value("input[name=name]") == data["name"]
