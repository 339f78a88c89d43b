//! Integration tests for dingbot live in `tests/`.
