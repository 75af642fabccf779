//! Shared support for the end-to-end tests lives in `e2e/`; this crate has no library code.
