"""Interactive network views (pyvis) of what the query catalogue returns."""
