//! The Ed25519 key transcripts are signed with, and compact JWS (EdDSA) over it.
//!
//! The key comes from `SIGNING_KEY` (base64url of a 32-byte seed, for production secrets
//! managers) or from `SIGNING_KEY_FILE` (default `credit-bank-signing.key`), which is created
//! on first start with permissions 0600. Tests and `Settings::development` use a key that lives
//! only in memory.

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
}

impl Signer {
    pub fn load(source: &KeySource) -> anyhow::Result<Self> {
        let seed = match source {
            KeySource::Ephemeral => random_seed(),
            KeySource::Seed(text) => {
                decode_seed(text).context("SIGNING_KEY is not base64url of 32 bytes")?
            }
            KeySource::File(path) => load_or_create(path)?,
        };
        let key = SigningKey::from_bytes(&seed);
        let public = key.verifying_key().to_bytes();
        let kid = URL_SAFE_NO_PAD.encode(&public[..9]);
        Ok(Self { key, kid })
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
        if header["alg"] != "EdDSA" || header["kid"] != self.kid.as_str() {
            return Err("not signed with this credit bank's key");
        }
        let sig: [u8; 64] = URL_SAFE_NO_PAD
            .decode(s)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("the signature is malformed")?;
        self.verifying_key()
            .verify(format!("{h}.{p}").as_bytes(), &Signature::from_bytes(&sig))
            .map_err(|_| "the signature does not match: the transcript was altered")?;
        URL_SAFE_NO_PAD
            .decode(p)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or("the payload is not base64url JSON")
    }

    fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The public key as a JSON Web Key Set (RFC 8037 OKP key).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({"keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": URL_SAFE_NO_PAD.encode(self.verifying_key().to_bytes()),
            "kid": self.kid,
            "alg": "EdDSA",
            "use": "sig",
        }]})
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
}
