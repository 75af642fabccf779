//! The student survey on the server: class codes, drafts and submission.

pub mod codes;
pub mod submit;
