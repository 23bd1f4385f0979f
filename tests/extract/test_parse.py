import datetime as dt
import itertools
from collections import Counter

import pytest
from conftest import FIXTURES, fixture_text

from builder.extract.decode import decode_capture
from builder.extract.parse import ParseReject, parse_page
from builder.extract.parse.dates import today_in_pyongyang
from builder.extract.parse.repairs import _SPACE_BEFORE_PUNCTUATION, _inline_repairs

SEED_TITLE = "Press Statement by Spokesperson for Institute for Disarmament and Peace of DPRK Foreign Ministry"


def test_seed_header_fields(seed_text):
    page = parse_page(seed_text)
    assert page.shape == "C"
    assert page.title == SEED_TITLE
    assert page.date == dt.date(2024, 9, 13)
    assert page.source == "Ministry of Foreign Affairs (EN)"


def test_seed_body_is_exactly_the_thirteen_paragraphs_between_date_line_and_more_from(seed_text):
    lines = seed_text.split("\n")
    date_line = next(i for i, line in enumerate(lines) if line.startswith("Date: "))
    more_from = next(i for i, line in enumerate(lines) if line.startswith("More From "))
    expected = lines[date_line + 1 : more_from]
    page = parse_page(seed_text)
    assert len(expected) == 13
    assert page.paragraphs == expected
    assert page.body == "\n\n".join(expected)
    assert page.body.startswith("A spokesperson for the Institute for Disarmament and Peace")
    assert page.body.endswith("by mobilizing an illegal war organization.")
    for furniture in ("Read original version at source", "More From", "More Articles", "Date:"):
        assert furniture not in page.body


def test_seed_teasers(seed_text):
    page = parse_page(seed_text)
    assert len(page.teasers) == 20
    assert all(t.source == "Ministry of Foreign Affairs (EN)" and t.title is None for t in page.teasers)
    assert page.teasers[0].date == dt.date(2025, 6, 30)
    assert page.teasers[-1].date == dt.date(2025, 6, 15)
    assert page.teasers[0].snippet.startswith("The peoples of the Democratic People’s Republic of Korea")
    snippets = [t.snippet for t in page.teasers]
    shared = [s for s in set(snippets) if snippets.count(s) == 2]
    assert len(shared) == 1 and len(set(snippets)) == 19
    assert len({t.date for t in page.teasers if t.snippet == shared[0]}) == 2
    assert page.complete and page.body_whole
    assert page.captured_on == dt.date(2025, 6, 30)


def test_shape_a_header_markers_repairs_and_titled_teasers():
    page = parse_page(fixture_text("shape_a_kcna.txt"))
    assert (page.shape, page.title, page.date, page.source) == (
        "A",
        "Kim Jong Un Inspects Fertilizer Factory",
        dt.date(2026, 3, 1),
        "KCNA.kp (En)",
    )
    assert page.captured_on == dt.date(2026, 3, 2)
    assert page.paragraphs == [
        "Pyongyang, March 1 (KCNA) -- The respected Kim Jong Un inspected the newly built fertilizer factory in "
        "South Hamgyong Province.",
        "He said the factory was built to mark the 80th founding anniversary of the Workers’ Party of Korea.",
        "Kim Jong Un, General Secretary of the WPK, expressed great satisfaction over the work.",
    ]
    assert page.dateline == "Pyongyang, March 1 (KCNA)"
    assert page.end_marker == "-0-"
    assert page.kcna_trailer == "www.kcna.kp (2026.03.01.)"
    assert dict(page.repairs) == {"split_name": 1, "ordinal_suffix": 1, "space_before_punctuation": 1}
    assert [(t.title, t.date) for t in page.teasers] == [
        ("Greetings to Lao President", dt.date(2026, 2, 28)),
        ("Rodong Sinmun Calls for Increased Production", dt.date(2026, 2, 27)),
    ]
    assert page.complete


def test_shape_b_voice_of_korea_repeated_title_removed():
    page = parse_page(fixture_text("shape_b_voice_of_korea.txt"))
    assert page.shape == "B"
    assert page.title == "Traditional Folk Game Popular among Pyongyang Children."
    assert page.captured_on == dt.date(2025, 3, 2)
    assert (
        page.paragraphs[0] == "Children of Pyongyang are enjoying a traditional folk game on the frozen Taedong River."
    )
    assert page.repairs["repeated_title"] == 1
    assert page.dateline is None


def test_old_capture_furniture_and_nk_news_footer():
    page = parse_page(fixture_text("shape_c_old_nknews.txt"))
    assert page.shape == "C"
    assert page.source == "KCNA.kp (En)"
    assert page.date == dt.date(2018, 6, 5)
    assert page.paragraphs == [
        "Pyongyang, June 5 (KCNA) — A spokesman for the DPRK Foreign Ministry answered the following question raised "
        "by KCNA.",
        "Question: Recently the U.S. talked about its “maximum pressure” again.",
        "Answer: Such remarks run counter to the spirit of dialogue.",
    ]
    assert page.dateline == "Pyongyang, June 5 (KCNA)"
    assert page.complete and page.teasers == []


def test_headless_capture_keeps_body_and_teasers():
    page = parse_page(fixture_text("shape_d_headless.txt"))
    assert page.shape == "D" and page.title is None and page.date is None
    assert len(page.paragraphs) == 3
    assert page.paragraphs[0].startswith("Traditional Folk Game Popular among Pyongyang Children This Winter   ")
    assert [t.date for t in page.teasers] == [dt.date(2025, 2, 27), dt.date(2025, 3, 1)]
    assert page.captured_on == dt.date(2025, 3, 1)


def test_capture_cut_in_body_is_not_complete():
    page = parse_page(fixture_text("cut_in_body.txt"))
    assert page.paragraphs[-1] == "Its peaks are covered with snow from Octo"
    assert not page.complete and not page.body_whole


def test_press_review_list_juche_trailer_and_cut_teaser_dropped():
    page = parse_page(fixture_text("press_review_juche.txt"))
    assert page.paragraphs[1:] == [
        "Rodong Sinmun",
        "- Kim Jong Un sends message to President of Eritrea",
        "- Editorial calls for bumper harvest",
        "Minju Joson",
        "- Article on agricultural production",
    ]
    assert page.kcna_trailer == "www.kcna.kp (Juche112.5.26.)"
    assert len(page.teasers) == 1  # the second teaser was cut by the end of the capture
    assert page.body_whole and not page.complete


def test_credit_line_taken_out():
    page = parse_page(fixture_text("naenara_credit.txt"))
    assert page.credit == "KCNA"
    assert page.paragraphs[-1] == "Every day thousands of pupils come here to learn music, dance and science."
    assert page.complete


def test_crlf_and_cr_line_endings_parse_like_lf(seed_text):
    expected = parse_page(seed_text)
    for newline in ("\r\n", "\r"):
        page = parse_page(seed_text.replace("\n", newline))
        assert (page.title, page.date, page.body, len(page.teasers)) == (
            expected.title,
            expected.date,
            expected.body,
            20,
        )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n\t\n", "empty"),
        ("A Title\nDate: 31/02/2024 | Source: KCNA.kp (En) | Read original version at source\nBody.", "bad_date"),
        ("A Title\nDate: 13/09/2024 | Read original version at source\nBody.", "bad_date_line"),
        ("Date: 13/09/2024 | Source: KCNA.kp (En) | Read original version at source\nBody.", "no_title"),
        (
            "A Title\nDate: 13/09/2024 | Source: KCNA.kp (En) | Read original version at source\nMore Articles",
            "no_body",
        ),
    ],
)
def test_rejects_have_reasons(text, reason):
    with pytest.raises(ParseReject) as caught:
        parse_page(text)
    assert caught.value.reason == reason
    assert caught.value.detail


def test_empty_source_name_mixed_paragraphs_signature_and_cut_titled_teasers():
    page = parse_page(fixture_text("letter_signature_mixed.txt"))
    assert (page.shape, page.source, page.title) == ("A", "(En)", "Kim Jong Un Sends Letter to Builders")
    assert page.paragraphs == [
        "Pyongyang, March 4 (KCNA) -- Respected Comrade Kim Jong Un, General Secretary of the Workers’ Party of "
        "Korea, sent a letter to the builders of the Hwasong District.",
        "The letter reads:",
        "Dear builders,",
        "I extend warm thanks to you all.",
        "Kim Jong Un",
        "Pyongyang",
        "March 3, Juche 115 (2026)",
    ]
    assert [(t.title, t.source) for t in page.teasers] == [("Builders Praised", "(En)")]
    assert page.body_whole and not page.complete


def test_bom_crlf_one_paragraph_body_with_end_mark():
    data = (FIXTURES / "kcna_co_jp_one_paragraph_crlf_bom.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    page = parse_page(decode_capture(data).text)
    assert page.title == "Korea Hails Anniversary"
    assert page.paragraphs == [
        "Pyongyang, September 9 (KCNA) -- The people of the DPRK celebrated the 60th anniversary of the founding of "
        "the Republic. Meetings were held across the country."
    ]
    assert page.end_marker == "-0-" and page.complete and page.teasers == []


def test_body_line_starting_with_date_word_is_not_a_date_line():
    page = parse_page("Date: the talks were held in Pyongyang.\nThey ended with an agreement.")
    assert page.shape == "D" and len(page.paragraphs) == 2


@pytest.mark.parametrize("label", ["Minju Choson (EN)", "Sports DPRK English", "Rodong Sinmun (Kor)", "New Outlet"])
def test_any_source_label_is_kept_as_shown(label):
    page = parse_page(f"A Title\nDate: 02/01/2020 | Source: {label} | Read original version at source\nText.")
    assert page.source == label


def test_furniture_variants_are_removed():
    page = parse_page(
        "A Title\nDate: 02/01/2019 | Source: KCNA.kp (En) | Read original version at source\nShare Button\n"
        "First.\nNK News is hiring – apply now\nSecond.\nGet North Korea headlines delivered to your inbox daily\n"
        "Subscribe to the NK News 'Daily Update'"
    )
    assert page.paragraphs == ["First.", "Second."] and page.complete


def test_title_starting_with_kcna_is_not_taken_for_the_brand_line():
    page = parse_page(
        "March 02, 2026Mar 02, 2026\nKCNA Commentary Slams U.S. Moves\n\n"
        "Date: 01/03/2026 | Source: KCNA.kp (En) | Read original version at source\n\nText."
    )
    assert (page.shape, page.title) == ("A", "KCNA Commentary Slams U.S. Moves")
    page = parse_page(
        "March 02, 2026\nKCNA KCNA.kp (En)\n\nKCNA Commentary Slams U.S. Moves\n\n"
        "Date: 01/03/2026 | Source: KCNA.kp (En) | Read original version at source\n\nText."
    )
    assert (page.shape, page.title) == ("B", "KCNA Commentary Slams U.S. Moves")


def test_a_space_before_punctuation_is_closed_up_where_the_expression_with_its_word_boundary_says():
    """`_inline_repairs` finds names by their `Kim ` and checks each with `\\b(<names>) +([,.;:!?])`; it must repair
    what that expression's own `subn` repairs, and count as many: every sequence of up to four of these pieces."""
    pieces = ["Kim Jong Un", "Kim Il Sung", "Kim Jong", " Suk", " ", ",", "!", "x", "_", "\u00e9", "3", "\u2019"]
    for size in range(5):
        for text in map("".join, itertools.product(pieces, repeat=size)):
            expected, found = _SPACE_BEFORE_PUNCTUATION.subn(r"\1\2", text)
            counts = Counter()
            assert _inline_repairs(text, counts) == expected, text
            assert counts["space_before_punctuation"] == found, text


def test_a_page_dated_today_in_pyongyang_is_kept_while_the_builders_date_is_still_yesterday(seed_text, evening_in_utc):
    """The pages' dates are Pyongyang's (UTC+9). Rejected as "after today" on the builder's own date, the morning's
    articles would be lost by a build in the evening UTC, and kept by a rebuild the day after."""
    assert evening_in_utc.date() == dt.date(2026, 12, 1)
    assert today_in_pyongyang() == dt.date(2026, 12, 2)
    page = parse_page(seed_text.replace("Date: 13/09/2024", "Date: 02/12/2026"))
    assert page.date == dt.date(2026, 12, 2)
    with pytest.raises(ParseReject) as caught:
        parse_page(seed_text.replace("Date: 13/09/2024", "Date: 03/12/2026"))
    assert caught.value.reason == "date_out_of_range"
    assert "after today in Pyongyang" in caught.value.detail
