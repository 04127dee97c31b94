//! The service's settings, read from environment variables.

use std::fmt;
use std::net::SocketAddr;

use sunshine_conversations::webhooks::WebhookSecret;
use sunshine_conversations::Server;

/// The address listened on when `HANDOFF_LISTEN` is not set.
const LISTEN_DEFAULT: &str = "127.0.0.1:8080";

/// The service's settings. `Debug` shows no secret.
#[derive(Clone)]
pub struct Config {
    /// `SUNSHINE_APP_ID`: the app whose conversations are handled.
    pub app_id: String,
    /// `SUNSHINE_KEY_ID`: id of the API key the service calls the API with.
    pub key_id: String,
    /// `SUNSHINE_KEY_SECRET`: that key's secret.
    pub key_secret: String,
    /// `SUNSHINE_WEBHOOK_SECRET`: the secret of the webhook that posts to this
    /// service, checked against each delivery's `X-API-Key` header.
    pub webhook_secret: WebhookSecret,
    /// Where the API is: `SUNSHINE_BASE_URL` when set (any URL, such as a
    /// local fake for tests), else the Zendesk host of `SUNSHINE_SUBDOMAIN`.
    pub base_url: String,
    /// `HANDOFF_BOT_INTEGRATION`: the name of the bot's own switchboard
    /// integration, which control is offered back to.
    pub bot_integration: String,
    /// `HANDOFF_LISTEN`: the address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// `REDIS_URL`: when set, event ids are kept in this Redis, shared by
    /// every instance, rather than in memory.
    pub redis_url: Option<String>,
}

impl Config {
    /// Reads the settings from the process environment.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first variable that is missing or invalid.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, which gives a variable's value by
    /// name (or `None` when it is not set). Empty values count as not set.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first variable that is missing or invalid.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| lookup(name).filter(|value| !value.trim().is_empty());
        let required = |name: &'static str| get(name).ok_or(ConfigError::Missing(name));
        let base_url = match (get("SUNSHINE_BASE_URL"), get("SUNSHINE_SUBDOMAIN")) {
            (Some(url), _) => url,
            (None, Some(subdomain)) => Server::Zendesk { subdomain }.url(),
            (None, None) => {
                return Err(ConfigError::Missing(
                    "SUNSHINE_BASE_URL or SUNSHINE_SUBDOMAIN",
                ))
            }
        };
        let listen = get("HANDOFF_LISTEN").unwrap_or_else(|| LISTEN_DEFAULT.to_owned());
        let listen = listen.parse().map_err(|_| ConfigError::Invalid {
            name: "HANDOFF_LISTEN",
            reason: "not an address such as 127.0.0.1:8080",
        })?;
        Ok(Self {
            app_id: required("SUNSHINE_APP_ID")?,
            key_id: required("SUNSHINE_KEY_ID")?,
            key_secret: required("SUNSHINE_KEY_SECRET")?,
            webhook_secret: WebhookSecret::new(required("SUNSHINE_WEBHOOK_SECRET")?),
            base_url,
            bot_integration: required("HANDOFF_BOT_INTEGRATION")?,
            listen,
            redis_url: get("REDIS_URL"),
        })
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("app_id", &self.app_id)
            .field("key_id", &self.key_id)
            .field("key_secret", &"<redacted>")
            .field("webhook_secret", &self.webhook_secret)
            .field("base_url", &self.base_url)
            .field("bot_integration", &self.bot_integration)
            .field("listen", &self.listen)
            // The URL can hold a password.
            .field("redis_url", &self.redis_url.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// A setting that is missing or invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// The variable (or one of the variables) named is not set.
    Missing(&'static str),
    /// The variable is set to something unusable.
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing(name) => write!(f, "set {name}"),
            Self::Invalid { name, reason } => write!(f, "{name} is invalid: {reason}"),
        }
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn environment(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    const COMPLETE: [(&str, &str); 6] = [
        ("SUNSHINE_APP_ID", "app_1"),
        ("SUNSHINE_KEY_ID", "key_1"),
        ("SUNSHINE_KEY_SECRET", "key-secret-value"),
        ("SUNSHINE_WEBHOOK_SECRET", "webhook-secret-value"),
        ("SUNSHINE_SUBDOMAIN", "acme"),
        ("HANDOFF_BOT_INTEGRATION", "bot"),
    ];

    #[test]
    fn a_complete_environment_is_read() {
        let config = Config::from_lookup(environment(&COMPLETE)).unwrap();

        assert_eq!(config.app_id, "app_1");
        assert_eq!(config.key_id, "key_1");
        assert_eq!(config.key_secret, "key-secret-value");
        assert!(config
            .webhook_secret
            .verify(Some("webhook-secret-value"))
            .is_ok());
        assert_eq!(config.base_url, "https://acme.zendesk.com/sc");
        assert_eq!(config.bot_integration, "bot");
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
    }

    #[test]
    fn the_base_url_wins_over_the_subdomain_and_the_address_can_be_set() {
        let mut pairs = COMPLETE.to_vec();
        pairs.push(("SUNSHINE_BASE_URL", "http://127.0.0.1:9999"));
        pairs.push(("HANDOFF_LISTEN", "0.0.0.0:3000"));

        let config = Config::from_lookup(environment(&pairs)).unwrap();

        assert_eq!(config.base_url, "http://127.0.0.1:9999");
        assert_eq!(config.listen, "0.0.0.0:3000".parse().unwrap());
    }

    #[test]
    fn a_missing_or_empty_variable_is_named() {
        for missing in [
            "SUNSHINE_APP_ID",
            "SUNSHINE_KEY_ID",
            "SUNSHINE_KEY_SECRET",
            "SUNSHINE_WEBHOOK_SECRET",
            "HANDOFF_BOT_INTEGRATION",
        ] {
            let without: Vec<_> = COMPLETE
                .iter()
                .copied()
                .filter(|(name, _)| *name != missing)
                .collect();
            assert_eq!(
                Config::from_lookup(environment(&without)).unwrap_err(),
                ConfigError::Missing(missing)
            );
            let mut empty = without.clone();
            empty.push((missing, " "));
            assert_eq!(
                Config::from_lookup(environment(&empty)).unwrap_err(),
                ConfigError::Missing(missing)
            );
        }
        let without_host: Vec<_> = COMPLETE
            .iter()
            .copied()
            .filter(|(name, _)| *name != "SUNSHINE_SUBDOMAIN")
            .collect();
        assert_eq!(
            Config::from_lookup(environment(&without_host))
                .unwrap_err()
                .to_string(),
            "set SUNSHINE_BASE_URL or SUNSHINE_SUBDOMAIN"
        );
    }

    #[test]
    fn a_bad_address_is_refused() {
        let mut pairs = COMPLETE.to_vec();
        pairs.push(("HANDOFF_LISTEN", "localhost"));

        let error = Config::from_lookup(environment(&pairs)).unwrap_err();

        assert_eq!(
            error.to_string(),
            "HANDOFF_LISTEN is invalid: not an address such as 127.0.0.1:8080"
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let config = Config::from_lookup(environment(&COMPLETE)).unwrap();

        let debug = format!("{config:?}");

        assert!(!debug.contains("key-secret-value"), "{debug}");
        assert!(!debug.contains("webhook-secret-value"), "{debug}");
        assert!(debug.contains("app_1"), "{debug}");
    }
}
