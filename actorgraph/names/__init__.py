"""Names of actors in any spelling or script: one normaliser, alias matching, search, and
the one way a name given by a user resolves to an actor (:func:`resolve_actor`)."""
