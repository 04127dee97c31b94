//! JWTs signed by the generated client from an API key, decoded and verified
//! here independently (base64 from the `base64` crate, HMAC-SHA256 checked
//! with `hmac`), as the API would.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use sunshine_conversations::types::PassControlBody;
use sunshine_conversations::{Auth, BuildError, Client, JwtScope};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY_ID: &str = "app_5f2c0a1b";
const SECRET: &str = "Zk3-very-secret-key-secret";

/// The header and claims of `token`, after checking its signature with
/// `secret`.
fn verify(token: &str, secret: &str) -> (Value, Value) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "{token}");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let signature = URL_SAFE_NO_PAD
        .decode(parts[2])
        .expect("signature is base64url");
    mac.verify_slice(&signature)
        .expect("signature verifies with the key secret");
    let decode = |part: &str| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).expect("base64url")).expect("JSON")
    };
    (decode(parts[0]), decode(parts[1]))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The bearer tokens the server received.
async fn tokens_sent(auth: impl Into<Auth>, calls: usize) -> Vec<String> {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .auth(auth)
        .build()
        .unwrap();
    let body = PassControlBody::new("next");
    for _ in 0..calls {
        client
            .switchboard_actions()
            .pass_control("app", "conv", &body)
            .await
            .unwrap();
    }
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|request| {
            let header = request
                .headers
                .get("authorization")
                .expect("Authorization sent");
            let value = header.to_str().unwrap();
            value
                .strip_prefix("Bearer ")
                .expect("a bearer token")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_jwt_has_the_key_id_the_app_scope_and_a_valid_signature() {
    let tokens = tokens_sent(Auth::jwt(KEY_ID, SECRET), 2).await;

    let (header, claims) = verify(&tokens[0], SECRET);
    assert_eq!(
        header,
        json!({ "alg": "HS256", "typ": "JWT", "kid": KEY_ID })
    );
    assert_eq!(claims, json!({ "scope": "app" }));
    // Without an expiry, one token serves every request.
    assert_eq!(tokens[0], tokens[1]);
}

#[tokio::test]
async fn a_wrong_secret_does_not_verify() {
    let tokens = tokens_sent(Auth::jwt(KEY_ID, SECRET), 1).await;
    let parts: Vec<&str> = tokens[0].split('.').collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(b"another secret").unwrap();
    mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    assert!(mac.verify_slice(&signature).is_err());
}

#[tokio::test]
async fn scopes_and_expiry_are_claims() {
    for (scope, name) in [
        (JwtScope::App, "app"),
        (JwtScope::Account, "account"),
        (JwtScope::Integration, "integration"),
    ] {
        let before = unix_now();
        let tokens = tokens_sent(
            Auth::jwt(KEY_ID, SECRET)
                .scope(scope)
                .expires_in(Duration::from_secs(3600)),
            1,
        )
        .await;
        let after = unix_now();

        let (header, claims) = verify(&tokens[0], SECRET);
        assert_eq!(header["kid"], KEY_ID);
        assert_eq!(claims["scope"], name);
        let exp = claims["exp"].as_u64().expect("exp is a number");
        assert!((before + 3600..=after + 3600).contains(&exp), "{exp}");
    }
}

#[tokio::test]
async fn a_token_near_its_expiry_is_replaced_before_sending() {
    // With a lifetime of one second the renewal margin is zero seconds, so a
    // token is reused within its second and replaced after it.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .auth(Auth::jwt(KEY_ID, SECRET).expires_in(Duration::from_secs(1)))
        .build()
        .unwrap();
    let body = PassControlBody::new("next");
    client
        .switchboard_actions()
        .pass_control("app", "conv", &body)
        .await
        .unwrap();
    // JWT expiry has one-second resolution: wait until the first token's
    // `exp` has passed (this test is about the wall clock by nature).
    tokio::time::sleep(Duration::from_millis(2100)).await;
    client
        .switchboard_actions()
        .pass_control("app", "conv", &body)
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let exp = |index: usize| {
        let value = requests[index]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap();
        let (_, claims) = verify(value.trim_start_matches("Bearer "), SECRET);
        claims["exp"].as_u64().unwrap()
    };
    let (first, second) = (exp(0), exp(1));
    assert!(
        second > first,
        "the second request carried a new token: {first} then {second}"
    );
    assert!(
        second > unix_now().saturating_sub(1),
        "the new token had not expired when sent"
    );
}

#[test]
fn empty_key_ids_or_secrets_are_refused_by_build() {
    for (key_id, secret) in [("", SECRET), (KEY_ID, "")] {
        let error = Client::builder()
            .base_url("http://localhost")
            .auth(Auth::jwt(key_id, secret))
            .build()
            .unwrap_err();
        assert!(
            matches!(error, BuildError::InvalidCredentials { .. }),
            "{error:?}"
        );
        assert!(!error.to_string().contains(SECRET), "{error}");
    }
}
