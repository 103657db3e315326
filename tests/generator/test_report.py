"""python manage.py generator_report PATH… — the team's self-check on generated items."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).resolve().parents[1] / "data"


def report(*args: str) -> str:
    out = StringIO()
    call_command("generator_report", *args, stdout=out)
    return out.getvalue()


def test_every_item_is_printed_with_its_flags_and_the_share_per_file():
    notes = str(DATA / "da-mo-xing.notes.txt")
    biology = str(DATA / "notes" / "biology.md")
    text = report(notes, biology)
    assert f"== {notes}" in text
    assert "[卡片] [ok]" in text
    assert "下列哪一项是对「模型压缩」的正确描述" in text
    shares = re.findall(r"^(.+)\uff1a(\d+)/(\d+) 条无标记\uff08(\d+)%\uff09$", text, re.M)
    assert [path for path, *_ in shares] == [notes, biology]
    for _path, clean, total, percent in shares:
        assert int(clean) / int(total) >= 0.9
        assert int(percent) >= 90


def test_flags_are_named(tmp_path):
    weak = tmp_path / "weak.md"
    weak.write_text(
        "# 历史\n\n- 早期模型\uff1a神经网络的概念起源于20世纪40年代。\n"
        "- 其他结构\uff1a也有研究者探索其他的模型结构。\n"
        "- 神经网络\uff1a由大量相互连接的神经元组成的计算模型。\n",
        encoding="utf-8",
    )
    # The generator leaves labels out; the report still names what it would flag.
    from generator import quality
    from interchange.document import CardDoc, SetDoc

    reviews = quality.review(
        SetDoc(title="t", cards=[CardDoc("其他结构", "也有研究者探索其他的模型结构"),
                                 CardDoc("Transformer", "一种模型"),
                                 CardDoc("Transformer 模型", "一种模型结构")])
    )  # fmt: skip
    assert [r.flags for r in reviews] == [
        ["label-as-term"],
        [],
        ["duplicate term\uff08Transformer\uff09"],
    ]
    assert "[卡片] [ok]\n早期模型" not in report(str(weak))  # no card for a label


def test_only_flagged_items_with_flagged(tmp_path):
    text = report("--flagged", str(DATA / "notes" / "history.md"))
    assert "[ok]" not in text
    assert "条无标记" in text


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "找不到文件"), (b"\xff\xfe\x00bad", "不是 UTF-8 文本"), (b"x" * 300_000, "文件太大"),
     ("今天天气很好\uff0c我们去公园散步。".encode(), "没有找到可以出题的定义")],
)  # fmt: skip
def test_bad_input_is_a_clear_message_not_a_traceback(tmp_path, content, message):
    path = tmp_path / "notes.md"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        report(str(path))
