"""Korean KCNA Watch captures (raw-pages.md §9): the Date line stays English, the dateline, the genre words of the
title and the speaker are Korean."""

import pytest

from builder.extract.fields import doc_type, issuer, language
from builder.extract.parse import parse_page

SHAPE_A = (
    "September 14, 2024Sep 14, 2024\nKCNA KCNA.kp (Kor)\n\n"
    "조선민주주의인민공화국 외무성 대변인 담화\n\n"
    "Date: 14/09/2024 | Source: KCNA.kp (Kor) | Read original version at source\n\n"
    "(평양 9월 14일발 조선중앙통신) 조선민주주의인민공화국 외무성 대변인은 14일 다음과 같은 담화를 발표하였다.\n\n"
    "미국과 그 추종세력들의 군사적도발책동은 지역의 평화와 안정을 엄중히 위협하고있다.\n\n"
    "More Articles"
)
SHAPE_C = (
    "김여정 조선로동당 중앙위원회 부부장 담화\n"
    "Date: 20/07/2024 | Source: Voice of Korea (KR) | Read original version at source\n"
    "김여정 조선로동당 중앙위원회 부부장은 20일 담화를 발표하였다.\n"
    "More Articles"
)


def test_a_korean_dateline_is_found_and_stays_in_the_body():
    page = parse_page(SHAPE_A)
    assert page.shape == "A" and page.source == "KCNA.kp (Kor)"
    assert page.dateline == "(평양 9월 14일발 조선중앙통신)" and page.paragraphs[0].startswith(page.dateline)


@pytest.mark.parametrize(
    ("text", "kind", "who"),
    [
        (SHAPE_A, "press statement", "조선민주주의인민공화국 외무성 대변인"),
        (SHAPE_C, "press statement", "김여정 조선로동당 중앙위원회 부부장"),
    ],
)
def test_a_korean_title_gives_its_document_type_and_speaker(text, kind, who):
    page = parse_page(text)
    assert doc_type(page.title) == kind and issuer(kind, page.title, page.body) == who
    assert language(page.source, page.body) == "ko"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("조선민주주의인민공화국 정부 성명", "statement"),
        ("조선중앙통신사 기자의 질문에 대한 외무성 대변인 대답", "answer to a question"),
        ("로동신문 론평", "commentary"),
        ("신년사", "speech"),
        ("김정은동지께서 로씨야대통령에게 축전을 보내시였다", "message"),
        ("조선중앙통신사 보도", "report"),
        ("조국해방전쟁승리 71돐 경축행사 진행", "news"),
    ],
)
def test_korean_genre_words_name_the_document_type(title, kind):
    assert doc_type(title) == kind


def test_an_answer_names_the_speaker_not_the_question():
    title = "조선중앙통신사 기자의 질문에 대한 외무성 대변인 대답"
    assert issuer(doc_type(title), title, "") == "외무성 대변인"


def test_a_korean_capture_builds_a_row_that_passes_the_schema(tmp_path, releases):
    import pyarrow.parquet as pq

    from builder.publish.release import build_release
    from builder.publish.request import BuildRequest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ko.txt").write_text(SHAPE_A)
    release = build_release(BuildRequest([raw], releases, version="0.1.0")).path
    [row] = pq.read_table(release / "articles/train-00000-of-00001.parquet").to_pylist()
    assert (row["language"], row["doc_type"], row["dateline"]) == (
        "ko",
        "press statement",
        "(평양 9월 14일발 조선중앙통신)",
    )
    assert row["issuer"] == "조선민주주의인민공화국 외무성 대변인"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024년 9월 14일", "2024-09-14"),
        ("주체113(2024)년 9월 14일", "2024-09-14"),
        ("공동사설 - 2002년 01월 01일", "2002-01-01"),
        ("주체112(2024)년 9월 14일", None),  # the Juche year does not match
        ("2024년 2월 30일", None),
    ],
)
def test_korean_dates_are_read(text, date):
    from builder.extract.parse.dates import parse_korean_date

    found = parse_korean_date(text)
    assert (found.isoformat() if found else None) == date


def test_a_korean_trailer_gives_the_original_date():
    page = parse_page(SHAPE_A.replace("\n\nMore Articles", "\n\nwww.kcna.kp (주체113.9.14.)\n\nMore Articles"))
    from builder.extract.parse.body import trailer_date

    assert (
        page.kcna_trailer == "www.kcna.kp (주체113.9.14.)"
        and trailer_date(page.kcna_trailer).isoformat() == "2024-09-14"
    )


SHAPE_B = (
    "September 14, 2024\nKCNA Tongil Sinbo\n\n조국통일을 위한 론평\n\n"
    "Date: 14/09/2024 | Source: Tongil Sinbo | Read original version at source\n\n"
    "민족의 념원인 조국통일은 반드시 실현될것이다.\n\nMore From Tongil Sinbo"
)
SHAPE_D = (
    "(평양 9월 14일발 조선중앙통신) 조선민주주의인민공화국 외무성 대변인은 14일 담화를 발표하였다.\n"
    "더 많은 내용이 있다."
)


def test_korean_captures_of_shapes_b_and_d_are_read():
    page = parse_page(SHAPE_B)
    assert (page.shape, page.source, page.title) == ("B", "Tongil Sinbo", "조국통일을 위한 론평")
    assert doc_type(page.title) == "commentary" and language(page.source, page.body) == "ko"
    assert not page.complete and page.body_whole  # "More From" ended the body; the page was cut after it
    headless = parse_page(SHAPE_D)
    assert headless.shape == "D" and headless.title is None and headless.dateline == "(평양 9월 14일발 조선중앙통신)"
