"""Reading a number's frame from the sentence: what it counts, whether words qualify it,
and table headers read through one-letter slips."""
import pytest

from auditor.concepts import lexicon, plain
from auditor.frames import counted_noun, modifies


def _after(sentence: str, number: str) -> int:
    return sentence.index(number) + len(number)


@pytest.mark.parametrize("sentence,number,noun", [
    ("Xã đã in và cấp phát 1.500 tờ rơi hướng dẫn nộp hồ sơ trực tuyến.", "1.500", "tờ rơi"),
    ("Hiện có 02 xe ô tô công được điều chuyển về xã.", "02", "xe"),
    ("Số hồ sơ đang giải quyết là 20, giảm 3 hồ sơ.", "20", None),  # nothing counted after it
    ("Tổng số hồ sơ là 20 mới tiếp nhận trong kỳ.", "20", None),  # an adverb, not a noun
])
def test_counted_noun(sentence, number, noun):
    assert counted_noun(sentence, _after(sentence, number)) == noun


@pytest.mark.parametrize("words,qualifies", [
    ("chỉ cung cấp thông tin", True), ("trực tiếp", True), ("đã quá hạn", True),
    ("do nghỉ hưu", False), ("tại bộ phận một cửa", False), ("", False), ("(trong đó", False),
])
def test_modifies(words, qualifies):
    assert modifies(words) is qualifies


@pytest.mark.parametrize("header,reads", [
    ("Đung hạn", "đúng hạn"), ("Qua han", "quá hạn"), ("Trưc tuyến", "trực tuyến"),
    ("Truớc hạn", "trước hạn"), ("Số hồ sơ đang giả quyết", "số hồ sơ đang giải quyết"),
])
def test_header_slips_are_read_as_the_phrase(header, reads):
    repaired, score = lexicon().header_repair(header)
    assert repaired == reads and score is not None and score >= 85


@pytest.mark.parametrize("header", ["Tổng số", "Số hồ sơ đã giải quyết", "Kết quả giải quyết", "Ghi chú",
                                    "Trong hạn", "Mới tiếp nhận"])
def test_correct_headers_are_left_alone(header):
    assert lexicon().header_repair(header) == (header, None)


def test_plain_drops_diacritics_and_tone_marks():
    assert plain("Đúng HẠN  (%)") == "dung han (%)"


@pytest.mark.parametrize("sentence,number,narrowed", [
    ("Trong kỳ, tiếp nhận 46 hồ sơ vào ngày thứ Bảy.", "46", True),
    ("hỗ trợ nộp 231 hồ sơ trực tuyến tại khu vực hỗ trợ của Bộ phận Một cửa", "231", True),
    ("đã tiếp nhận 146 hồ sơ của tổ chức, cá nhân cư trú ngoài địa bàn", "146", True),
    ("Hiện nay, 142 TTHC thuộc thẩm quyền của xã đều được cung cấp trực tuyến", "142", False),
    ("Bộ phận Một cửa đã tiếp nhận 1.290 hồ sơ, trong đó 19 hồ sơ", "1.290", False),
    ("gồm 20 hồ sơ từ kỳ trước chuyển sang", "20", False),
])
def test_a_prepositional_phrase_on_the_counted_noun_narrows_it(sentence, number, narrowed):
    from auditor.frames import restricted

    assert restricted(sentence, _after(sentence, number)) is narrowed


@pytest.mark.parametrize("sentence,number,narrowed", [
    ("trong quý đã tiếp nhận vào ngày thứ Bảy 118 hồ sơ", "118", True),
    ("Bộ phận một cửa của xã đã tiếp nhận tổng số 1.246 hồ sơ", "1.246", False),
    ("Ủy ban nhân dân xã đã ban hành 26 văn bản", "26", False),
])
def test_a_narrowing_phrase_between_verb_and_count(sentence, number, narrowed):
    from auditor.frames import restricted_before

    assert restricted_before(sentence, sentence.index(number)) is narrowed
