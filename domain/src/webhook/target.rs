//! Where a webhook may be sent. A webhook URL is chosen by whoever signs in, so in production
//! it must never reach into the network the server runs in (SSRF): only `https://`, and only
//! public unicast addresses — checked on the URL at creation and on every address a name
//! resolves to when a delivery is sent (a name may resolve elsewhere by then: DNS rebinding).
//! In development (tests, a laptop) a receiver on `http://127.0.0.1` is what one runs.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Which targets the server's environment allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// `https://` to public addresses only.
    PublicOnly,
    /// Also `http://`, and any address (a local receiver).
    Anywhere,
}

/// Why a target is refused; each is a stable `extensions.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("must use https")]
    Scheme,
    #[error("must not carry a user name or password")]
    Credentials,
    #[error("must name a public host, not a loopback, private, link-local or reserved address")]
    Address,
}

impl TargetError {
    pub fn code(self) -> &'static str {
        match self {
            TargetError::Scheme => "INSECURE_SCHEME",
            TargetError::Credentials => "CREDENTIALS_IN_URL",
            TargetError::Address => "PRIVATE_ADDRESS",
        }
    }
}

/// `https` always; `http` only where any target is allowed.
pub fn check_scheme(scheme: &str, targets: Targets) -> Result<(), TargetError> {
    match (scheme, targets) {
        ("https", _) | ("http", Targets::Anywhere) => Ok(()),
        _ => Err(TargetError::Scheme),
    }
}

/// A URL's host as written: an address literal is judged here; a name only when it is one that
/// always means this machine (RFC 6761 `localhost`); other names are judged by what they
/// resolve to.
pub fn check_host(host: &str, targets: Targets) -> Result<(), TargetError> {
    if targets == Targets::Anywhere {
        return Ok(());
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return address_allowed(ip, targets);
    }
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return Err(TargetError::Address);
    }
    Ok(())
}

/// Whether a delivery may connect to `ip`.
pub fn address_allowed(ip: IpAddr, targets: Targets) -> Result<(), TargetError> {
    match targets {
        Targets::Anywhere => Ok(()),
        Targets::PublicOnly if is_public(ip) => Ok(()),
        Targets::PublicOnly => Err(TargetError::Address),
    }
}

/// A public unicast address: not unspecified, loopback, private (RFC 1918), shared (CGNAT),
/// link-local, unique-local, multicast, broadcast, documentation, benchmarking or reserved.
/// IPv6 must be global unicast (2000::/3); an IPv4 address carried inside IPv6 (mapped, 6to4)
/// is judged as that IPv4 address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let refused = a == 0                               // "this network", 0.0.0.0
        || a == 10                                     // private
        || a == 127                                    // loopback
        || (a == 100 && (64..128).contains(&b))        // shared address space (CGNAT)
        || (a == 169 && b == 254)                      // link-local (cloud metadata)
        || (a == 172 && (16..32).contains(&b))         // private
        || (a == 192 && b == 0 && c == 0)              // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)              // documentation
        || (a == 192 && b == 168)                      // private
        || (a == 198 && (b == 18 || b == 19))          // benchmarking
        || (a == 198 && b == 51 && c == 100)           // documentation
        || (a == 203 && b == 0 && c == 113)            // documentation
        || a >= 224; // multicast, reserved, broadcast
    !refused
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    if s[0] == 0x2002 {
        // 6to4: the IPv4 address is the next 32 bits.
        let [a, b] = s[1].to_be_bytes();
        let [c, d] = s[2].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    let global_unicast = s[0] & 0xe000 == 0x2000;
    let protocol_assignments = s[0] == 0x2001 && s[1] < 0x0200; // 2001::/23 (Teredo, ORCHID…)
    let documentation = s[0] == 0x2001 && s[1] == 0x0db8;
    global_unicast && !protocol_assignments && !documentation
}
