"""Teaching points through the API (requirements/organisation.md §1)."""

from __future__ import annotations

from tests.http.api_helpers import API, enter_form, ok, problem

NEW_POINT = {
    "code": "201",
    "name": "苏州工业园区学习中心",
    "address": "苏州市工业园区星湖街328号",
    "recruiters": ["孙丽", "何伟"],
    "phones": ["0512-62345678", "13912345678"],
}


def test_system_admin_creates_a_teaching_point(client, world, login):
    created = ok(client.post(f"{API}/teaching-points", json=NEW_POINT, headers=login("sysadmin")), 201)
    assert {k: created[k] for k in NEW_POINT} == NEW_POINT
    assert created["enabled"] is True
    shown = ok(client.get(f"{API}/teaching-points/{created['id']}", headers=login("sysadmin")))
    assert shown == created
    codes = [p["code"] for p in ok(client.get(f"{API}/public/teaching-points"))]
    assert codes == ["101", "102", "201"]


def test_recruiters_and_phones_may_be_one_comma_separated_entry(client, world, login):
    body = {**NEW_POINT, "recruiters": ["孙丽，何伟,赵强"], "phones": ["0512-62345678，13912345678"]}
    created = ok(client.post(f"{API}/teaching-points", json=body, headers=login("sysadmin")), 201)
    assert created["recruiters"] == ["孙丽", "何伟", "赵强"]
    assert created["phones"] == ["0512-62345678", "13912345678"]


def test_a_duplicate_code_is_409(client, world, login):
    problem(client.post(f"{API}/teaching-points", json={**NEW_POINT, "code": "101"}, headers=login("sysadmin")),
            409, "teaching_point.code_taken")


def test_invalid_teaching_point_input_is_422(client, world, login):
    problem(client.post(f"{API}/teaching-points", json={**NEW_POINT, "code": "!"}, headers=login("sysadmin")),
            422, "code.malformed")
    problem(client.post(f"{API}/teaching-points", json={**NEW_POINT, "phones": ["12"]}, headers=login("sysadmin")),
            422, "phone.malformed")
    problem(client.post(f"{API}/teaching-points", json={"code": "301"}, headers=login("sysadmin")), 422)


def test_a_teaching_point_admin_cannot_create_one(client, world, login):
    problem(client.post(f"{API}/teaching-points", json=NEW_POINT, headers=login("xuanwu")), 403, "auth.role_not_allowed")
    problem(client.post(f"{API}/teaching-points", json=NEW_POINT, headers=login("jiaowu")), 403)


def test_a_teaching_point_admin_edits_its_own_contact_details(client, world, login):
    url = f"{API}/teaching-points/{world.tp['101']}/contact-details"
    edited = ok(
        client.patch(url, json={"address": "南京市玄武区珠江路1号", "recruiters": ["陈刚", "王芳"], "phones": ["13812345678"],
                                "reason": "招生人员调整"}, headers=login("xuanwu"))
    )
    assert edited["address"] == "南京市玄武区珠江路1号"
    assert edited["recruiters"] == ["陈刚", "王芳"] and edited["phones"] == ["13812345678"]
    assert edited["code"] == "101" and edited["name"] == "玄武学习中心"
    # Only its own: the other teaching point is reported as not found, and stays unchanged.
    other = f"{API}/teaching-points/{world.tp['102']}"
    problem(client.patch(f"{other}/contact-details", json={"address": "改"}, headers=login("xuanwu")), 404)
    problem(client.get(other, headers=login("xuanwu")), 404)
    assert ok(client.get(other, headers=login("sysadmin")))["address"] == "南京市鼓楼区"


def test_a_teaching_point_admin_lists_only_its_own_point(client, world, login):
    listed = ok(client.get(f"{API}/teaching-points", headers=login("gulou")))
    assert [p["code"] for p in listed["items"]] == ["102"] and listed["total"] == 1
    assert ok(client.get(f"{API}/teaching-points", headers=login("sysadmin")))["total"] == 2


def test_disable_and_enable(client, world, login):
    url = f"{API}/teaching-points/{world.tp['102']}"
    problem(client.post(f"{url}/disable", json={}, headers=login("gulou")), 403)
    assert ok(client.post(f"{url}/disable", json={"reason": "停止合作"}, headers=login("sysadmin")))["enabled"] is False
    problem(client.post(f"{url}/disable", json={}, headers=login("sysadmin")), 409, "teaching_point.already_disabled")
    # A disabled point is gone from the public list and admits nobody.
    assert [p["code"] for p in ok(client.get(f"{API}/public/teaching-points"))] == ["101"]
    problem(enter_form(client, login("gulou"), world), 409, "teaching_point.disabled")
    problem(
        client.post(f"{API}/public/quick-registrations",
                    json={"name": "张三", "mobile": "13912345678", "intended_major": "会计",
                          "teaching_point_id": str(world.tp["102"])}),
        409, "teaching_point.disabled",
    )
    assert ok(client.get(f"{API}/teaching-points", params={"enabled": "false"}, headers=login("sysadmin")))["total"] == 1
    assert ok(client.post(f"{url}/enable", json={}, headers=login("sysadmin")))["enabled"] is True
    problem(client.post(f"{url}/enable", json={}, headers=login("sysadmin")), 409, "teaching_point.already_enabled")
    ok(enter_form(client, login("gulou"), world), 201)
