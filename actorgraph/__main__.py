"""``python -m actorgraph``: the same as the ``actorgraph`` command."""

from actorgraph.cli import app

app(prog_name="actorgraph")
