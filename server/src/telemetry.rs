//! Structured logs to standard error; `RUST_LOG` filters, `PEILING_LOG_FORMAT=json`
//! switches to one JSON object per line for log collectors.

use tracing_subscriber::{EnvFilter, fmt};

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if std::env::var("PEILING_LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}
