"""Use cases the GUI and the CLI both call. No Qt here: progress and cancel are plain callbacks."""
