#![recursion_limit = "256"]
//! Peiling's server: configuration, database, authentication, the routes that
//! are not pages, the survey's answering flow, the materialised wave results,
//! and the command-line tasks the `server` binary runs.

pub mod admin;
pub mod auth;
pub mod client;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod entities;
pub mod error;
pub mod planning;
pub mod results;
pub mod routes;
pub mod secrets;
pub mod startup;
pub mod state;
pub mod survey;
pub mod telemetry;
