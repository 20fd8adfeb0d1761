"""CSV import of application forms through the HTTP API, run by the in-process dramatiq worker
the app's lifespan starts."""

from __future__ import annotations

import codecs
import time
from typing import Any

from tests.application.test_form_imports import PNG, csv_bytes, csv_row, mixed_file

URL = "/api/v1/application-forms/imports"


def upload(client, headers, world, content: bytes, filename: str = "报名表.csv", **extra_headers):
    return client.post(
        URL,
        files={"file": (filename, content, "text/csv")},
        data={"admission_batch_id": str(world.admission_batch)},
        headers={**headers, **extra_headers},
    )


def wait_until_finished(client, headers, job_id: str, polls: int = 2000) -> dict[str, Any]:
    """Bounded polling; the test asserts on the outcome, never on how long it took."""
    job: dict[str, Any] = {}
    for _ in range(polls):
        r = client.get(f"{URL}/{job_id}", headers=headers)
        assert r.status_code == 200, r.text
        job = r.json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"the import did not finish: {job.get('status')} {job.get('processed')}/{job.get('total')}")


def test_upload_runs_in_the_background_with_progress_and_row_results(client, world, login):
    xuanwu = login("xuanwu")
    r = upload(client, xuanwu, world, mixed_file(), **{"X-Correlation-ID": "import-upload-0001"})
    assert r.status_code == 202, r.text
    accepted = r.json()
    assert accepted["status"] in ("queued", "running", "done") and accepted["total"] == 6
    assert accepted["filename"] == "报名表.csv"

    job = wait_until_finished(client, xuanwu, accepted["id"])
    assert (job["status"], job["status_label"]) == ("done", "已完成")
    assert (job["total"], job["processed"], job["succeeded"], job["failed"]) == (6, 6, 2, 4)
    by_row = {row["row"]: row for row in job["rows"]}
    assert {n: by_row[n]["code"] for n in range(3, 7)} == {
        3: "id_number.bad_check_digit",
        4: "field.required",
        5: "import.programme_unknown",
        6: "import.duplicate_in_file",
    }
    assert by_row[2]["ok"] and by_row[7]["ok"] and by_row[2]["form_id"] and by_row[7]["form_id"]

    forms = client.get("/api/v1/application-forms", headers=xuanwu).json()
    assert forms["total"] == 2
    assert {f["id"] for f in forms["items"]} == {by_row[2]["form_id"], by_row[7]["form_id"]}

    listed = client.get(URL, headers=xuanwu).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == accepted["id"]

    # The forms' events carry the uploader and the upload request's correlation id.
    events = client.get(f"/api/v1/audit/aggregates/{by_row[2]['form_id']}/events", headers=login("shenji")).json()
    assert events["events"][0]["actor_name"] == "xuanwu"
    assert events["events"][0]["correlation_id"] == "import-upload-0001"


def test_gb18030_file_as_excel_saves_it_is_imported(client, world, login):
    xuanwu = login("xuanwu")
    r = upload(client, xuanwu, world, csv_bytes([csv_row(1, name="欧阳娜娜")], encoding="gb18030"))
    assert r.status_code == 202, r.text
    job = wait_until_finished(client, xuanwu, r.json()["id"])
    assert job["succeeded"] == 1
    form = client.get(f"/api/v1/application-forms/{job['rows'][0]['form_id']}", headers=xuanwu).json()
    assert form["name"] == "欧阳娜娜"


def test_a_picture_renamed_csv_is_refused_and_nothing_is_created(client, world, login):
    xuanwu = login("xuanwu")
    r = upload(client, xuanwu, world, PNG, filename="photo.csv")
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "import.not_csv" and "PNG" in r.json()["detail"]
    assert client.get(URL, headers=xuanwu).json()["total"] == 0
    assert client.get("/api/v1/application-forms", headers=xuanwu).json()["total"] == 0


def test_a_wrong_header_is_refused(client, world, login):
    xuanwu = login("xuanwu")
    r = upload(client, xuanwu, world, "name,id_number,mobile\n张三,1,2\n".encode())
    assert r.status_code == 422
    assert r.json()["code"] == "import.header_invalid"
    assert client.get(URL, headers=xuanwu).json()["total"] == 0


def test_missing_file_or_batch_is_refused(client, world, login):
    xuanwu = login("xuanwu")
    batch = {"admission_batch_id": str(world.admission_batch)}
    r = client.post(URL, files={"other": ("a.csv", b"x", "text/csv")}, data=batch, headers=xuanwu)
    assert r.status_code == 422 and r.json()["code"] == "import.file_required"
    r = client.post(URL, files={"file": ("a.csv", mixed_file(), "text/csv")}, headers=xuanwu)
    assert r.status_code == 422 and r.json()["code"] == "import.admission_batch_required"
    r = client.post(
        URL, files={"file": ("a.csv", mixed_file(), "text/csv")}, data={"admission_batch_id": "nope"}, headers=xuanwu
    )
    assert r.status_code == 422 and r.json()["code"] == "import.admission_batch_unknown"


def test_another_teaching_point_cannot_read_the_job(client, world, login):
    r = upload(client, login("xuanwu"), world, csv_bytes([csv_row(1)]))
    job_id = r.json()["id"]
    wait_until_finished(client, login("xuanwu"), job_id)
    other = client.get(f"{URL}/{job_id}", headers=login("gulou"))
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    assert client.get(URL, headers=login("gulou")).json()["total"] == 0
    assert client.get(f"{URL}/{job_id}", headers=login("jiaowu")).status_code == 200
    assert client.get(URL, headers=login("jiaowu")).json()["total"] == 1


def test_only_teaching_point_administrators_upload(client, world, login):
    assert upload(client, login("jiaowu"), world, csv_bytes([csv_row(1)])).status_code == 403
    assert upload(client, {}, world, csv_bytes([csv_row(1)])).status_code == 401
    assert client.get(URL).status_code == 401


def test_template_download(client, world, login):
    r = client.get(f"{URL}/template", headers=login("xuanwu"))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(codecs.BOM_UTF8)
    header = r.content[len(codecs.BOM_UTF8) :].decode("utf-8").splitlines()[0]
    assert header.startswith("姓名,身份证号码,民族,手机号码,邮箱,通讯地址,工作单位,最高学历层次")
    assert header.endswith("原学历姓名,原学历证件号码,培养方案代码")
