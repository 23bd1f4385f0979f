"""Read: build inputs -> `Capture`s to parse, or `Rejected`s for inputs that cannot be read. One reader module a
format (`page_files`, `jsonl`), chosen by `registry`; `inputs` walks the inputs in a fixed order."""

from builder.read.inputs import InputError, check_inputs, load, locate_inputs, locate_units, read_inputs
from builder.read.located import Pending, Skipped, Unit, display_root, printable_name
from builder.read.registry import close_readers

__all__ = [
    "InputError",
    "Pending",
    "Skipped",
    "Unit",
    "check_inputs",
    "close_readers",
    "display_root",
    "load",
    "locate_inputs",
    "locate_units",
    "printable_name",
    "read_inputs",
]
