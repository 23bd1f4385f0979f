"""Read: build inputs -> `Capture`s to parse, or `Rejected`s for inputs that cannot be read."""
