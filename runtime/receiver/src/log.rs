//! How the receiver says what it could not do: through `tracing` when the
//! application set a subscriber (feature `tracing`), else on standard
//! error, so that nothing it reports is ever silent.

/// Whether a `tracing` subscriber would take an event on this thread (a
/// global one, or one set for the thread).
#[cfg(feature = "tracing")]
fn traced() -> bool {
    tracing::dispatcher::get_default(|dispatch| !dispatch.is::<tracing::subscriber::NoSubscriber>())
}

/// A failure the receiver works around.
pub(super) fn warn(message: &str) {
    #[cfg(feature = "tracing")]
    if traced() {
        tracing::warn!("{message}");
        return;
    }
    eprintln!("warning: {message}");
}

/// Something lost unless someone acts: a dead letter.
pub(super) fn error(message: &str) {
    #[cfg(feature = "tracing")]
    if traced() {
        tracing::error!("{message}");
        return;
    }
    eprintln!("error: {message}");
}

/// Housekeeping worth a line in the log, never on standard error.
#[cfg(feature = "redis")]
pub(super) fn info(message: &str) {
    #[cfg(feature = "tracing")]
    tracing::info!("{message}");
    #[cfg(not(feature = "tracing"))]
    let _ = message;
}
