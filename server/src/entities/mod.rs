//! The tables as sea-orm entities. The schema itself is defined by the
//! `migrations` crate; these mirror it for typed queries.

pub mod app_user;
pub mod audit_log;
pub mod class_code;
pub mod cycle_step;
pub mod goal;
pub mod login_throttle;
pub mod municipality;
pub mod password_reset;
pub mod prevention_action;
pub mod region;
pub mod response;
pub mod school;
pub mod session;
pub mod submission_receipt;
pub mod survey_draft;
pub mod survey_wave;
pub mod user_village;
pub mod village;
pub mod wave_figure;
pub mod wave_release;
