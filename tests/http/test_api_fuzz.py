"""A bounded property-based run of the whole API from its published document (schemathesis):
every operation gets a few generated requests that fit the document and a few that do not, as
a logged-in member of staff, against a world with data. No answer may be a server error, carry
a status or a content type the document does not list, or a body that does not match the
documented schema.

The run is deterministic (derandomized, no example database) and bounded by the number of
examples per operation, so its cost is fixed: at most six requests per operation (~1,300)."""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from requests.models import RequestEncodingMixin
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.http.api_helpers import admitted, login_as

EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 2}
# Each operation runs as one of these, in turn, so the role checks of every kind are reached.
USERS = ["jiaowu", "xuanwu", "sysadmin", "caiwu", "shenji"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _known_ids(client: Any, login: Any, world: Any) -> list[str]:
    """Ids of real records, so that generated paths reach them and not only 404s (the accounts
    the run logs in with are left out: a generated password reset would lock the run out)."""
    forms = [admitted(client, login, world, seq) for seq in (1, 2)]
    ids = [*world.tp.values(), world.study_batch, world.admission_batch, *world.programmes.values(),
           world.accounts["gulou"], *(f["id"] for f in forms), *(f.get("learner_id") for f in forms)]
    return [str(i) for i in ids if i]


def _use_known_ids(case: Any, known: list[str]) -> None:
    """Half of the generated uuids in the path are swapped for real ids (chosen by the generated
    value itself, so the run stays deterministic)."""
    for name, value in list((case.path_parameters or {}).items()):
        try:
            number = uuid.UUID(str(value)).int
        except ValueError:
            continue
        if number % 2:
            case.path_parameters[name] = known[number // 2 % len(known)]


def _request(case: Any, headers: dict[str, str]) -> dict[str, Any]:
    """The case as keyword arguments of the Litestar test client (httpx)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=headers)
    if kwargs.get("files"):  # encoded as `requests` does it, which httpx does not take as is
        body, content_type = RequestEncodingMixin._encode_files(kwargs.pop("files"), kwargs.pop("data", None) or {})
        kwargs["headers"] = {**kwargs["headers"], "Content-Type": content_type}
        kwargs["data"] = body
    data = kwargs.pop("data", None)
    if isinstance(data, (bytes, str)):
        kwargs["content"] = data
    elif data is not None:
        kwargs["data"] = data
    kwargs.pop("cookies", None)
    return {k: v for k, v in kwargs.items() if k in ("method", "url", "params", "headers", "json", "content", "data", "files")}


def _fuzz(client: Any, headers: dict[str, str], known: list[str], operation: Any, mode: GenerationMode, examples: int,
          failures: dict[str, str], answered: dict[str, set[int]]) -> None:
    """Up to `examples` generated requests of one operation; its first failure is kept in `failures`."""

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        if operation.label in failures:
            return
        _use_known_ids(case, known)
        response = client.request(**_request(case, headers))
        answered.setdefault(operation.label, set()).add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # collected, reported together by the test
            failures[operation.label] = f"{mode}: {response.status_code} {response.text[:300]}\n{exc}"[:1500]

    try:
        run()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE, operation.label  # nothing in it can be made invalid


def test_the_api_answers_every_generated_request_as_its_document_says(client, world, login):
    known = _known_ids(client, login, world)
    schema = schemathesis.openapi.from_dict(client.get("/schema/openapi.json").json())
    operations = sorted((op.ok() for op in schema.get_all_operations()), key=lambda o: o.label)
    failures: dict[str, str] = {}
    answered: dict[str, set[int]] = {}
    for index, operation in enumerate(operations):
        headers = login_as(client, USERS[index % len(USERS)])
        for mode, examples in EXAMPLES.items():
            _fuzz(client, headers, known, operation, mode, examples, failures, answered)
    assert len(operations) > 200
    # The run reached the handlers: the token was accepted everywhere, and a fair share of the
    # operations succeeded at least once (most generated writes are refused, as they should be).
    assert not [label for label, statuses in answered.items() if statuses == {401}]
    succeeded = [label for label, statuses in answered.items() if any(200 <= s < 300 for s in statuses)]
    assert len(succeeded) >= 30, succeeded
    assert not failures, "\n\n".join(f"{label}\n{text}" for label, text in sorted(failures.items()))
