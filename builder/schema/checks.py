"""The data checks of the schemas, registered with pandera by name so that a schema can be written to JSON with
each release (`schema.json`) and read back later: an old release is then checked against its own schema, even
after the columns have changed.

A check's behaviour must never change once a release uses it; a new behaviour gets a new name.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pandera.extensions as extensions
import pandera.pandas as pa
import pyarrow

from builder.extract.parse.dates import today_in_pyongyang
from builder.extract.words import word_count


@extensions.register_check_method()
def not_empty(series: pd.Series) -> pd.Series:
    return series.str.strip().str.len() > 0


@extensions.register_check_method()
def single_line(series: pd.Series) -> pd.Series:
    return ~series.str.contains("\n", regex=False)


@extensions.register_check_method(statistics=["pattern"])
def no_page_furniture(series: pd.Series, *, pattern: str) -> pd.Series:
    """None of the page-furniture texts (a regex alternation) occurs."""
    return ~series.str.contains(pattern, regex=True)


@extensions.register_check_method(statistics=["pattern"])
def no_language_tag(series: pd.Series, *, pattern: str) -> pd.Series:
    """The value does not end in a language tag such as `(En)` (the regex `pattern`)."""
    return ~series.str.contains(pattern, regex=True)


@extensions.register_check_method(statistics=["first"])
def date_from_until_today(series: pd.Series, *, first: str) -> pd.Series:
    """Dates from `first` up to the day the check runs, on the checking machine's clock (releases made by builder
    0.2.0 and before; a page dated today in Pyongyang could fail it)."""
    return (series >= dt.date.fromisoformat(first)) & (series <= dt.date.today())


@extensions.register_check_method(statistics=["first"])
def date_from_until_today_in_pyongyang(series: pd.Series, *, first: str) -> pd.Series:
    """Dates from `first` up to the day the check runs in Pyongyang, whose days the pages' dates are."""
    return (series >= dt.date.fromisoformat(first)) & (series <= today_in_pyongyang())


@extensions.register_check_method(statistics=["pattern"])
def every_item_matches(series: pd.Series, *, pattern: str) -> pd.Series:
    regex = re.compile(pattern)
    return series.map(lambda items: all(regex.match(item) for item in items))


@extensions.register_check_method(statistics=["minimum"])
def list_length_at_least(series: pd.Series, *, minimum: int) -> pd.Series:
    return series.list.len() >= minimum  # Arrow lists (`validate.validate_batch`): lengths without Python lists


@extensions.register_check_method(statistics=["list_column", "count_column"], supported_types=pd.DataFrame)
def list_length_is(frame: pd.DataFrame, *, list_column: str, count_column: str) -> pd.Series:
    return frame[list_column].list.len() == frame[count_column]


@extensions.register_check_method(statistics=["value_column", "list_column"], supported_types=pd.DataFrame)
def value_in_list(frame: pd.DataFrame, *, value_column: str, list_column: str) -> pd.Series:
    return pd.Series(
        [value in items for value, items in zip(frame[value_column], frame[list_column])], index=frame.index
    )


@extensions.register_check_method(statistics=["column", "other"], supported_types=pd.DataFrame)
def equal_when_present(frame: pd.DataFrame, *, column: str, other: str) -> pd.Series:
    return frame[column].isna() | (frame[column] == frame[other])


@extensions.register_check_method(statistics=["column", "other", "values"], supported_types=pd.DataFrame)
def present_only_when_in(frame: pd.DataFrame, *, column: str, other: str, values: list) -> pd.Series:
    return frame[column].isna() | frame[other].isin(values)


@extensions.register_check_method(statistics=["column", "other"], supported_types=pd.DataFrame)
def present_only_with(frame: pd.DataFrame, *, column: str, other: str) -> pd.Series:
    return frame[column].isna() | frame[other].notna()


@extensions.register_check_method(statistics=["count_column", "text_column"], supported_types=pd.DataFrame)
def word_count_of(frame: pd.DataFrame, *, count_column: str, text_column: str) -> pd.Series:
    """`count_column` holds the number of whitespace-separated words of `text_column` (`len(text.split())`)."""
    return frame[count_column] == frame[text_column].map(word_count)


@extensions.register_check_method(statistics=["column", "other"], supported_types=pd.DataFrame)
def starts_other_when_present(frame: pd.DataFrame, *, column: str, other: str) -> pd.Series:
    """`column`, where present, is the start of `other` (a dateline stays at the head of the body)."""
    return pd.Series(
        [
            prefix is None or pd.isna(prefix) or text.startswith(prefix)
            for prefix, text in zip(frame[column], frame[other])
        ],
        index=frame.index,
    )


@extensions.register_check_method(statistics=["column", "other"], supported_types=pd.DataFrame)
def ordered_before(frame: pd.DataFrame, *, column: str, other: str) -> pd.Series:
    """`column` sorts before `other` (a pair is stored once, its smaller member first)."""
    return frame[column] < frame[other]


def schemas_to_json(schemas: dict[str, pa.DataFrameSchema]) -> str:
    """The `schema.json` of a release: each config's pandera schema, checks included."""
    return json.dumps({name: json.loads(schema.to_json()) for name, schema in schemas.items()}, indent=2) + "\n"


def schemas_from_json(text: str) -> dict[str, pa.DataFrameSchema]:
    return {name: _schema_from_spec(spec) for name, spec in json.loads(text).items()}


def _schema_from_spec(spec: dict) -> pa.DataFrameSchema:
    """pandera cannot read back Arrow list types; they are restored from their Arrow names here."""
    arrow_types = {}
    for name, column in spec["columns"].items():
        match = re.fullmatch(r"list<item: (\w+)>\[pyarrow\]", column.get("dtype") or "")
        if match:
            arrow_types[name] = pyarrow.list_(pyarrow.type_for_alias(match.group(1)))
            column["dtype"] = None
    schema = pa.DataFrameSchema.from_json(json.dumps(spec))
    return schema.update_columns({name: {"dtype": pd.ArrowDtype(t)} for name, t in arrow_types.items()})
