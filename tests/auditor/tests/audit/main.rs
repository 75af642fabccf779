//! The auditor at work: on hand-built bad releases, which it must catch, and on
//! what the production computation releases, one release at a time and several
//! together, which it must not be able to attack.

mod attacks;
mod production;
mod property;
mod releases;
mod students;
