//! Runnable examples for dingbot live in `examples/`.
