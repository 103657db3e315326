"""The optional LLM backend against a small fake server on loopback."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator import llm
from generator.generate import generate

NOTES = """# 细胞
- 线粒体:进行有氧呼吸的主要场所。
- 叶绿体:绿色植物进行光合作用的场所。
- 细胞核:细胞的控制中心,含有遗传物质。
"""

GOOD = {
    "cards": [
        {
            "front": "线粒体",
            "back": "进行有氧呼吸的主要场所",
            "source": "线粒体:进行有氧呼吸的主要场所。",
        },
        {"front": "火星", "back": "红色的行星", "source": "火星是红色的行星。"},  # not in the notes
    ],
    "questions": [
        {
            "prompt": "哪个细胞器是绿色植物进行光合作用的场所?",
            "kind": "single",
            "choices": [{"text": "叶绿体", "correct": True}, {"text": "线粒体", "correct": False}],
            "explanation": "见笔记。",
            "source": "叶绿体:绿色植物进行光合作用的场所。",
        },
        {  # the right answer is not supported by its source: dropped
            "prompt": "细胞核含有什么?",
            "kind": "single",
            "choices": [
                {"text": "大量的淀粉颗粒", "correct": True},
                {"text": "遗传物质", "correct": False},
            ],
            "source": "细胞核:细胞的控制中心,含有遗传物质。",
        },
        {"prompt": "坏的", "kind": "essay", "choices": [], "source": "x"},
    ],
}


class FakeLLM(BaseHTTPRequestHandler):
    reply: object = GOOD
    delay = 0.0
    requests: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append((self.path, body, self.headers.get("Authorization")))
        time.sleep(self.delay)
        content = (
            self.reply
            if isinstance(self.reply, str)
            else json.dumps(self.reply, ensure_ascii=False)
        )
        payload = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    # A short poll: shutdown() waits up to one poll interval (0.5 s by default).
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
    )
    thread.start()
    FakeLLM.reply, FakeLLM.delay, FakeLLM.requests = GOOD, 0.0, []
    monkeypatch.setenv("LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("LLM_MODEL", "fake-model")
    monkeypatch.setenv("LLM_API_KEY", "secret")
    yield FakeLLM
    server.shutdown()
    server.server_close()


def test_valid_items_are_used_and_invalid_ones_dropped(fake_llm):
    doc = llm.generate_set(NOTES, "细胞")
    assert [c.front for c in doc.cards] == ["线粒体"]
    assert [q.prompt for q in doc.questions] == ["哪个细胞器是绿色植物进行光合作用的场所?"]
    assert all(item.draft for item in [*doc.cards, *doc.questions])
    path, body, auth = fake_llm.requests[0]
    assert path == "/v1/chat/completions"
    assert body["model"] == "fake-model"
    assert NOTES in body["messages"][0]["content"]
    assert auth == "Bearer secret"
    assert [n.title for n in doc.notes] == ["细胞"]  # structure from the embedded parser


@pytest.mark.parametrize(
    "reply", ["this is not json", {"cards": "nope"}, {"cards": [], "questions": []}]
)
def test_bad_replies_fall_back_to_the_embedded_generator(fake_llm, reply):
    fake_llm.reply = reply
    assert llm.generate_set(NOTES, "细胞") == generate(NOTES, "细胞")


def test_a_timeout_falls_back(fake_llm):
    fake_llm.delay = 1.0
    started = time.perf_counter()
    assert llm.generate_set(NOTES, "细胞", timeout=0.3) == generate(NOTES, "细胞")
    assert time.perf_counter() - started < 1.0


def test_unreachable_server_falls_back(monkeypatch):
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("LLM_MODEL", "m")
    assert llm.generate_set(NOTES, "细胞") == generate(NOTES, "细胞")


@pytest.mark.parametrize("unset", [["LLM_BASE_URL"], ["LLM_MODEL"], ["LLM_BASE_URL", "LLM_MODEL"]])
def test_without_configuration_no_request_is_made(fake_llm, monkeypatch, caplog, unset):
    opened = []
    real_urlopen = urllib.request.urlopen

    def watched_urlopen(*args, **kwargs):
        opened.append(args)
        return real_urlopen(*args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", watched_urlopen)
    for name in unset:
        monkeypatch.delenv(name)
    assert llm.generate_set(NOTES, "细胞") == generate(NOTES, "细胞")
    assert opened == []
    assert fake_llm.requests == []
    assert not caplog.records  # not even one that failed before it was sent


@pytest.mark.parametrize(
    ("answer", "source", "ok"),
    [
        ("叶绿体", "叶绿体:光合作用的场所。", True),
        ("进行光合作用", "叶绿体是进行光合作用的场所", True),
        ("火星", "叶绿体", False),
    ],
)
def test_support(answer, source, ok):
    assert llm.supported(answer, source) is ok
