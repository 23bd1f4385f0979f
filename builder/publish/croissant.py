"""MLCommons Croissant 1.0 metadata (`croissant.json`) for a release, generated from the same pandera schemas."""

from __future__ import annotations

import json

import pandera.pandas as pa
import pyarrow

from builder.publish.citation import ABSTRACT, Citation
from builder.schema.columns import arrow_schema, key_columns
from builder.write.shards import shard_pattern

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _data_type(arrow_type: pyarrow.DataType) -> tuple[str, bool]:
    """(Croissant data type, repeated) for an Arrow type."""
    if pyarrow.types.is_list(arrow_type):
        return _data_type(arrow_type.value_type)[0], True
    if pyarrow.types.is_date(arrow_type):
        return "sc:Date", False
    if pyarrow.types.is_boolean(arrow_type):
        return "sc:Boolean", False
    if pyarrow.types.is_integer(arrow_type):
        return "sc:Integer", False
    if pyarrow.types.is_floating(arrow_type):
        return "sc:Float", False
    return "sc:Text", False


SPDX_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def _key(config: str, schema: pa.DataFrameSchema) -> dict | list[dict]:
    keys = [{"@id": f"{config}/{column}"} for column in key_columns(schema)]
    return keys[0] if len(keys) == 1 else keys


def croissant(
    citation: Citation,
    schemas: dict[str, pa.DataFrameSchema],
    files: dict[str, list[tuple[str, str]]],
    languages: list[str],
    responsible_ai: dict[str, str],
) -> str:
    """`files` maps each config to its shards as (path in the release, sha256); `responsible_ai` the RAI fields
    (`rai:dataBiases`, …), taken from the card's text."""
    distribution, record_sets = [], []
    for config, schema in schemas.items():
        distribution += _file_objects(config, files[config])
        record_sets.append(
            {
                "@type": "cr:RecordSet",
                "@id": config,
                "name": config,
                "key": _key(config, schema),
                "field": _fields(config, schema),
            }
        )
    document = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "dprk-state-media-corpus",
        "alternateName": citation.corpus.title,
        "description": ABSTRACT,
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": citation.bibtex(),
        "creator": {"@type": "sc:Organization", "name": "DPRK State Media Corpus maintainers"},
        "license": f"{citation.corpus.repository}/blob/v{citation.version}/README.md#licensing",
        "sdLicense": SPDX_URLS.get(citation.corpus.curation_licence, citation.corpus.curation_licence),
        "inLanguage": languages,
        **responsible_ai,
        "url": citation.url,
        "version": citation.version,
        **({"datePublished": citation.released} if citation.released else {}),
        "keywords": ["North Korea", "DPRK", "KCNA", "state media", "propaganda"],
        "distribution": distribution,
        "recordSet": record_sets,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _file_objects(config: str, shards: list[tuple[str, str]]) -> list[dict]:
    """One file object a shard, with its sha256, and the file set of the config's shards."""
    objects = [
        {
            "@type": "cr:FileObject",
            "@id": path,
            "name": path,
            "contentUrl": path,
            "encodingFormat": "application/x-parquet",
            "sha256": digest,
        }
        for path, digest in shards
    ]
    objects.append(
        {
            "@type": "cr:FileSet",
            "@id": f"{config}-files",
            "name": f"{config}-files",
            "description": f"Every shard of the {config} config; the file objects above give their sha256.",
            "encodingFormat": "application/x-parquet",
            "includes": shard_pattern(config),
        }
    )
    return objects


def _fields(config: str, schema: pa.DataFrameSchema) -> list[dict]:
    """One Croissant field a column, from the schema (its Arrow type and description)."""
    fields = []
    for column in arrow_schema(schema):
        data_type, repeated = _data_type(column.type)
        entry = {
            "@type": "cr:Field",
            "@id": f"{config}/{column.name}",
            "name": column.name,
            "description": schema.columns[column.name].description or "",
            "dataType": data_type,
            "source": {"fileSet": {"@id": f"{config}-files"}, "extract": {"column": column.name}},
        }
        if repeated:
            entry["repeated"] = True
        fields.append(entry)
    return fields
