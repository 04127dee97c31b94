//! The platform's side of a delivery, as the fault tests simulate it: sent
//! again on anything but `200`, to the replicas in turn, until one takes it.

use std::net::SocketAddr;
use std::time::Duration;

use super::SECRET;

/// Sends `body` until a replica answers `200`: to `addresses` in turn from
/// `first`, waiting `backoff` between attempts, at most `attempts` times.
/// The statuses (0 for no answer).
pub async fn deliver(
    addresses: &[SocketAddr],
    first: usize,
    body: Vec<u8>,
    attempts: usize,
    backoff: Duration,
) -> Vec<u16> {
    let http = sunshine_conversations::reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("a client");
    let mut statuses = Vec::new();
    for attempt in 0..attempts {
        let address = addresses[(first + attempt) % addresses.len()];
        let answer = http
            .post(format!("http://{address}/webhooks"))
            .header("X-API-Key", SECRET)
            .body(body.clone())
            .send()
            .await;
        let status = answer.map_or(0, |answer| answer.status().as_u16());
        statuses.push(status);
        if status == 200 {
            return statuses;
        }
        tokio::time::sleep(backoff).await;
    }
    panic!("no replica took the delivery in {attempts} attempts: {statuses:?}");
}
