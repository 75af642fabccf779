//! The student survey on the server: class codes, drafts, the answering flow
//! and submission.

pub mod codes;
pub mod draft;
pub mod flow;
pub mod routes;
pub mod submit;
