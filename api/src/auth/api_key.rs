//! The text of an API key: `cbk_<prefix>_<secret>`, where `prefix` is 8 hex digits people
//! recognise their keys by (`Viewer.apiKeys { prefix }`) and `secret` 256 random bits in
//! base64url. Only the SHA-256 of the whole text is stored.
//!
//! A fast hash is the right one here, unlike for passwords: a password is guessable, so its
//! hash must be slow (argon2, [`super::password`]) to make guessing expensive; a key carries
//! 256 bits from the operating system's generator, which no amount of hashing speed lets anyone
//! search. SHA-256 keeps the per-request lookup to one indexed equality, and the database only
//! ever holds values that are useless without the key itself.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// What every key starts with, so that a bearer is told apart from a session token (a JWT
/// starts with `eyJ`) without a lookup, and secret scanners can recognise a leaked one.
pub const KEY_START: &str = "cbk_";

/// A newly made key: `text` is shown once, `hash` is stored.
pub struct NewKey {
    pub text: String,
    /// `cbk_` and the visible hex digits.
    pub prefix: String,
    pub hash: String,
}

pub fn generate() -> NewKey {
    let mut visible = [0u8; 4];
    let mut secret = [0u8; 32];
    OsRng.fill_bytes(&mut visible);
    OsRng.fill_bytes(&mut secret);
    let prefix = format!("{KEY_START}{}", hex(&visible));
    let text = format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(secret));
    NewKey {
        hash: hash(&text),
        text,
        prefix,
    }
}

/// Whether a bearer is meant as an API key (it may still be a wrong one).
pub fn is_key(bearer: &str) -> bool {
    bearer.starts_with(KEY_START)
}

/// Lower-case hex SHA-256 of the key text: what the `api_keys.hash` column holds.
pub fn hash(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_has_its_prefix_256_bits_and_a_hash_of_itself() {
        let key = generate();
        assert!(key.text.starts_with(&format!("{}_", key.prefix)));
        assert_eq!(key.prefix.len(), KEY_START.len() + 8);
        let secret = &key.text[key.prefix.len() + 1..];
        assert_eq!(URL_SAFE_NO_PAD.decode(secret).map(|s| s.len()), Ok(32));
        assert_eq!(key.hash, hash(&key.text));
        assert_eq!(key.hash.len(), 64);
        assert!(is_key(&key.text));
        assert!(!is_key("eyJhbGciOiJIUzI1NiJ9.e30.x"));
        assert_ne!(generate().text, key.text);
    }
}
