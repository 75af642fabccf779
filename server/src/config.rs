//! Settings from flags and environment variables. Every flag has an environment
//! variable, so the same binary runs from a shell, a service file or a container.

use std::{net::SocketAddr, path::PathBuf};

use surveys::SuppressionThreshold;

/// Where the data lives.
#[derive(clap::Args, Clone, Debug)]
pub struct DatabaseArgs {
    /// SQLite (`sqlite://path/to/file.db`) or PostgreSQL (`postgres://…`) database.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://data/peiling.db",
        hide_env_values = true
    )]
    pub database_url: String,
}

#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on; port 0 picks a free one.
    #[arg(
        long,
        global = true,
        env = "PEILING_LISTEN",
        default_value = "127.0.0.1:3000"
    )]
    pub listen: SocketAddr,

    /// Folder with the compiled browser bundle, styles and static files.
    #[arg(
        long,
        global = true,
        env = "PEILING_SITE_ROOT",
        default_value = "target/site"
    )]
    pub site_root: PathBuf,

    /// No figure is shown for a group of fewer valid respondents than this
    /// (never below 5).
    #[arg(long, global = true, env = "PEILING_SUPPRESSION_K", default_value_t = SuppressionThreshold::DEFAULT)]
    pub suppression_k: SuppressionThreshold,

    /// Load the fictional demo region (synthetic data) into an empty database.
    /// Switch off in production.
    #[arg(long, global = true, env = "PEILING_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Mark cookies `Secure`: set this when the site is served over HTTPS.
    #[arg(long, global = true, env = "PEILING_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,
}
