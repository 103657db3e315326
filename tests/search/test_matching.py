"""Chinese, pinyin and initials matching, and the order of results, without a database."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.matching import (
    Field,
    Lexicon,
    MatchKind,
    Query,
    Tier,
    find,
    highlight,
    index_text,
    ranked,
    segment,
)

COLON = "\uff1a"  # ：


@pytest.mark.parametrize(
    ("query", "text", "expected", "kind"),
    [
        ("模型", "大模型的训练", "模型", MatchKind.TEXT),
        ("量", "剪枝、量化和知识蒸馏", "量", MatchKind.TEXT),
        ("量化", "剪枝、量化和知识蒸馏", "量化", MatchKind.TEXT),
        ("ＧＰＴ", "诸如 GPT-3 等", "GPT", MatchKind.TEXT),
        ("transformer", "Transformer 模型", "Transformer", MatchKind.TEXT),
        ("damoxing", "关于大模型的笔记", "大模型", MatchKind.PINYIN),
        ("DaMoXing", "关于大模型的笔记", "大模型", MatchKind.PINYIN),
        ("da mo xing", "大模型", "大模型", MatchKind.PINYIN),
        ("da'mo'xing", "大模型", "大模型", MatchKind.PINYIN),
        ("damox", "大模型", "大模型", MatchKind.PINYIN),
        ("lianghua", "剪枝、量化和知识蒸馏", "量化", MatchKind.PINYIN),
        ("lh", "剪枝、量化和知识蒸馏", "量化", MatchKind.WORD_INITIALS),
        ("zs", "剪枝、量化和知识蒸馏", "知识", MatchKind.WORD_INITIALS),
        # Punctuation at either end of a query is not part of what is looked for.
        ("\uff08NLP\uff09", "自然语言处理(NLP)", "NLP", MatchKind.TEXT),
        ("(NLP)", "自然语言处理\uff08NLP\uff09", "NLP", MatchKind.TEXT),
        ("什么是大模型\uff1f", "什么是大模型?", "什么是大模型", MatchKind.TEXT),
        ("大模型\uff0c训练", "大模型,训练", "大模型,训练", MatchKind.TEXT),
        ("大模型,训练", "大模型\uff0c训练", "大模型\uff0c训练", MatchKind.TEXT),
        # Split at spaces or punctuation, a query finds a text holding every part.
        ("大模型\uff0c训练", "训练大模型需要大量算力", "训练", MatchKind.TERMS),
        ("大模型 训练", "训练大模型需要大量算力", "训练", MatchKind.TERMS),
        ("大模型\u3000训练", "训练大模型需要大量算力", "训练", MatchKind.TERMS),
    ],
)
def test_finds(query, text, expected, kind):
    match = find(Query.parse(query), text)
    assert match is not None
    assert text[match.start : match.end] == expected
    assert match.kind == kind


@pytest.mark.parametrize(
    ("query", "text", "terms", "expected", "kind"),
    [
        ("dmx", "关于大模型的笔记", ["大模型"], "大模型", MatchKind.INITIALS),
        ("dmx", "大模型", ["大模型"], "大模型", MatchKind.INITIALS),
        ("zszl", "剪枝、量化和知识蒸馏", ["知识蒸馏"], "知识蒸馏", MatchKind.INITIALS),
        ("mxys", "加强对模型压缩的研究", ["模型压缩"], "模型压缩", MatchKind.INITIALS),
        ("mx", "大模型", ["大模型"], "模型", MatchKind.INITIALS),  # inside one term
        # The longest term wins where two start at the same place.
        ("mxys", "加强对模型压缩的研究", ["模型", "模型压缩"], "模型压缩", MatchKind.INITIALS),
        # The set's term is preferred to an earlier word jieba knows (对模型).
        ("dmx", "加强对模型的研究,大模型", ["大模型"], "大模型", MatchKind.INITIALS),
        ("dmx", "加强对模型的研究", ["大模型"], "对模型", MatchKind.WORD_INITIALS),
    ],
)
def test_initials_match_within_one_word_of_the_set(query, text, terms, expected, kind):
    match = find(Query.parse(query), text, Lexicon.of(terms))
    assert match is not None
    assert text[match.start : match.end] == expected
    assert match.kind == kind


@pytest.mark.parametrize(
    ("query", "text", "terms"),
    [
        ("dmx", "为了降低模型的计算和存储需求", ["大模型"]),  # 降低 | 模型
        ("dmx", "研究者探索其他的模型结构", ["大模型"]),  # 的 | 模型
        ("dmx", "研究更加有效的模型压缩", ["大模型", "模型压缩"]),
        ("dmx", "关于大模型的笔记", []),  # without the term, jieba reads 大 | 模型
        ("lhh", "剪枝、量化和知识蒸馏", []),  # 量化 | 和
    ],
)
def test_initials_never_cross_a_word_boundary(query, text, terms):
    assert find(Query.parse(query), text, Lexicon.of(terms)) is None


@pytest.mark.parametrize(
    ("full_width", "ascii"),
    [
        ("大模型\uff0c训练", "大模型,训练"),
        ("\uff08NLP\uff09", "(NLP)"),
        ("模型压缩\uff1a剪枝", "模型压缩:剪枝"),
        ("大模型\uff1b训练\uff01", "大模型;训练!"),
        ("大模型\u3000训练", "大模型 训练"),
        ("「大模型」", '"大模型"'),
    ],
)
@pytest.mark.parametrize(
    "text",
    [
        "训练大模型需要大量算力",
        "大模型,训练",
        "大模型\uff0c训练",
        "自然语言处理\uff08NLP\uff09",
        "模型压缩:剪枝、量化",
        "模型压缩\uff1a剪枝、量化",
    ],
)
def test_full_width_queries_behave_like_their_ascii_forms(full_width, ascii, text):
    assert find(Query.parse(full_width), text) == find(Query.parse(ascii), text)


def test_parts_of_a_query_are_all_highlighted():
    text = "训练大模型需要大量算力"
    match = find(Query.parse("大模型\uff0c训练"), text)
    assert sorted(text[start:end] for start, end in match.spans) == ["大模型", "训练"]
    assert highlight(text, match) == "<mark>训练</mark><mark>大模型</mark>需要大量算力"


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("amox", "大模型"),  # not from a syllable start
        ("d", "大模型"),  # one initial is too little
        ("深度", "大模型"),
        ("xyz", "Transformer 模型"),
        ("", "大模型"),
        ("   ", "大模型"),
        ("\uff0c", "大模型\uff0c训练"),  # punctuation alone is no query
        ("\uff08\uff09", "自然语言处理(NLP)"),
        ("大模型\uff0c推理", "训练大模型需要大量算力"),  # every part must be there
    ],
)
def test_does_not_find(query, text):
    assert find(Query.parse(query), text) is None


def test_prefers_text_over_pinyin():
    match = find(Query.parse("ma"), "ma 和 马")
    assert match.kind == MatchKind.TEXT
    assert match.start == 0


def test_highlight_escapes_and_marks():
    text = "<b>前文</b>很长很长的一段话,其中有量化两个字,后面还有"
    html = highlight(text, find(Query.parse("量化"), text), radius=4)
    assert "<mark>量化</mark>" in html
    assert "&lt;b&gt;" not in html  # trimmed away by the radius
    assert html.startswith("…")


def test_highlight_escapes_markup_in_the_passage():
    text = "<script>量化</script>"
    html = highlight(text, find(Query.parse("量化"), text))
    assert html == "&lt;script&gt;<mark>量化</mark>&lt;/script&gt;"


@settings(deadline=None)  # timing is not what these test; a loaded machine is slow
@given(st.text(max_size=40))
def test_indexing_keeps_every_position_mapped(text):
    indexed = index_text(text)
    assert len(indexed.initials) == len(text)
    assert len(indexed.folded_origin) == len(indexed.folded)
    assert len(indexed.pinyin_origin) == len(indexed.pinyin)
    assert all(0 <= i < len(text) for i in indexed.folded_origin)


@settings(deadline=None)  # timing is not what these test; a loaded machine is slow
@given(st.text(alphabet="大模型的训练压缩对降低 ,\uff0cAI", max_size=40))
def test_words_cover_the_text_end_to_end_with_terms_kept_whole(text):
    words = segment(text, Lexicon.of(["大模型", "模型压缩"]))
    assert words.starts[:1] == ((0,) if text else ())
    assert words.starts[1:] == words.ends[:-1]
    assert words.ends[-1:] == ((len(text),) if text else ())
    for start in words.terms:
        end = words.ends[words.starts.index(start)]
        assert text[start:end] in {"大模型", "模型压缩"}


@settings(deadline=None)  # timing is not what these test; a loaded machine is slow
@given(st.text(min_size=1, max_size=30), st.data())
def test_any_substring_is_found_where_it_is(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = Query.parse(text[start:end])
    if query:
        assert find(query, text) is not None


# The 大模型 set in miniature, in set order: its title, two cards, a heading, body text.
TERMS = Lexicon.of(["大模型", "模型压缩", "可解释性"])
SET = [
    Field("大模型", Tier.TITLE, lead=3, lexicon=TERMS),
    Field("加强对模型安全性的研究", lexicon=TERMS),
    Field("为了降低模型的计算和存储需求", lexicon=TERMS),
    Field("研究者探索其他的模型结构", lexicon=TERMS),
    Field("训练和部署大模型需要大量的计算资源", lexicon=TERMS),
    Field(f"模型压缩{COLON}为了降低模型的计算和存储需求", Tier.TITLE, lead=4, lexicon=TERMS),
    Field("大模型面临的挑战", Tier.HEADING, lead=8, lexicon=TERMS),
    Field(f"大模型{COLON}参数规模巨大的深度学习模型", Tier.TITLE, lead=3, lexicon=TERMS),
]


def order(query: str, fields: list[Field], limit: int = 50) -> list[str]:
    return [fields[i].text for i, _ in ranked(Query.parse(query), fields, limit)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Exact title or term first, then titles, headings, body; 对模型 (one word
        # to jieba, not a term of the set) last; 降低|模型 and 的|模型 never.
        (
            "dmx",
            [
                "大模型",
                f"大模型{COLON}参数规模巨大的深度学习模型",
                "大模型面临的挑战",
                "训练和部署大模型需要大量的计算资源",
                "加强对模型安全性的研究",
            ],
        ),
        (
            "damoxing",
            [
                "大模型",
                f"大模型{COLON}参数规模巨大的深度学习模型",
                "大模型面临的挑战",
                "训练和部署大模型需要大量的计算资源",
            ],
        ),
        (
            "大模型",
            [
                "大模型",
                f"大模型{COLON}参数规模巨大的深度学习模型",
                "大模型面临的挑战",
                "训练和部署大模型需要大量的计算资源",
            ],
        ),
        # No exact title: titles and terms, then headings, then body text in set order;
        # a card matched only in its back counts as body text.
        (
            "模型",
            [
                "大模型",
                f"模型压缩{COLON}为了降低模型的计算和存储需求",
                f"大模型{COLON}参数规模巨大的深度学习模型",
                "大模型面临的挑战",
                "加强对模型安全性的研究",
                "为了降低模型的计算和存储需求",
                "研究者探索其他的模型结构",
                "训练和部署大模型需要大量的计算资源",
            ],
        ),
        (
            "计算",
            [
                "为了降低模型的计算和存储需求",
                "训练和部署大模型需要大量的计算资源",
                f"模型压缩{COLON}为了降低模型的计算和存储需求",
            ],
        ),
    ],
)
def test_results_are_ranked_like_a_person_expects(query, expected):
    assert order(query, SET) == expected


def test_hanzi_before_full_pinyin_before_initials():
    fields = [
        Field("爱你", lexicon=Lexicon.of(["爱你"])),  # initials a-n
        Field("平安"),  # pinyin ping|an
        Field("an 是一个缩写"),  # the letters themselves
    ]
    assert order("an", fields) == ["an 是一个缩写", "平安", "爱你"]


def test_an_exact_title_heading_or_term_ranks_above_other_titles():
    fields = [
        Field("大模型训练", Tier.TITLE),
        Field(f"大模型训练{COLON}在海量数据上训练", Tier.TITLE, lead=5),
        Field("大模型的挑战", Tier.HEADING),
        Field("大模型", Tier.HEADING),
        Field(f"大模型{COLON}参数规模巨大", Tier.TITLE, lead=3),
    ]
    assert order("大模型", fields) == [
        f"大模型{COLON}参数规模巨大",
        "大模型",
        "大模型训练",
        f"大模型训练{COLON}在海量数据上训练",
        "大模型的挑战",
    ]


def test_a_heading_ranks_above_body_text_and_a_term_above_both():
    fields = [
        Field("大模型面临的挑战很多"),
        Field("面临的挑战", Tier.HEADING, lead=5),
        Field(f"挑战{COLON}难以解决的问题", Tier.TITLE, lead=2),
    ]
    assert order("挑战", fields) == [
        f"挑战{COLON}难以解决的问题",
        "面临的挑战",
        "大模型面临的挑战很多",
    ]


def test_the_best_results_are_kept_when_capped():
    fields = [Field(f"第{n}条关于模型的笔记") for n in range(100)] + [Field("模型", Tier.TITLE, 2)]
    assert order("模型", fields, limit=3) == ["模型", "第0条关于模型的笔记", "第1条关于模型的笔记"]


def test_a_lexicon_is_made_once_per_set_of_terms():
    assert Lexicon.of(["大模型", "量化"]) is Lexicon.of(["量化", "大模型"])
