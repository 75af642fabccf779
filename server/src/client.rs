//! Who is asking: the client's address as throttling must see it.
//!
//! Behind a reverse proxy every request comes from the proxy; counting
//! failures per TCP peer would then lock a whole school (or all staff) out
//! together. Only a proxy named in `--trusted-proxies` is believed about the
//! address it forwards for; anyone else could write `X-Forwarded-For`.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

use crate::config::ServeArgs;

/// The client's address: the TCP peer, or, when the peer is a trusted proxy,
/// the nearest address in `X-Forwarded-For` that is not a trusted proxy.
pub fn address(settings: &ServeArgs, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    let trusted = |ip: &IpAddr| settings.trusted_proxies.contains(ip);
    let mut client = peer.ip();
    if !trusted(&client) {
        return client;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    for hop in forwarded.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // An entry the proxy did not write: stop at the last trusted hop.
            return client;
        };
        client = ip;
        if !trusted(&ip) {
            return ip;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn settings(proxies: &str) -> ServeArgs {
        let mut args = vec!["peiling".to_owned()];
        if !proxies.is_empty() {
            args.push(format!("--trusted-proxies={proxies}"));
        }
        Cli::parse_from(args).serve
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    const PROXY: &str = "10.0.0.2:40000";

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let ip = address(
            &settings(""),
            PROXY.parse().unwrap(),
            &forwarded(&["203.0.113.7"]),
        );
        assert_eq!(ip, "10.0.0.2".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_trusted_proxy_is_believed_about_the_client_it_forwards_for() {
        let ip = address(
            &settings("10.0.0.2"),
            PROXY.parse().unwrap(),
            &forwarded(&["198.51.100.1, 203.0.113.7"]),
        );
        // The client may have written the first entry itself; the proxy added the last.
        assert_eq!(ip, "203.0.113.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_chain_of_trusted_proxies_is_walked_back() {
        let ip = address(
            &settings("10.0.0.2,10.0.0.3"),
            PROXY.parse().unwrap(),
            &forwarded(&["203.0.113.7", "10.0.0.3"]),
        );
        assert_eq!(ip, "203.0.113.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_garbled_entry_stops_at_the_last_trusted_hop() {
        let ip = address(
            &settings("10.0.0.2"),
            PROXY.parse().unwrap(),
            &forwarded(&["not an address"]),
        );
        assert_eq!(ip, "10.0.0.2".parse::<IpAddr>().unwrap());
    }
}
