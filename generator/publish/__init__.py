"""Publishing: the MkDocs plugin, the other engines, serve and merge."""
