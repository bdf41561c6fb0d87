"""The analyst's tools: new, add, import, quote, schema, init."""
