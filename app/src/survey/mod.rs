//! The student survey: the words around the questions, and its pages.

pub mod texts;
