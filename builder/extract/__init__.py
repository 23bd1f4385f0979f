"""Extract: a capture's bytes -> text -> the facts of its page (header, body, end markers, repairs, teasers)."""
