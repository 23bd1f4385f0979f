"""Run: the stages wired together over a pool of worker processes, with the build memo and timings."""
