//! The `X-API-Key` check against every secret the receiver accepts, so that a
//! webhook secret can be rotated without refusing deliveries in between.

use sunshine_runtime::webhook::{VerifyError, WebhookSecret};

/// The secrets a receiver accepts: the current one, and during a rotation
/// the one being replaced. Never empty.
#[derive(Debug, Clone)]
pub(super) struct Secrets(Vec<WebhookSecret>);

impl Secrets {
    pub(super) fn new(first: WebhookSecret) -> Self {
        Self(vec![first])
    }

    pub(super) fn add(&mut self, secret: WebhookSecret) {
        self.0.push(secret);
    }

    /// Checks `received` against every secret, each in constant time, and
    /// without stopping at the first match: the time taken says nothing
    /// about which secret matched, or how much of one.
    pub(super) fn verify(&self, received: Option<&[u8]>) -> Result<(), VerifyError> {
        let received = received.ok_or(VerifyError::Missing)?;
        let matched = self
            .0
            .iter()
            .map(|secret| secret.verify(Some(received)).is_ok())
            .fold(false, |any, this| any | this);
        if matched {
            Ok(())
        } else {
            Err(VerifyError::Mismatch)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_secret_of_a_rotation_is_accepted_and_nothing_else() {
        let mut secrets = Secrets::new(WebhookSecret::new("old-secret"));
        secrets.add(WebhookSecret::new("new-secret"));

        assert_eq!(secrets.verify(Some(b"old-secret")), Ok(()));
        assert_eq!(secrets.verify(Some(b"new-secret")), Ok(()));
        assert_eq!(
            secrets.verify(Some(b"new-secret ")),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(secrets.verify(Some(b"")), Err(VerifyError::Mismatch));
        assert_eq!(secrets.verify(None), Err(VerifyError::Missing));
    }
}
