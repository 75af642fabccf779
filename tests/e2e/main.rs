//! Peiling end to end: the real server binary on a fresh database (SQLite and
//! PostgreSQL), spoken to over real HTTP and through a real Chromium.
//!
//! The server binary and browser bundle come from `cargo leptos build --release`
//! (the README's test command runs it first).

mod helpers;

mod admin;
mod admin_browser;
mod answering;
pub mod answering_browser;
mod at_rest;
mod authz;
mod browser;
mod caching;
mod cli;
mod crash;
mod dashboard;
pub mod dashboard_browser;
mod demo;
mod harvest;
mod home;
mod outage;
mod planning;
mod planning_browser;
mod proxy;
mod releases;
mod results;
mod schema;
mod staff;
mod survey;
