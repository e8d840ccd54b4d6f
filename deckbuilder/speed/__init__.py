"""The speed machinery wrapped around the stages: the build cache, remembered notes, worker processes, the
cycle-collector pause. Imported by the pipeline alone (tests/project/test_layout.py)."""
