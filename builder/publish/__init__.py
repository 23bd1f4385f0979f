"""Publish: version from the diff, build report, card, citation, Croissant, the release index, and verification."""
