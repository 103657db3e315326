"""Login throttling behind a reverse proxy, and against one address trying many usernames."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import RequestFactory

from studysite.http import client_address

LOGIN = "/accounts/login/"
RIGHT = {"username": "xiaoming", "password": "s3cret-pass-学习"}
PROXY = "10.0.0.5"


def wrong(username: str = "xiaoming") -> dict:
    return {"username": username, "password": "wrong"}


def address(remote: str, forwarded: str | None = None) -> str:
    meta: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.1"]


class TestClientAddress:
    def test_without_trusted_proxies_it_is_the_peer_and_forwarding_is_ignored(self):
        assert address("203.0.113.7") == "203.0.113.7"
        assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"

    def test_a_client_that_is_not_a_trusted_proxy_cannot_pick_its_address(self, behind_proxy):
        assert address("203.0.113.7", "198.51.100.1") == "203.0.113.7"

    def test_behind_a_trusted_proxy_it_is_the_address_the_proxy_saw(self, behind_proxy):
        assert address(PROXY, "198.51.100.1") == "198.51.100.1"

    def test_entries_the_client_wrote_itself_are_not_believed(self, behind_proxy):
        # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real peer.
        assert address(PROXY, "1.2.3.4, 198.51.100.1") == "198.51.100.1"

    def test_a_chain_of_trusted_proxies_is_walked_from_the_right(self, behind_proxy):
        assert address(PROXY, "1.2.3.4, 198.51.100.1, 192.0.2.1, 10.0.0.9") == "198.51.100.1"

    def test_a_trusted_proxy_without_the_header_is_itself_the_client(self, behind_proxy):
        assert address(PROXY) == PROXY
        assert address(PROXY, "") == PROXY

    def test_garbage_stops_the_walk_at_the_last_trusted_address(self, behind_proxy):
        assert address(PROXY, "198.51.100.1, not-an-address") == PROXY
        assert address(PROXY, "not-an-address, 192.0.2.1") == "192.0.2.1"

    @pytest.mark.parametrize(
        ("forwarded", "expected"),
        [
            ("198.51.100.1:4711", "198.51.100.1"),
            ("[2001:DB8::1]:4711", "2001:db8::/64"),
            ("2001:DB8:0::1", "2001:db8::/64"),
            ("::ffff:198.51.100.1", "198.51.100.1"),
        ],
    )
    def test_ports_and_spellings_give_one_address(self, behind_proxy, forwarded, expected):
        assert address(PROXY, forwarded) == expected

    def test_an_ipv6_client_is_counted_by_its_64_block(self, behind_proxy):
        """One subscriber's /64 holds 2^64 addresses: each must not be a fresh start."""
        assert address(PROXY, "2001:db8::1") == address(PROXY, "2001:db8::ffff:1e")
        assert address(PROXY, "2001:db8::1") != address(PROXY, "2001:db8:0:1::1")

    def test_an_ipv4_mapped_peer_is_recognised_as_a_trusted_proxy(self, behind_proxy):
        assert address("::ffff:10.0.0.5", "198.51.100.1") == "198.51.100.1"


@pytest.mark.django_db
class TestBehindAProxy:
    def test_one_learners_failures_do_not_lock_another_behind_the_same_proxy(
        self, client, learner, behind_proxy
    ):
        for _ in range(5):
            client.post(LOGIN, wrong(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
        locked = client.post(LOGIN, RIGHT, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
        assert locked.status_code == 429
        response = client.post(LOGIN, RIGHT, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(learner.pk)

    def test_a_direct_client_cannot_dodge_the_lock_with_a_forged_header(
        self, client, learner, behind_proxy
    ):
        for n in range(4):
            response = client.post(
                LOGIN, wrong(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
            )
            assert response.status_code == 200
        fifth = client.post(
            LOGIN, wrong(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.99"
        )
        assert fifth.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_without_trusted_proxies_a_forged_header_changes_nothing(self, client, learner):
        for n in range(5):
            client.post(
                LOGIN, wrong(), REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}"
            )
        response = client.post(
            LOGIN, RIGHT, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.200"
        )
        assert response.status_code == 429


@pytest.mark.django_db
class TestPasswordSpraying:
    def test_one_address_trying_many_usernames_is_locked(self, client, learner):
        for n in range(19):
            response = client.post(LOGIN, wrong(f"user{n}"), REMOTE_ADDR="203.0.113.7")
            assert response.status_code == 200, n
        for n in range(19, 25):
            response = client.post(LOGIN, wrong(f"user{n}"), REMOTE_ADDR="203.0.113.7")
            assert response.status_code == 429, n
        page = response.content.decode()
        assert "暂时无法登录" in page
        assert "暂时无法从这里登录任何账号" in page
        assert "15 分钟" in page
        # Even the right password of a real account is refused from there ...
        assert client.post(LOGIN, RIGHT, REMOTE_ADDR="203.0.113.7").status_code == 429
        assert "_auth_user_id" not in client.session
        # ... while the real learner, elsewhere, logs in.
        response = client.post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.20")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(learner.pk)

    def test_a_sprayer_behind_the_proxy_does_not_lock_out_other_learners(
        self, client, learner, behind_proxy
    ):
        for n in range(25):
            client.post(LOGIN, wrong(f"user{n}"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4")
        assert (
            client.post(LOGIN, RIGHT, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.2.3.4").status_code
            == 429
        )
        response = client.post(LOGIN, RIGHT, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
        assert response.status_code == 302

    def test_logging_in_to_ones_own_account_does_not_clear_the_count(
        self, client, learner, django_user_model
    ):
        django_user_model.objects.create_user(username="sprayer", password="own-pass-学习-7")
        for n in range(19):
            client.post(LOGIN, wrong(f"user{n}"), REMOTE_ADDR="203.0.113.7")
        own = {"username": "sprayer", "password": "own-pass-学习-7"}
        assert client.post(LOGIN, own, REMOTE_ADDR="203.0.113.7").status_code == 302
        client.post("/accounts/logout/", REMOTE_ADDR="203.0.113.7")
        response = client.post(LOGIN, wrong("user19"), REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 429

    def test_the_per_username_lock_still_comes_first(self, client, learner):
        for _ in range(4):
            assert client.post(LOGIN, wrong(), REMOTE_ADDR="203.0.113.7").status_code == 200
        locked = client.post(LOGIN, wrong(), REMOTE_ADDR="203.0.113.7")
        assert locked.status_code == 429
        assert "这个账号登录失败的次数太多" in locked.content.decode()
        # Other usernames from the same address are not locked by it.
        assert client.post(LOGIN, wrong("xiaohong"), REMOTE_ADDR="203.0.113.7").status_code == 200


class TestTrustedProxiesSetting:
    def run_settings(self, value: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "studysite.settings"}
        env["DJANGO_TRUSTED_PROXIES"] = value
        return subprocess.run(
            [
                sys.executable,
                "-c",
                "from django.conf import settings; print(settings.TRUSTED_PROXIES)",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    def test_is_read_from_the_environment(self):
        result = self.run_settings(" 10.0.0.0/8 , 2001:db8::1,")
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "['10.0.0.0/8', '2001:db8::1']"

    @pytest.mark.parametrize("everything", ["0.0.0.0/0", "::/0"])
    def test_trusting_every_address_stops_start_up(self, everything):
        result = self.run_settings(f"10.0.0.1,{everything}")
        assert result.returncode != 0
        assert "trusts every address" in result.stderr

    def test_a_mistyped_address_stops_start_up_with_its_name(self):
        result = self.run_settings("10.0.0.300")
        assert result.returncode != 0
        assert "DJANGO_TRUSTED_PROXIES" in result.stderr
        assert "10.0.0.300" in result.stderr
