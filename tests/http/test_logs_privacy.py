"""No personal data in logs: ID numbers and mobile numbers never reach a log line, whatever the
request carried (a login failure, a form entered by hand, a form imported from a file)."""

from __future__ import annotations

import csv
import io
import time

import structlog

from application.admissions.imports import IMPORT_COLUMNS
from tests.http.api_helpers import API, ok, problem
from tests.support import applicant, make_id_number

ENTERED_ID = make_id_number("19880808", seq=41)
ENTERED_MOBILE = "13712345678"
IMPORTED_ID = make_id_number("19920202", seq=52)
IMPORTED_MOBILE = "15887654321"
SECRETS = (ENTERED_ID, ENTERED_MOBILE, IMPORTED_ID, IMPORTED_MOBILE)


def import_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=IMPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in IMPORT_COLUMNS})
    return buffer.getvalue().encode("utf-8")


def import_row(seq: int, id_number: str, mobile: str) -> dict[str, str]:
    a = applicant(seq, id_number=id_number, mobile=mobile)
    return {
        "姓名": a["name"], "身份证号码": a["id_number"], "民族": a["ethnicity"], "手机号码": a["mobile"],
        "通讯地址": a["address"], "最高学历层次": a["prior_level"], "毕业学校": a["prior_school"],
        "毕业日期": a["prior_graduation_date"], "毕业证书编号": a["prior_certificate_number"], "培养方案代码": "P-ZSB-KJ",
    }


def test_logs_never_contain_id_numbers_or_mobiles(client, world, login, log_output, caplog):
    xuanwu = login("xuanwu")
    # People type their ID number or mobile as the username, and sometimes as the password.
    problem(client.post(f"{API}/auth/login", json={"username": ENTERED_ID, "password": ENTERED_MOBILE}), 401)
    problem(client.post(f"{API}/auth/login", json={"username": ENTERED_MOBILE, "password": ENTERED_ID}), 401)
    # A form entered by hand, a refused one, and one imported from a file.
    ok(client.post(f"{API}/application-forms", headers=xuanwu, json={
        "admission_batch_id": str(world.admission_batch), "programme_id": str(world.programmes["accounting"]),
        "applicant": applicant(1, id_number=ENTERED_ID, mobile=ENTERED_MOBILE)}), 201)
    problem(client.post(f"{API}/application-forms", headers=xuanwu, json={
        "admission_batch_id": str(world.admission_batch), "programme_id": str(world.programmes["accounting"]),
        "applicant": applicant(2, id_number=ENTERED_ID, mobile=ENTERED_MOBILE)}), 409)
    wrong_check_digit = IMPORTED_ID[:-1] + ("1" if IMPORTED_ID.endswith("0") else "0")
    rows = [import_row(3, IMPORTED_ID, IMPORTED_MOBILE), import_row(4, wrong_check_digit, IMPORTED_MOBILE)]
    r = client.post(
        f"{API}/application-forms/imports",
        files={"file": ("报名表.csv", import_csv(rows), "text/csv")},
        data={"admission_batch_id": str(world.admission_batch)},
        headers=xuanwu,
    )
    assert r.status_code == 202, r.text
    job = r.json()
    for _ in range(2000):  # bounded polling; nothing here depends on how long it takes
        job = ok(client.get(f"{API}/application-forms/imports/{job['id']}", headers=xuanwu))
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert (job["status"], job["succeeded"], job["failed"]) == ("done", 1, 1), job
    # A careless caller passes personal data straight to a logger: the pipeline scrubs it.
    structlog.get_logger("tests.careless").warning(
        "careless", id_number=ENTERED_ID, note=f"call {IMPORTED_MOBILE} about {IMPORTED_ID.lower()}",
        nested={"applicant": {"mobile": ENTERED_MOBILE}},
    )

    output = log_output.getvalue()
    # The capture really holds the app's log lines ...
    assert '"event": "request"' in output and "/api/v1/auth/login" in output
    assert "job.done" in output and "application_forms" in output
    assert "[id-number]" in output and "[mobile]" in output
    # ... and none of the personal data, in either case of the check letter.
    everything = output + caplog.text
    for secret in SECRETS:
        assert secret not in everything and secret.lower() not in everything, secret
