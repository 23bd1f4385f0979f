"""Saved forms of a KCNA Watch page other than its visible text (Jina Reader text, HTML), each brought to the
visible text's shape so that one parser (`extract.parse`) reads every form alike."""
