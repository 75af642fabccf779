//! The auditor at work: on hand-built bad releases, which it must catch, and on
//! what the production computation releases, which it must not be able to
//! attack.

mod attacks;
mod production;
mod students;
