//! The student survey on the server: class codes, drafts, the answering flow,
//! submission, and what the database keeps of it at rest.

pub mod at_rest;
pub mod codes;
pub mod draft;
pub mod flow;
pub mod routes;
pub mod submit;
