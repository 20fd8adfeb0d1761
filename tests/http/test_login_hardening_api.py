"""Login hardening: an unknown username costs what a wrong password costs, failures are counted
per address and account, per account and per address (so one attacker cannot lock a campus
behind one NAT address), and the client's address comes only from trusted proxies."""

from __future__ import annotations

from dataclasses import replace

import pytest

from infrastructure import sessions
from interfaces.http.proxies import forwarded_client
from tests.conftest import PASSWORD
from tests.http.api_helpers import API, ok, problem
from tests.http.training_support import INSIDE, SCHOOL_NAME, T

LOGIN = f"{API}/auth/login"


class SpyHasher:
    """The container's hasher, noting every hash it is asked to verify against."""

    def __init__(self, real) -> None:
        self.real = real
        self.dummy_hash = real.dummy_hash
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return self.real.verify(password_hash, password)


def attempt(client, username: str, password: str = "wrong123", address: str | None = None, peer=None):
    if address is not None:
        peer["address"] = address
    return client.post(LOGIN, json={"username": username, "password": password})


def test_an_unknown_or_disabled_username_is_verified_against_a_dummy_hash_like_a_wrong_password(
    client, world, container, login
):
    spy = SpyHasher(container.hasher)
    container.hasher = spy

    problem(attempt(client, "nobody"), 401, "auth.invalid_credentials")
    problem(attempt(client, "xuanwu"), 401, "auth.invalid_credentials")
    ok(client.post(f"{API}/accounts/{world.accounts['gulou']}/disable", json={}, headers=login("sysadmin")))
    problem(attempt(client, "gulou", PASSWORD), 401, "auth.invalid_credentials")

    assert len(spy.verified) == 4  # sysadmin's own login in between is the fourth
    assert spy.verified[0] == spy.dummy_hash  # the unknown username
    assert spy.verified[1] != spy.dummy_hash  # xuanwu's real hash
    assert spy.verified[3] == spy.dummy_hash  # the disabled account
    assert spy.dummy_hash.startswith("$argon2id$")


def test_one_address_guessing_one_account_is_stopped_and_others_on_that_address_still_log_in(client, world, peer):
    for _ in range(sessions.PAIR_LIMIT):
        problem(attempt(client, "xuanwu", address="203.0.113.5", peer=peer), 401)
    problem(attempt(client, "xuanwu", PASSWORD, peer=peer), 429, "auth.throttled")
    ok(attempt(client, "gulou", PASSWORD, peer=peer))  # a colleague behind the same NAT address
    ok(attempt(client, "xuanwu", PASSWORD, address="198.51.100.9", peer=peer))  # the owner, elsewhere


def test_an_account_guessed_from_many_addresses_is_locked_from_every_address(client, world, peer):
    for n in range(sessions.ACCOUNT_LIMIT):
        problem(attempt(client, "xuanwu", address=f"203.0.113.{n + 1}", peer=peer), 401)
    problem(attempt(client, "xuanwu", PASSWORD, address="198.51.100.9", peer=peer), 429, "auth.throttled")
    ok(attempt(client, "gulou", PASSWORD, peer=peer))


def test_one_address_trying_many_accounts_is_stopped_only_at_the_higher_address_limit(
    client, world, peer, monkeypatch
):
    monkeypatch.setattr(sessions, "ADDRESS_LIMIT", 8)  # the real limit is 100; the rule is the same
    peer["address"] = "203.0.113.5"
    for n in range(7):
        problem(attempt(client, f"guess{n}", peer=peer), 401)
    ok(attempt(client, "gulou", PASSWORD, peer=peer))  # 7 failures on 7 accounts: the NAT still works
    problem(attempt(client, "guess7", peer=peer), 401)
    problem(attempt(client, "xuanwu", PASSWORD, peer=peer), 429, "auth.throttled")
    ok(attempt(client, "xuanwu", PASSWORD, address="198.51.100.9", peer=peer))


def test_the_throttle_stores_no_usernames_or_addresses(client, world, peer, container):
    problem(attempt(client, "xuanwu", address="203.0.113.5", peer=peer), 401)
    with container.engine.connect() as conn:
        keys = [k for (k,) in conn.execute(sessions.login_failures.select().with_only_columns(sessions.login_failures.c.key))]
    assert len(keys) == 3 and not any("xuanwu" in k or "203.0.113" in k for k in keys)


def test_forwarded_for_counts_only_from_a_trusted_proxy_for_the_throttle_as_for_the_campus_check(
    client, world, peer, container
):
    container.settings = replace(container.settings, trusted_proxies=("192.0.2.0/24",))
    peer["address"] = "192.0.2.1"  # the proxy: the attacker's real address is what it forwarded
    for _ in range(sessions.PAIR_LIMIT):
        r = client.post(LOGIN, json={"username": "xuanwu", "password": "wrong123"},
                        headers={"X-Forwarded-For": "203.0.113.5"})
        problem(r, 401)
    refused = client.post(LOGIN, json={"username": "xuanwu", "password": PASSWORD},
                          headers={"X-Forwarded-For": "203.0.113.5"})
    problem(refused, 429, "auth.throttled")
    ok(client.post(LOGIN, json={"username": "xuanwu", "password": PASSWORD},
                   headers={"X-Forwarded-For": "198.51.100.9"}))  # another client through the proxy

    peer["address"] = "203.0.113.5"  # not a proxy: its own X-Forwarded-For is ignored
    problem(client.post(LOGIN, json={"username": "xuanwu", "password": PASSWORD},
                        headers={"X-Forwarded-For": "198.51.100.9"}), 429, "auth.throttled")


def test_the_campus_check_sees_the_same_address(client, training, peer, container):
    container.settings = replace(container.settings, trusted_proxies=("192.0.2.1",))
    peer["address"] = "192.0.2.1"
    body = {"school_id": training.school, "unit_name": SCHOOL_NAME, "name": "王老师",
            "password": PASSWORD, "confirm_password": PASSWORD}
    ok(client.post(f"{T}/registrations", json={**body, "username": "via_proxy"},
                   headers={"X-Forwarded-For": INSIDE}), 201)
    peer["address"] = "10.21.0.1"
    problem(client.post(f"{T}/registrations", json={**body, "username": "spoofed"},
                        headers={"X-Forwarded-For": INSIDE}), 403, "training_registration.outside_campus")


@pytest.mark.parametrize(("peer_address", "header", "expected"), [
    ("203.0.113.5", "10.20.3.4", "203.0.113.5"),  # untrusted peer: header ignored
    ("192.0.2.1", "10.20.3.4", "10.20.3.4"),
    ("192.0.2.1", "6.6.6.6, 10.20.3.4, 192.0.2.2", "10.20.3.4"),  # nearest hop not a proxy; a spoofed first hop ignored
    ("192.0.2.1", "", "192.0.2.1"),
    ("192.0.2.1", "not-an-address", "192.0.2.1"),
    ("::ffff:192.0.2.1", "10.20.3.4", "10.20.3.4"),  # IPv4-mapped peer
])
def test_the_client_address_rule(peer_address, header, expected):
    assert forwarded_client(peer_address, header, ("192.0.2.0/24",)) == expected
