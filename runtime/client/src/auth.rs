//! Credentials, and the `Authorization` header made from them.
//!
//! API keys are sent with HTTP Basic authentication, or signed into a JWT
//! (HS256, `kid` header, `scope` claim) sent as a bearer token. A JWT with an
//! expiry is minted again shortly before it expires, before a request would
//! be refused with `401`.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::header::HeaderValue;
use sha2::Sha256;

use crate::{BuildError, InvalidRequest};

/// Credentials sent in the `Authorization` header of every request.
///
/// Neither `Debug` output nor any error message ever shows a secret or a
/// token.
#[derive(Clone)]
#[non_exhaustive]
pub enum Auth {
    /// An API key, sent with HTTP Basic authentication.
    Basic {
        /// The key's id, for example `app_5f2c0a1b` or `act_5f2c0a1b`.
        key_id: String,
        /// The key's secret.
        secret: String,
    },
    /// A JWT signed elsewhere, sent as a bearer token as it is.
    Bearer(String),
    /// An API key from which this crate signs JWTs, sent as bearer tokens.
    Jwt(Jwt),
}

impl Auth {
    /// An API key, sent with HTTP Basic authentication.
    pub fn basic(key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        Auth::Basic {
            key_id: key_id.into(),
            secret: secret.into(),
        }
    }

    /// A JWT signed elsewhere, sent as a bearer token.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer(token.into())
    }

    /// JWTs signed with an API key; see [`Jwt`] for the scope and expiry.
    pub fn jwt(key_id: impl Into<String>, secret: impl Into<String>) -> Jwt {
        Jwt {
            key_id: key_id.into(),
            secret: secret.into(),
            scope: JwtScope::App,
            expires_in: None,
        }
    }
}

impl From<Jwt> for Auth {
    fn from(jwt: Jwt) -> Self {
        Auth::Jwt(jwt)
    }
}

/// How to sign JWTs with an API key: HS256 with the key's secret, the key id
/// as `kid` in the header, a `scope` claim and, if set, an `exp` claim.
///
/// Created by [`Auth::jwt`]; pass it to
/// [`ClientBuilder::auth`](crate::ClientBuilder::auth).
///
/// # Example
///
/// ```no_run
/// use std::time::Duration;
/// use sunshine_conversations::{Auth, Client, JwtScope};
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::builder()
///     .auth(
///         Auth::jwt("act_5f2c0a1b", "my-api-key-secret")
///             .scope(JwtScope::Account)
///             .expires_in(Duration::from_secs(3600)),
///     )
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Jwt {
    key_id: String,
    secret: String,
    scope: JwtScope,
    expires_in: Option<Duration>,
}

impl Jwt {
    /// The `scope` claim; [`JwtScope::App`] unless set.
    pub fn scope(mut self, scope: JwtScope) -> Self {
        self.scope = scope;
        self
    }

    /// Gives each token an `exp` claim this long after it is signed. A new
    /// token is signed before the current one expires. Without this, one
    /// token without expiry is signed when the client is built.
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }
}

/// The `scope` claim of a signed JWT: which API key kind signs it and what
/// it may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum JwtScope {
    /// An app key: the resources of one app.
    #[default]
    App,
    /// An account key: every app of the account.
    Account,
    /// An integration key: what one integration (a switchboard integration,
    /// say) may do.
    Integration,
}

impl JwtScope {
    /// The claim's value.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtScope::App => "app",
            JwtScope::Account => "account",
            JwtScope::Integration => "integration",
        }
    }
}

/// Stands in for a credential in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The key id identifies the key but grants nothing on its own, and
            // seeing it helps when debugging which key is in use.
            Auth::Basic { key_id, .. } => f
                .debug_struct("Basic")
                .field("key_id", key_id)
                .field("secret", &Redacted)
                .finish(),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&Redacted).finish(),
            Auth::Jwt(jwt) => f.debug_tuple("Jwt").field(jwt).finish(),
        }
    }
}

impl fmt::Debug for Jwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("key_id", &self.key_id)
            .field("secret", &Redacted)
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// What a built client sends as `Authorization`.
pub(crate) enum Authorization {
    /// The same value on every request (Basic, a given bearer token, or a
    /// JWT without expiry).
    Fixed(HeaderValue),
    /// JWTs signed again before they expire.
    Expiring(Signer),
}

impl Authorization {
    /// Checks `auth` and prepares its header.
    pub(crate) fn new(auth: &Auth) -> Result<Self, BuildError> {
        match auth {
            Auth::Basic { key_id, secret } => {
                // RFC 7617: the user id ends at the first colon.
                if key_id.contains(':') {
                    return Err(invalid("the key id contains `:`"));
                }
                let credentials = format!("{key_id}:{secret}");
                sensitive(format!(
                    "Basic {}",
                    base64(credentials.as_bytes(), Alphabet::Standard)
                ))
                .map(Authorization::Fixed)
                .map_err(invalid)
            }
            Auth::Bearer(token) => {
                if token.is_empty() {
                    return Err(invalid("the bearer token is empty"));
                }
                sensitive(format!("Bearer {token}"))
                    .map(Authorization::Fixed)
                    .map_err(invalid)
            }
            Auth::Jwt(jwt) => {
                if jwt.key_id.is_empty() || jwt.secret.is_empty() {
                    return Err(invalid("the JWT key id or secret is empty"));
                }
                let signer = Signer {
                    jwt: jwt.clone(),
                    current: Mutex::new(None),
                    clock: SystemTime::now,
                };
                // Signing once now reports unusable settings at build time.
                let token = signer.sign(signer.now()).map_err(invalid)?;
                match jwt.expires_in {
                    None => Ok(Authorization::Fixed(token.value)),
                    Some(_) => {
                        *signer.lock() = Some(token);
                        Ok(Authorization::Expiring(signer))
                    }
                }
            }
        }
    }

    /// The header value for a request about to be sent.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, InvalidRequest> {
        match self {
            Authorization::Fixed(value) => Ok(value.clone()),
            Authorization::Expiring(signer) => signer
                .current()
                .map_err(|reason| InvalidRequest::Credentials { reason }),
        }
    }
}

/// Signs JWTs for one key and keeps the latest until it is about to expire.
pub(crate) struct Signer {
    jwt: Jwt,
    current: Mutex<Option<Token>>,
    /// The wall clock; tests substitute their own.
    clock: fn() -> SystemTime,
}

#[derive(Clone)]
struct Token {
    value: HeaderValue,
    /// `exp`, in seconds since the Unix epoch.
    expires_at: u64,
}

impl Signer {
    fn now(&self) -> u64 {
        (self.clock)()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs())
    }

    /// The current token, or a new one when the current one is within its
    /// renewal margin: a tenth of its lifetime, at most a minute, so that a
    /// request signed now is not refused as expired on arrival.
    fn current(&self) -> Result<HeaderValue, &'static str> {
        let now = self.now();
        let lifetime = self.jwt.expires_in.map_or(0, |d| d.as_secs());
        let margin = (lifetime / 10).min(60);
        let mut current = self.lock();
        if let Some(token) = current.as_ref() {
            if now.saturating_add(margin) < token.expires_at {
                return Ok(token.value.clone());
            }
        }
        let token = self.sign(now)?;
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Token>> {
        // A poisoned lock only means another thread panicked mid-update; the
        // token it holds (or none) is still safe to use or replace.
        self.current
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    /// Signs a token at `now` (seconds since the Unix epoch); the error says
    /// why the settings cannot make one.
    fn sign(&self, now: u64) -> Result<Token, &'static str> {
        let jwt = &self.jwt;
        let header = serde_json::json!({ "alg": "HS256", "typ": "JWT", "kid": jwt.key_id });
        let expires_at = jwt
            .expires_in
            .map(|lifetime| now.saturating_add(lifetime.as_secs()));
        let mut claims = serde_json::json!({ "scope": jwt.scope.as_str() });
        if let (Some(exp), Some(object)) = (expires_at, claims.as_object_mut()) {
            object.insert("exp".to_owned(), exp.into());
        }
        let signing_input = format!(
            "{}.{}",
            base64(header.to_string().as_bytes(), Alphabet::UrlSafe),
            base64(claims.to_string().as_bytes(), Alphabet::UrlSafe)
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(jwt.secret.as_bytes())
            .map_err(|_| "the JWT secret cannot be used as an HMAC key")?;
        mac.update(signing_input.as_bytes());
        let signature = base64(&mac.finalize().into_bytes(), Alphabet::UrlSafe);
        Ok(Token {
            value: sensitive(format!("Bearer {signing_input}.{signature}")).map_err(|_| {
                "the JWT key id makes a token that cannot be sent in an HTTP header"
            })?,
            expires_at: expires_at.unwrap_or(u64::MAX),
        })
    }
}

fn invalid(reason: &'static str) -> BuildError {
    BuildError::InvalidCredentials { reason }
}

/// A header value marked sensitive, so that `http` and `reqwest` keep it out
/// of their `Debug` output.
fn sensitive(value: String) -> Result<HeaderValue, &'static str> {
    let mut value = HeaderValue::try_from(value).map_err(|_| {
        "the credentials contain characters not allowed in an HTTP header, such as a line break"
    })?;
    value.set_sensitive(true);
    Ok(value)
}

#[derive(Clone, Copy)]
enum Alphabet {
    /// RFC 4648 §4, padded: HTTP Basic authentication.
    Standard,
    /// RFC 4648 §5, unpadded: JWTs.
    UrlSafe,
}

/// Base64 in one of the two alphabets HTTP authentication needs. Written here
/// (a few lines) rather than adding a dependency for it.
fn base64(input: &[u8], alphabet: Alphabet) -> String {
    let (symbols, pad): (&[u8; 64], bool) = match alphabet {
        Alphabet::Standard => (
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
            true,
        ),
        Alphabet::UrlSafe => (
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            false,
        ),
    };
    let mut output = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let mut bytes = [0u8; 3];
        bytes[..chunk.len()].copy_from_slice(chunk);
        let group = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
        // A chunk of n bytes yields n + 1 significant characters.
        for index in 0..4 {
            if index <= chunk.len() {
                let sextet = (group >> (18 - 6 * index)) & 0b11_1111;
                output.push(char::from(symbols[sextet as usize]));
            } else if pad {
                output.push('=');
            }
        }
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_test_vectors() {
        let vectors = [
            ("", "", ""),
            ("f", "Zg==", "Zg"),
            ("fo", "Zm8=", "Zm8"),
            ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg==", "Zm9vYg"),
            ("fooba", "Zm9vYmE=", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ];
        for (input, standard, url_safe) in vectors {
            assert_eq!(
                base64(input.as_bytes(), Alphabet::Standard),
                standard,
                "input {input:?}"
            );
            assert_eq!(
                base64(input.as_bytes(), Alphabet::UrlSafe),
                url_safe,
                "input {input:?}"
            );
        }
        assert_eq!(base64(&[0xfb, 0xff, 0xbf], Alphabet::Standard), "+/+/");
        assert_eq!(base64(&[0xfb, 0xff, 0xbf], Alphabet::UrlSafe), "-_-_");
    }

    /// A clock the test moves by hand.
    static FAKE_NOW: std::sync::atomic::AtomicU64 =
        std::sync::atomic::AtomicU64::new(1_700_000_000);

    fn fake_clock() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(FAKE_NOW.load(std::sync::atomic::Ordering::SeqCst))
    }

    fn claims(value: &HeaderValue) -> serde_json::Value {
        let token = value
            .to_str()
            .unwrap_or_default()
            .trim_start_matches("Bearer ");
        let payload = token.split('.').nth(1).unwrap_or_default();
        // Decode url-safe base64 by inverting the encoder on every symbol.
        let symbols = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut bits = 0u32;
        let mut count = 0;
        let mut bytes = Vec::new();
        for c in payload.bytes() {
            let index = symbols.iter().position(|s| *s == c).unwrap_or(0) as u32;
            bits = bits << 6 | index;
            count += 6;
            if count >= 8 {
                count -= 8;
                bytes.push((bits >> count) as u8);
            }
        }
        serde_json::from_slice(&bytes).unwrap_or_default()
    }

    #[test]
    fn an_expiring_jwt_is_signed_again_before_it_expires() {
        use std::sync::atomic::Ordering::SeqCst;
        let jwt = Auth::jwt("app_1", "secret").expires_in(Duration::from_secs(600));
        let signer = Signer {
            jwt,
            current: Mutex::new(None),
            clock: fake_clock,
        };
        let start = FAKE_NOW.load(SeqCst);

        let first = signer.current().ok();
        let first = first.as_ref().map(claims).unwrap_or_default();
        assert_eq!(first["exp"], start + 600);
        assert_eq!(first["scope"], "app");

        // Well inside its lifetime the same token is reused.
        FAKE_NOW.store(start + 500, SeqCst);
        let again = signer
            .current()
            .ok()
            .as_ref()
            .map(claims)
            .unwrap_or_default();
        assert_eq!(again["exp"], start + 600);

        // Within the margin (a tenth of 600 s) a new one is signed.
        FAKE_NOW.store(start + 541, SeqCst);
        let renewed = signer
            .current()
            .ok()
            .as_ref()
            .map(claims)
            .unwrap_or_default();
        assert_eq!(renewed["exp"], start + 541 + 600);
    }
}
