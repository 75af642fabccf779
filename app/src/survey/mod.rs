//! The student survey: the words around the questions, and its pages.

pub mod document;
pub mod questions;
pub mod scripted;
pub mod texts;
