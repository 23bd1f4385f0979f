"""DPRK State Media Corpus builder: raw KCNA Watch captures -> validated, versioned Parquet releases."""

__version__ = "1.0.0"
