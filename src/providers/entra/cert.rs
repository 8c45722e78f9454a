//! Client credentials with a certificate (`AZURE_CLIENT_CERTIFICATE_PATH`):
//! the certificate and its private key are read from a PEM file or a
//! PKCS#12 (`.pfx`) file, as the Azure SDKs accept them, and sign a client
//! assertion as Microsoft's "certificate credentials" reference shows it:
//! header `alg: RS256`, `typ: JWT`, `x5t` (the certificate's SHA-1
//! thumbprint, base64url) and `x5t#S256` (its SHA-256 thumbprint); claims
//! `aud` (the token endpoint), `iss` and `sub` (the client id), `jti`,
//! `nbf`, `iat` and a short `exp`. With `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`
//! the header also carries `x5c` (subject name / issuer authentication).
//!
//! Crates do the work: `pem` reads PEM blocks, `p12-keystore` decrypts a
//! PKCS#12 file (pure Rust, no openssl), `jsonwebtoken` (on aws-lc-rs) signs.
//! The key never leaves this module: [`Signer`]'s `Debug` prints no key, and
//! no error quotes the file's content.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use sha2::Digest;

use crate::providers::http::Secret;

/// How long an assertion is valid; Microsoft asks for 5 to 10 minutes.
const LIFETIME_SECS: i64 = 10 * 60;

/// A certificate and its private key, ready to sign assertions.
pub struct Signer {
    key: EncodingKey,
    /// SHA-1 thumbprint of the leaf certificate's DER, base64url.
    pub x5t: String,
    /// SHA-256 thumbprint of the leaf certificate's DER, base64url.
    pub x5t_s256: String,
    /// The certificates (leaf first), base64 DER, for `x5c`.
    chain: Vec<String>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("x5t", &self.x5t)
            .field("key", &"<redacted>")
            .finish()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    aud: &'a str,
    iss: &'a str,
    sub: &'a str,
    jti: String,
    nbf: i64,
    iat: i64,
    exp: i64,
}

impl Signer {
    /// Reads `path`: PEM (a `CERTIFICATE` block and a `PRIVATE KEY` or
    /// `RSA PRIVATE KEY` block) or PKCS#12 (with `password`, else none).
    /// Errors name the file and what is wrong, never its content.
    pub fn load(path: &Path, password: Option<&Secret>) -> Result<Signer, String> {
        let shown = path.display();
        let bytes = std::fs::read(path)
            .map_err(|e| format!("AZURE_CLIENT_CERTIFICATE_PATH {shown}: {e}"))?;
        let what = if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
            from_pem(&bytes)
        } else {
            from_pkcs12(&bytes, password.map(Secret::expose).unwrap_or(""))
        };
        what.map_err(|e| format!("AZURE_CLIENT_CERTIFICATE_PATH {shown}: {e}"))
    }

    /// A signed client assertion for `client_id` at the token endpoint
    /// `audience`, valid from `now` (epoch seconds) for ten minutes.
    pub fn assertion(
        &self,
        client_id: &str,
        audience: &str,
        now: i64,
        send_chain: bool,
    ) -> Result<Secret, String> {
        let mut header = Header::new(Algorithm::RS256);
        header.typ = Some("JWT".into());
        header.x5t = Some(self.x5t.clone());
        header.x5t_s256 = Some(self.x5t_s256.clone());
        if send_chain {
            header.x5c = Some(self.chain.clone());
        }
        let claims = Claims {
            aud: audience,
            iss: client_id,
            sub: client_id,
            jti: jti(now, &self.x5t),
            nbf: now,
            iat: now,
            exp: now + LIFETIME_SECS,
        };
        jsonwebtoken::encode(&header, &claims, &self.key)
            .map(Secret::new)
            .map_err(|e| format!("cannot sign the client assertion: {e}"))
    }

    fn new(key: EncodingKey, certs: &[Vec<u8>]) -> Result<Signer, String> {
        let leaf = certs.first().ok_or("no certificate in the file")?;
        Ok(Signer {
            key,
            x5t: URL_SAFE_NO_PAD.encode(<sha1::Sha1 as sha1::Digest>::digest(leaf)),
            x5t_s256: URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(leaf)),
            chain: certs.iter().map(|c| STANDARD.encode(c)).collect(),
        })
    }
}

/// A unique assertion id: a hash of the time, the process, a counter and
/// the certificate (uniqueness is all `jti` asks for).
fn jti(now: i64, x5t: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let seed = format!("{now}:{nanos}:{}:{n}:{x5t}", std::process::id());
    let h = sha2::Sha256::digest(seed.as_bytes());
    let hex: String = h[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn rsa_key(pkcs: &pem::Pem) -> Result<EncodingKey, String> {
    EncodingKey::from_rsa_pem(pem::encode(pkcs).as_bytes())
        .map_err(|_| "the private key is not an RSA key nhiscan can read".to_string())
}

fn from_pem(bytes: &[u8]) -> Result<Signer, String> {
    let blocks = pem::parse_many(bytes).map_err(|e| format!("not a readable PEM file ({e})"))?;
    let certs: Vec<Vec<u8>> = blocks
        .iter()
        .filter(|b| b.tag() == "CERTIFICATE")
        .map(|b| b.contents().to_vec())
        .collect();
    if blocks.iter().any(|b| b.tag() == "ENCRYPTED PRIVATE KEY") {
        return Err("an encrypted PEM private key is not supported; use an unencrypted PEM \
                    file or a PKCS#12 file with AZURE_CLIENT_CERTIFICATE_PASSWORD"
            .into());
    }
    let key = blocks
        .iter()
        .find(|b| matches!(b.tag(), "PRIVATE KEY" | "RSA PRIVATE KEY"))
        .ok_or("no PRIVATE KEY block in the PEM file (it needs the certificate and its key)")?;
    if certs.is_empty() {
        return Err("no CERTIFICATE block in the PEM file (it needs the certificate and its key)".into());
    }
    Signer::new(rsa_key(key)?, &certs)
}

fn from_pkcs12(bytes: &[u8], password: &str) -> Result<Signer, String> {
    use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};
    let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).map_err(|e| {
        format!(
            "not a PEM file, and not a PKCS#12 file this password opens ({e}); \
             set AZURE_CLIENT_CERTIFICATE_PASSWORD for a protected .pfx"
        )
    })?;
    let chain = store
        .entries()
        .find_map(|(_, e)| match e {
            KeyStoreEntry::PrivateKeyChain(c) if !c.certs().is_empty() => Some(c),
            _ => None,
        })
        .ok_or("the PKCS#12 file holds no private key with its certificate")?;
    let key = pem::Pem::new("PRIVATE KEY", chain.key().as_der().to_vec());
    let certs: Vec<Vec<u8>> = chain.certs().iter().map(|c| c.as_der().to_vec()).collect();
    Signer::new(rsa_key(&key)?, &certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/entra/cert")
            .join(name)
    }

    #[test]
    fn pem_and_pkcs12_give_the_same_thumbprints() {
        let pem = Signer::load(&fixture("nhiscan-test.pem"), None).unwrap();
        let pfx = Signer::load(
            &fixture("nhiscan-test.pfx"),
            Some(&Secret::new("CANARY-pfx-password-42")),
        )
        .unwrap();
        assert_eq!(pem.x5t, pfx.x5t);
        assert_eq!(pem.x5t_s256, pfx.x5t_s256);
        let expected = std::fs::read_to_string(fixture("x5t.txt")).unwrap();
        assert_eq!(pem.x5t, expected.trim(), "the SHA-1 thumbprint openssl printed");
        let debug = format!("{pem:?}");
        assert!(!debug.contains("PRIVATE") && debug.contains("<redacted>"), "{debug}");
    }

    #[test]
    fn a_wrong_password_or_a_key_alone_is_a_clear_error() {
        let e = Signer::load(&fixture("nhiscan-test.pfx"), Some(&Secret::new("wrong"))).unwrap_err();
        assert!(e.contains("nhiscan-test.pfx") && e.contains("PASSWORD"), "{e}");
        let e = Signer::load(&fixture("key-only.pem"), None).unwrap_err();
        assert!(e.contains("no CERTIFICATE"), "{e}");
        assert!(!e.contains("MII"), "no key material in errors: {e}");
        let e = Signer::load(&fixture("missing.pem"), None).unwrap_err();
        assert!(e.contains("missing.pem"), "{e}");
    }

    #[test]
    fn the_assertion_is_signed_with_the_thumbprints_and_the_claims() {
        let signer = Signer::load(&fixture("nhiscan-test.pem"), None).unwrap();
        let aud = "http://127.0.0.1:1/tenant/oauth2/v2.0/token";
        let jwt = signer.assertion("client-1", aud, 1_800_000_000, true).unwrap();
        let header = jsonwebtoken::decode_header(jwt.expose()).unwrap();
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.x5t.as_deref(), Some(signer.x5t.as_str()));
        assert_eq!(header.x5t_s256.as_deref(), Some(signer.x5t_s256.as_str()));
        assert_eq!(header.x5c.as_ref().map(Vec::len), Some(1));
        let public = std::fs::read(fixture("nhiscan-test.pub.pem")).unwrap();
        let key = jsonwebtoken::DecodingKey::from_rsa_pem(&public).unwrap();
        let mut v = jsonwebtoken::Validation::new(Algorithm::RS256);
        v.set_audience(&[aud]);
        v.validate_exp = false;
        v.validate_nbf = false;
        let data = jsonwebtoken::decode::<serde_json::Value>(jwt.expose(), &key, &v).unwrap();
        let c = data.claims;
        assert_eq!((c["iss"].as_str(), c["sub"].as_str()), (Some("client-1"), Some("client-1")));
        assert_eq!(c["exp"].as_i64(), Some(1_800_000_000 + LIFETIME_SECS));
        let other = signer.assertion("client-1", aud, 1_800_000_000, false).unwrap();
        let h2 = jsonwebtoken::decode_header(other.expose()).unwrap();
        assert!(h2.x5c.is_none());
        let c2 = jsonwebtoken::decode::<serde_json::Value>(other.expose(), &key, &v).unwrap();
        assert_ne!(c2.claims["jti"], c["jti"], "each assertion has its own jti");
    }
}
