"""The authoring loop: init, ids, stats, the preview page, watch."""
