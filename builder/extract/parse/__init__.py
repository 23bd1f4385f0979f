"""Parsing one capture's text: header, body, end markers, repairs and teasers (raw-pages.md)."""

from builder.extract.parse.model import Page, ParseReject, Teaser
from builder.extract.parse.page import parse_page

__all__ = ["Page", "ParseReject", "Teaser", "parse_page"]
