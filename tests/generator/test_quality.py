"""The checks a teacher would make on a generated item (generator/quality.py, pure)."""

from __future__ import annotations

import pytest

from generator import llm
from generator.quality import (
    give_away,
    is_label,
    near_duplicate,
    similarity,
    term_key,
    weak_blank,
)


class TestSimilarity:
    def test_the_same_template_with_other_words_is_a_near_duplicate(self):
        right = "要么全部成功\uff0c要么全部失败"
        assert similarity(right, "要么全部完成\uff0c要么全部不做") == pytest.approx(0.6)
        assert near_duplicate(right, "要么全部完成\uff0c要么全部不做")
        assert near_duplicate("要么全部成功,要么全部失败", "要么全部完成,要么全部不做")

    def test_descriptions_of_different_things_are_not(self):
        assert not near_duplicate("将语音转换成文本", "将文本转换成自然流畅的语音")
        assert not near_duplicate("第二范式", "第三范式")
        assert similarity("事务", "事务") == 1.0
        assert similarity("", "事务") == 0.0

    def test_bigrams_never_straddle_punctuation_and_a_latin_word_is_one_piece(self):
        assert similarity("功,要", "功要") == 0.0
        assert similarity("Transformer 模型", "transformer") == pytest.approx(2 / 3)

    def test_the_llm_backend_measures_support_with_the_same_bigrams(self):
        assert llm.supported("模型压缩技术", "为了降低成本，需要采用模型压缩技术。")
        assert not llm.supported("知识图谱推理", "为了降低成本，需要采用模型压缩技术。")


class TestGiveAway:
    def test_a_piece_of_the_term_only_the_right_option_has(self):
        right = "为了降低模型的计算和存储成本，需要采用模型压缩技术"
        wrong = ["利用 GPU、TPU 等专用硬件加速模型的推理过程", "将计算任务分配到多个设备上并行执行"]
        assert give_away("模型压缩", [right], wrong) in {"型压", "压缩"}

    def test_a_piece_every_option_has_is_no_give_away(self):
        right = "为了降低模型的计算和存储成本，需要采用____技术"
        wrong = ["利用 GPU、TPU 等专用____模型的推理过程", "模型采用自注意力机制"]
        assert give_away("模型压缩", [right], wrong) == ""

    def test_a_mask_only_the_right_option_carries(self):
        assert give_away("模型压缩", ["需要采用____技术"], ["将语音转换成文本"]) == "____"


@pytest.mark.parametrize(
    "term",
    ["早期模型", "其他结构", "其它方法", "模型规模持续增大", "不断优化的算法", "2012年",
     "公元前221年", "随着计算能力的提升", "除了 Transformer 之外"],
)  # fmt: skip
def test_labels_are_not_terms(term):
    assert is_label(term)


@pytest.mark.parametrize(
    "term",
    ["Transformer 模型", "多模态学习", "深度学习兴起", "己模型", "B+ 树", "GROUP BY", "第一范式",
     "细胞膜", "文景之治", "可解释性和安全性", "自然语言处理 (NLP)"],
)  # fmt: skip
def test_terms_are_not_labels(term):
    assert not is_label(term)


def test_two_names_of_one_term_share_a_key():
    assert term_key("Transformer") == term_key("Transformer 模型") == term_key("transformer模型")
    assert term_key("模型压缩") != term_key("模型压缩和加速")
    assert term_key("模型") == "模型"


@pytest.mark.parametrize(
    ("answer", "source", "reason"),
    [
        ("张表中", "连接\uff08JOIN\uff09\uff1a根据两张或多张表中相关的列\uff0c把它们的行组合在一起。", "不是完整的词"),
        ("级别", "参数数量通常达到数百万、数十亿甚至数万亿级别。", "列举中的一项"),
        ("视频", "通常包含大量的文本、图像、音频或视频数据。", "列举中的一项"),
        ("PostgreSQL", "常见的关系数据库管理系统有 MySQL、PostgreSQL、Oracle 和 SQLite。", "列举中的一项"),
        ("Mixture-of-Experts", "也有研究者探索其他的模型结构,如 Mixture-of-Experts (MoE)。", "列举中的一项"),
        ("集上", "即先在一个大型数据集上进行无监督或自监督学习。", "不是完整的词"),
        ("系统", "推荐系统根据用户的历史行为推荐商品。", "泛泛的词"),
        ("仓库", "数据放在仓库中\uff0c供以后分析使用。", "泛泛的词"),
        ("方式", "胞吞和胞吐是大分子物质进出细胞的方式。", "泛泛的词"),
        ("表", "主键能唯一标识表中每一行。", "泛泛的词"),
        ("对模型", "数据的质量和多样性对模型的性能至关重要。", "不是完整的词"),
        ("医学家", "中医学家张仲景著有《伤寒杂病论》。", "不是完整的词"),
        ("联军大败", "孙权和刘备联军大败曹操\uff0c奠定了三国鼎立的基础。", "不是一个词"),
        ("张骞", "张骞出使西域以后\uff0c丝绸之路开通了。", "人名"),
        ("无法继续执行", "两个事务互相等待\uff0c导致都无法继续执行。", "不是名词"),
        ("继续执行", "两个事务互相等待\uff0c导致都无法继续执行。", "不是名词"),
        ("社会安定", "汉文帝和汉景帝在位期间\uff0c社会安定\uff0c经济繁荣。", "不是名词"),
        ("统治者", "汉初统治者减轻农民的赋税和徭役。", "不是名词"),
        ("利用光", "绿色植物利用光能把二氧化碳和水转化成有机物。", "不是完整的词"),
        ("信息库", "细胞核是遗传信息库\uff0c是细胞代谢的控制中心。", "不是完整的词"),
        ("遣唐使", "日本多次派遣唐使来中国学习。", "不是完整的词"),  # 派遣 or 遣唐使: ambiguous
    ],
)  # fmt: skip
def test_weak_blanks(answer, source, reason):
    assert weak_blank(answer, source) == reason


@pytest.mark.parametrize(
    ("answer", "source"),
    [
        ("人工神经网络", "大型模型是参数数量巨大的人工神经网络。"),
        ("ImageNet", "2012年,AlexNet 在 ImageNet 图像识别挑战赛中取得突破性进展。"),
        ("注意力机制", "Transformer 模型采用自注意力机制\uff0c能够并行处理序列数据。"),
        ("类囊体薄膜", "光反应\uff1a在类囊体薄膜上进行\uff0c水被分解。"),
        ("MVCC", "由于加锁会降低并发性能\uff0c很多数据库采用多版本并发控制\uff08MVCC\uff09。"),
    ],
)
def test_good_blanks(answer, source):
    assert weak_blank(answer, source) == ""


def test_a_term_of_the_set_may_be_a_short_blank():
    assert weak_blank("索引", "为了避免全表扫描\uff0c需要建立索引。", frozenset({"索引"})) == ""
