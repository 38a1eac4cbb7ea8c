//! The Ed25519 key transcripts are signed with, and compact JWS (EdDSA) over it.
//!
//! The key comes from `SIGNING_KEY` (base64url of a 32-byte seed, for production secrets
//! managers) or from `SIGNING_KEY_FILE` (default `credit-bank-signing.key`), which is created
//! on first start with permissions 0600. Tests and `Settings::development` use a key that lives
//! only in memory.
//!
//! Rotation: the public keys of earlier signing keys (their JWKS `x`) go in
//! `SIGNING_KEYS_RETIRED`; they sign nothing but still verify what they signed, and the JWKS
//! lists them, so a transcript outlives the key change.

use anyhow::Context;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier, VerifyingKey};
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    /// Generated at start, gone at exit (development and tests).
    Ephemeral,
    /// base64url of the 32-byte seed.
    Seed(String),
    /// Read from the file, created (0600) with a new key if missing.
    File(std::path::PathBuf),
}

pub struct Signer {
    key: SigningKey,
    kid: String,
    /// Earlier keys, verify-only, with their key ids.
    retired: Vec<(String, VerifyingKey)>,
}

fn kid_of(public: &VerifyingKey) -> String {
    URL_SAFE_NO_PAD.encode(&public.to_bytes()[..9])
}

impl Signer {
    /// The signing key from `source`, trusting also the `retired` public keys (base64url of
    /// 32 bytes each, as the JWKS `x` shows them).
    pub fn load_with_retired(source: &KeySource, retired: &[String]) -> anyhow::Result<Self> {
        let mut signer = Self::load(source)?;
        for (i, text) in retired.iter().enumerate() {
            let bytes: [u8; 32] = URL_SAFE_NO_PAD
                .decode(text.trim())
                .ok()
                .and_then(|b| b.try_into().ok())
                .with_context(|| {
                    format!(
                        "SIGNING_KEYS_RETIRED item {} is not base64url of 32 bytes",
                        i + 1
                    )
                })?;
            let key = VerifyingKey::from_bytes(&bytes).with_context(|| {
                format!(
                    "SIGNING_KEYS_RETIRED item {} is not an Ed25519 public key",
                    i + 1
                )
            })?;
            if kid_of(&key) != signer.kid {
                signer.retired.push((kid_of(&key), key));
            }
        }
        Ok(signer)
    }

    pub fn load(source: &KeySource) -> anyhow::Result<Self> {
        let seed = match source {
            KeySource::Ephemeral => random_seed(),
            KeySource::Seed(text) => {
                decode_seed(text).context("SIGNING_KEY is not base64url of 32 bytes")?
            }
            KeySource::File(path) => load_or_create(path)?,
        };
        let key = SigningKey::from_bytes(&seed);
        let kid = kid_of(&key.verifying_key());
        Ok(Self {
            key,
            kid,
            retired: Vec::new(),
        })
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// A compact JWS of `payload`, `{"alg":"EdDSA","typ":"JWT","kid":…}`.
    pub fn sign(&self, payload: &serde_json::Value) -> String {
        let header = serde_json::json!({"alg": "EdDSA", "typ": "JWT", "kid": self.kid});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(payload.to_string())
        );
        let signature = self.key.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// The payload of a token this key signed, or why not.
    pub fn verify(&self, token: &str) -> Result<serde_json::Value, &'static str> {
        let mut parts = token.trim().split('.');
        let (Some(h), Some(p), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err("not a compact JWS (three base64url parts)");
        };
        let header: serde_json::Value = URL_SAFE_NO_PAD
            .decode(h)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("the header is not base64url JSON")?;
        let key = match header["kid"].as_str() {
            Some(kid) if header["alg"] == "EdDSA" => self.key_for(kid),
            _ => None,
        }
        .ok_or("not signed with this credit bank's key")?;
        let sig: [u8; 64] = URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the signature is malformed")?;
        key.verify(format!("{h}.{p}").as_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| "the signature does not match: the transcript was altered")?;
        URL_SAFE_NO_PAD
            .decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("the payload is not base64url JSON")
    }

    /// The current key or a retired one, by key id.
    fn key_for(&self, kid: &str) -> Option<VerifyingKey> {
        if kid == self.kid {
            return Some(self.key.verifying_key());
        }
        self.retired
            .iter()
            .find(|(k, _)| k == kid)
            .map(|(_, key)| *key)
    }

    /// The public keys, current first, as a JSON Web Key Set (RFC 8037 OKP keys).
    pub fn jwks(&self) -> serde_json::Value {
        let current = (self.kid.clone(), self.key.verifying_key());
        let keys: Vec<serde_json::Value> = std::iter::once(current)
            .chain(self.retired.iter().cloned())
            .map(|(kid, key)| {
                serde_json::json!({
                    "kty": "OKP",
                    "crv": "Ed25519",
                    "x": URL_SAFE_NO_PAD.encode(key.to_bytes()),
                    "kid": kid,
                    "alg": "EdDSA",
                    "use": "sig",
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }
}

fn random_seed() -> [u8; 32] {
    use rand::RngCore;
    let mut seed = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut seed);
    seed
}

fn decode_seed(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = URL_SAFE_NO_PAD.decode(text.trim().trim_end_matches('='))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("the seed must be 32 bytes"))
}

fn load_or_create(path: &Path) -> anyhow::Result<[u8; 32]> {
    match std::fs::read_to_string(path) {
        Ok(text) => decode_seed(&text)
            .with_context(|| format!("{} does not hold a signing key", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let seed = random_seed();
            write_private(path, &URL_SAFE_NO_PAD.encode(seed)).with_context(|| {
                format!("could not create the signing key file {}", path.display())
            })?;
            tracing::info!(signing_key.file = %path.display(), "created a new transcript signing key");
            Ok(seed)
        }
        Err(e) => Err(e).with_context(|| format!("could not read {}", path.display())),
    }
}

/// Creates the file readable and writable by its owner only, never replacing an existing one.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_created_private_and_reused() {
        let path = std::env::temp_dir().join(format!("cb-key-{}", uuid::Uuid::new_v4()));
        let first = Signer::load(&KeySource::File(path.clone())).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let second = Signer::load(&KeySource::File(path.clone())).unwrap();
        assert_eq!(first.jwks(), second.jwks());
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_signed_token_verifies_and_any_changed_character_fails() {
        let signer = Signer::load(&KeySource::Ephemeral).unwrap();
        let token = signer.sign(&serde_json::json!({"sub": "teacher", "credits": "24"}));
        assert_eq!(signer.verify(&token).unwrap()["credits"], "24");
        let payload_at = token.find('.').unwrap() + 5;
        let mut tampered = token.clone().into_bytes();
        tampered[payload_at] = if tampered[payload_at] == b'A' {
            b'B'
        } else {
            b'A'
        };
        assert!(signer
            .verify(std::str::from_utf8(&tampered).unwrap())
            .is_err());
        let other = Signer::load(&KeySource::Ephemeral).unwrap();
        assert!(other.verify(&token).is_err());
    }

    #[test]
    fn a_retired_key_still_verifies_what_it_signed_and_is_published() {
        let old = Signer::load(&KeySource::Ephemeral).unwrap();
        let token = old.sign(&serde_json::json!({"credits": "72"}));
        let old_x = old.jwks()["keys"][0]["x"].as_str().unwrap().to_owned();
        let new =
            Signer::load_with_retired(&KeySource::Ephemeral, std::slice::from_ref(&old_x)).unwrap();
        assert_eq!(new.verify(&token).unwrap()["credits"], "72");
        let jwks = new.jwks();
        let xs: Vec<&str> = jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["x"].as_str().unwrap())
            .collect();
        assert_eq!(xs.len(), 2);
        assert_eq!(xs[1], old_x);
        // New transcripts carry the new key's id; without the retired key the old one fails.
        assert_eq!(
            new.verify(&new.sign(&serde_json::json!({}))).unwrap(),
            serde_json::json!({})
        );
        let forgetful = Signer::load(&KeySource::Ephemeral).unwrap();
        assert!(forgetful.verify(&token).is_err());
        let bad = Signer::load_with_retired(&KeySource::Ephemeral, &["short".into()]);
        assert!(bad.is_err());
    }
}
