//! The address a request comes from, for login limiting. The connection's peer, unless that
//! peer is one of our own proxies (`TRUSTED_PROXIES`): then the address the proxy saw, taken
//! from `X-Forwarded-For` right to left, skipping our proxies. Anyone can write that header, so
//! it is believed only from a trusted peer, and only its entries our proxies appended.

use ipnet::IpNet;
use std::net::IpAddr;

/// Where the request came from; `None` when not known (a request built in-process).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    pub fn resolve(peer: Option<IpAddr>, forwarded_for: Option<&str>, trusted: &[IpNet]) -> Self {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        let Some(peer) = peer else {
            return ClientAddress(None);
        };
        if !is_trusted(&peer) {
            return ClientAddress(Some(peer));
        }
        let mut client = peer;
        for hop in forwarded_for.unwrap_or_default().rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !is_trusted(&ip) {
                        break;
                    }
                }
                // A malformed entry ends what can be believed; the last good hop stands.
                Err(_) => break,
            }
        }
        ClientAddress(Some(client))
    }

    /// The address as a cache key part (`unknown` when there is none).
    pub fn key(&self) -> String {
        self.0.map_or_else(|| "unknown".into(), |ip| ip.to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn the_header_counts_only_from_a_trusted_proxy() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let from_nginx =
            ClientAddress::resolve(ip("10.0.0.5"), Some("203.0.113.9, 198.51.100.7"), &proxies);
        assert_eq!(from_nginx.0, ip("198.51.100.7"));
        // A client forging the header directly gets its own address.
        let forged = ClientAddress::resolve(ip("198.51.100.7"), Some("1.2.3.4"), &proxies);
        assert_eq!(forged.0, ip("198.51.100.7"));
        // Our own proxies in the chain are skipped; garbage stops the walk.
        let chain =
            ClientAddress::resolve(ip("10.0.0.5"), Some("x, 203.0.113.9, 10.1.1.1"), &proxies);
        assert_eq!(chain.0, ip("203.0.113.9"));
        assert_eq!(
            ClientAddress::resolve(ip("10.0.0.5"), None, &proxies).0,
            ip("10.0.0.5")
        );
        assert_eq!(
            ClientAddress::resolve(None, Some("1.2.3.4"), &proxies).key(),
            "unknown"
        );
    }
}
