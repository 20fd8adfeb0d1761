"""/healthz, /readyz and /metrics: what an operator's probes and Prometheus see."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from application.common.actor import SYSTEM
from infrastructure.container import build
from interfaces.http.app import create_app
from tests.application.test_form_imports import csv_bytes, csv_row, wait_until_finished


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def app_client(settings: Any, clock: Any, **overrides: Any) -> Any:
    container = build(replace(settings, **overrides), clock=clock, fast_hashing=True)
    return TestClient(create_app(container), raise_server_exceptions=False)


def test_health_and_readiness_of_a_working_process(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "broker": "in-process"}}


def test_not_ready_names_what_is_missing_a_lagging_read_model_or_an_unreachable_broker(settings, clock):
    with app_client(settings, clock, projections="worker", ready_max_lag=0) as c:
        c.app.state.container.organisation.register_school(SYSTEM, "32", "江苏开放大学")  # no worker applies it
        lagging = c.get("/readyz")
        assert lagging.status_code == 503 and lagging.headers["content-type"].startswith("application/problem+json")
        body = lagging.json()
        assert body["code"] == "service.not_ready" and "projections" in body["detail"]
        assert body["checks"]["database"] == "ok" and "organisation" in body["checks"]["projections"]
        c.app.state.container.runner.catch_up()  # the worker catches up
        assert c.get("/readyz").status_code == 200
    with app_client(settings, clock, broker_url="redis://127.0.0.1:1/0") as c:
        down = c.get("/readyz")
        assert down.status_code == 503 and down.json()["checks"]["broker"] == "消息队列不可达"
        assert "broker" in down.json()["detail"] and c.get("/healthz").status_code == 200


def test_metrics_count_requests_by_route_template_and_show_lag_and_jobs(client, world, login):
    xuanwu = world.actor("xuanwu")
    job_id = world.container.form_imports.start(xuanwu, world.admission_batch, "a.csv", csv_bytes([csv_row(1)]))
    wait_until_finished(world.container, xuanwu, job_id)
    headers = login("xuanwu")
    assert client.get(f"/api/v1/application-forms/imports/{job_id}", headers=headers).status_code == 200

    scrape = client.get("/metrics")
    assert scrape.status_code == 200 and scrape.headers["content-type"].startswith("text/plain")
    assert str(job_id) not in scrape.text  # no ids (nor anything personal) in labels
    found = samples(scrape.text)
    route = "/api/v1/application-forms/imports/{job_id}"
    key = ("eduledger_http_requests_total", (("method", "GET"), ("route", route), ("status", "200")))
    assert found[key] >= 1
    assert found[("eduledger_http_request_duration_seconds_count", (("method", "GET"), ("route", route)))] >= 1
    lag = {dict(labels)["read_model"]: v for (name, labels), v in found.items() if name == "eduledger_projection_lag_events"}
    assert "admissions" in lag and set(lag.values()) == {0}
    jobs = (("kind", "application_forms"), ("status", "done"))
    assert found[("eduledger_jobs", jobs)] == 1
    assert found[("eduledger_job_queue_depth", (("kind", "application_forms"),))] == 0
    assert found[("eduledger_jobs_failed", (("kind", "application_forms"),))] == 0


def test_metrics_can_require_a_bearer_token(settings, clock):
    with app_client(settings, clock, metrics_token="scrape-secret") as c:
        assert c.get("/metrics").status_code == 401
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).status_code == 200
