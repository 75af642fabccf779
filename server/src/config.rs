//! Settings from flags and environment variables. Every flag has an environment
//! variable, so the same binary runs from a shell, a service file or a container.

use std::{
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

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

    /// Load the fictional demo region (synthetic data) and its accounts, whose
    /// password is published, into an empty database. Off unless asked for.
    #[arg(long, global = true, env = "PEILING_DEMO", default_value_t = false, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Mark cookies `Secure`: set this when the site is served over HTTPS.
    /// An `https` public URL does this by itself.
    #[arg(long, global = true, env = "PEILING_SECURE_COOKIES", default_value_t = false, action = clap::ArgAction::Set)]
    pub secure_cookies: bool,

    /// The address people reach Peiling at, e.g. `https://peiling.example.nl`.
    /// Reset links and code sheets point there, forms must come from there,
    /// and with `https` every cookie is `Secure` and browsers are told to keep
    /// to HTTPS. Without it, links follow the request's `Host`.
    #[arg(long, global = true, env = "PEILING_PUBLIC_URL", value_parser = public_url)]
    pub public_url: Option<String>,

    /// Addresses of the reverse proxies in front of Peiling, comma-separated.
    /// Only a request from one of them has its client address read from
    /// `X-Forwarded-For` (for login and class-code throttling); anyone else
    /// could write that header.
    #[arg(
        long,
        global = true,
        env = "PEILING_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<IpAddr>,
}

impl ServeArgs {
    /// Whether the site is served over HTTPS.
    pub fn https(&self) -> bool {
        self.secure_cookies
            || self
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://"))
    }
}

/// A public URL: `http` or `https`, a host, no path, query or credentials.
fn public_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the public URL starts with https:// (or http://)")?;
    let plain_host = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    if plain_host {
        Ok(url.to_owned())
    } else {
        Err(
            "the public URL is a scheme and a host (and port), e.g. https://peiling.example.nl"
                .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_is_a_scheme_and_a_host() {
        assert_eq!(
            public_url("https://peiling.example.nl/").as_deref(),
            Ok("https://peiling.example.nl")
        );
        assert_eq!(
            public_url("http://10.0.0.5:8080").as_deref(),
            Ok("http://10.0.0.5:8080")
        );
        for wrong in [
            "peiling.example.nl",
            "ftp://peiling.example.nl",
            "https://",
            "https://peiling.example.nl/path",
            "https://user:pw@peiling.example.nl",
            "https://peiling.example.nl?x=1",
        ] {
            assert!(public_url(wrong).is_err(), "{wrong}");
        }
    }
}
