"""The embedded generator on large notes: 50/100/200 KB of `术语:定义` lines, with an
ASCII colon and with a full-width one (U+FF1A). Writes bench/generator.md.
A benchmark, not a test: the times depend on the machine; the tests count work.

Usage: .venv/bin/python bench/generator.py [--sizes 50,100,200] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import generate as generator  # noqa: E402
from generator.generate import MAX_CARDS, MAX_QUESTIONS, generate  # noqa: E402
from interchange.document import FormatError  # noqa: E402

FULL_WIDTH_COLON = "\uff1a"
NOTES = ROOT / "tests" / "data" / "da-mo-xing.notes.txt"
# Measured once on the code before the generator was made linear (commit 908be73),
# 200 KB / 4,000 ASCII-colon lines, with three test suites running on the same 2 cores.
BEFORE = (
    "Before (908be73, quadratic distractor picking, no caps), 200 KB / 4,000 lines, ASCII "
    "colon: **640.7 s wall, 116.5 s CPU** for 4,000 cards and 4,012 questions (the issue "
    "quotes 47 s on a quiet machine); the full-width variant was refused in 0.2 s, its "
    "lines not being read as definitions yet. 大模型 notes: 33 cards, 45 questions "
    "(22 single choice, 11 true/false, 12 fill-in-blank)."
)
# Syllables and words of plausible Chinese study notes: terms are made of them,
# some terms contain others (模型 / 模型压缩), definitions are strings of words.
CHARS = "模型数据训练学习网络神经注意力机制参数梯度优化损失函数样本特征向量矩阵概率分布推理压缩量化蒸馏编码解码语言图像"
WORDS = [
    "通过",
    "大量",
    "数据",
    "学习",
    "规律",
    "用于",
    "提升",
    "模型",
    "性能",
    "降低",
    "计算",
    "成本",
    "处理",
    "序列",
    "文本",
    "图像",
    "生成",
    "结果",
    "一种",
    "方法",
    "能够",
    "描述",
    "样本",
    "之间",
    "关系",
]


def synthetic_notes(lines: int, colon: str = ":", seed: int = 15) -> str:
    """`lines` distinct `- 术语:定义` bullets under a heading every 100 lines."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(seen) < lines:
        if len(seen) % 100 == 0 and (not out or not out[-1].startswith("#")):
            out.append(f"# 第{len(seen) // 100 + 1}章")
        previous = out[-1][2:].split(colon)[0] if out and out[-1].startswith("- ") else ""
        if previous and rng.random() < 0.1:
            term = previous + rng.choice(CHARS) + rng.choice(CHARS)  # contains the one before
        else:
            term = "".join(rng.choice(CHARS) for _ in range(rng.randint(2, 5)))
        if term in seen:
            continue
        seen.add(term)
        definition = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 7)))
        out.append(f"- {term}{colon}{definition}。")
    return "\n".join(out) + "\n"


def notes_of_size(kilobytes: int, colon: str) -> tuple[str, int]:
    """Synthetic notes of about `kilobytes` KB of UTF-8 (200 KB is about 4,000 lines)."""
    lines = kilobytes * 20
    text = synthetic_notes(lines, colon)
    return text, lines


def run(kilobytes: int, colon: str, repeat: int, capped: bool = True) -> dict:
    text, lines = notes_of_size(kilobytes, colon)
    generator.MAX_CARDS = MAX_CARDS if capped else 10**6
    generator.MAX_QUESTIONS = MAX_QUESTIONS if capped else 10**6
    times, cpu, doc, error = [], [], None, ""
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        try:
            doc = generate(text, "bench")
        except FormatError as refused:
            error = "refused: " + str(refused).split("\u3002")[0]
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return {
        "kb": len(text.encode()) / 1024,
        "lines": lines,
        "colon": ("ASCII `:`" if colon == ":" else "full-width `\uff1a`")
        + ("" if capped else ", caps lifted"),
        "best": min(times),
        "median": statistics.median(times),
        "cpu": min(cpu),
        "cards": len(doc.cards) if doc else 0,
        "questions": len(doc.questions) if doc else 0,
        "skipped": len(doc.skipped) if doc else 0,
        "error": error,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50,100,200")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "generator.md"))
    args = parser.parse_args()
    rows = []
    runs = [(colon, True) for colon in (":", FULL_WIDTH_COLON)] + [(":", False)]
    for colon, capped in runs:
        for size in (int(s) for s in args.sizes.split(",")):
            row = run(size, colon, args.repeat, capped)
            rows.append(row)
            print(
                f"{row['kb']:6.0f} KB {row['colon']:<18} best {row['best']:.3f} s"
                f"  cpu {row['cpu']:.3f} s"
                f"  median {row['median']:.3f} s  {row['cards']} cards"
                f"  {row['questions']} questions  {row['skipped']} skipped {row['error']}",
                flush=True,
            )
    small = generate(NOTES.read_text(encoding="utf-8"), "大模型")
    lines = [
        "# Generator benchmark",
        "",
        f"`bench/generator.py`: `generator.generate.generate()` on synthetic notes of "
        f"`- 术语:定义` lines (a heading every 100 lines, some terms containing others), "
        f"best and median of {args.repeat} runs; Python {platform.python_version()}, "
        "2 shared cores. Caps: "
        f"{MAX_CARDS} cards and {MAX_QUESTIONS} questions per set, the rest listed as skipped.",
        "",
        f"Load average while measuring: {os.getloadavg()[0]:.1f} (other work shares the cores: "
        "CPU s is the steadier figure).",
        "",
        "The full-width rows (notes typed with an input method) must give the same counts as "
        "the ASCII ones. The caps-lifted rows give every definition its card and question, "
        "to show the work stays linear in the notes.",
        "",
        "| notes | lines | colon | best s | median s | CPU s | cards | questions | skipped | note |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['kb']:.0f} KB | {row['lines']:,} | {row['colon']} | {row['best']:.3f} "
            f"| {row['median']:.3f} | {row['cpu']:.3f} | {row['cards']} | {row['questions']} | {row['skipped']:,} "
            f"| {row['error'] or ''} |"
        )
    lines += [
        "",
        f"After, 大模型 notes (`{NOTES.relative_to(ROOT)}`): {len(small.cards)} cards, "
        f"{len(small.questions)} questions, {len(small.skipped)} skipped.",
        "",
        BEFORE,
    ]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
