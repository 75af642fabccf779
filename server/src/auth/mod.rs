//! Staff accounts: roles, passwords, sessions and the login pages.

pub mod authz;
pub mod password;
pub mod role;
pub mod routes;
pub mod session;
pub mod throttle;
pub mod users;
