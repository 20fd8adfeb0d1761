"""Invalid input to the certificate-ledger endpoints never yields a 500 (property-based): random
bodies and query parameters for applications, allowances, error reports, corrections, batches,
lists and the public verification. Every refusal is problem+json with a code."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from tests.http.api_helpers import API, login_as
from tests.http.test_invalid_input_fuzz import FUZZ, check, scalars, shaped, tricky_text
from tests.training_ledger_support import training_world


def test_certificate_ledger_endpoints(client, container):
    tw = training_world(container)
    sources = tw.credit("zhangsan", ("课程思政建设", 30), ("在线教学设计", 20))
    tw.container.certificate_ledgers.set_allowance(tw.actor("njnu_admin"), tw.accounts["zhangsan"], 2026, "60")
    tw.container.certificate_ledgers.apply(tw.actor("zhangsan"), sources[:1])
    trainee, admin, centre = (login_as(client, u) for u in ("zhangsan", "njnu_admin", "wangpei"))
    ids = st.sampled_from([str(s) for s in sources] + [str(tw.accounts["zhangsan"]), str(uuid.UUID(int=0)), "x"])
    serials = st.one_of(st.sampled_from(["WP2026-000001", "WP2026-000002", "wp2026-000001"]), tricky_text).map(
        lambda s: quote(s, safe="") or "x"
    )

    @FUZZ
    @given(
        application=shaped("source_ids", nested={"source_ids": st.lists(ids, max_size=4)}),
        allowance=shaped("hours"),
        allowances=shaped("trainee_ids", "year", "hours", nested={"trainee_ids": st.lists(ids, max_size=3)}),
        report=shaped("field", "correct_value", "note"),
        correction=shaped("value", "note"),
        batch=shaped("trainee_ids", nested={"trainee_ids": st.lists(ids, max_size=3)}),
        query=st.dictionaries(
            st.sampled_from(["year", "serial", "name", "issued_from", "issued_to", "open_report", "amended",
                             "training_school_id", "page", "page_size", "with_pool", "username", "code"]),
            scalars.map(lambda v: str(v)[:300]), max_size=4,
        ),
        serial=serials,
        year=st.one_of(st.integers(min_value=-(2**40), max_value=2**40), st.just(2026)),
    )
    def run(application, allowance, allowances, report, correction, batch, query, serial, year):
        check(client.post(f"{API}/certificates", json=application, headers=trainee))
        check(client.put(f"{API}/certificate-ledgers/{tw.accounts['zhangsan']}/allowances/{year}", json=allowance,
                         headers=admin))
        check(client.post(f"{API}/certificate-ledgers/allowances", json=allowances, headers=admin))
        check(client.post(f"{API}/certificates/WP2026-000001/error-reports", json=report, headers=admin))
        check(client.post(f"{API}/certificates/WP2026-000001/correction", json=correction, headers=centre))
        check(client.post(f"{API}/certificate-batches", json=batch, headers=admin))
        check(client.get(f"{API}/certificates", params=query, headers=centre))
        check(client.get(f"{API}/certificate-ledgers", params=query, headers=admin))
        check(client.get(f"{API}/certificate-ledgers/me", params=query, headers=trainee))
        check(client.get(f"{API}/certificates/{serial}/verification", params=query))
        check(client.get(f"{API}/certificates/{serial}", headers=trainee))
        assert client.get(f"/verify/{serial}", params=query).status_code < 500  # an HTML page

    run()
