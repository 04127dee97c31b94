//! One operation call: a future that owns everything it needs.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::metadata::{ResponseMeta, WithMetadata};
use crate::{Client, Error, Request, RequestOptions, Response};

/// How an operation turns a response into its result.
pub type Decode<T, E> = fn(Response) -> Result<T, Error<E>>;
type Sending<T, E> = Pin<Box<dyn Future<Output = Result<(T, ResponseMeta), Error<E>>> + Send>>;

/// A call of one operation, returned by every operation method. Await it to
/// send the request; `.with_options(..)` first to give this call alone extra
/// headers, a timeout or a retry policy.
///
/// A call owns its request and a handle to the client (the arguments were
/// encoded when the operation method returned), so it borrows nothing: it can
/// be built in a closure, collected with others and joined, or spawned.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<T, E> {
    /// Until the first poll: what to send; options may still be added.
    ready: Option<Ready<T, E>>,
    /// From the first poll: the request on its way.
    sending: Option<Sending<T, E>>,
}

struct Ready<T, E> {
    client: Client,
    request: Request,
    decode: Decode<T, E>,
}

impl<T: Send + 'static, E: Send + 'static> Call<T, E> {
    /// A call sending `request` with `client`, whose response `decode` turns
    /// into the operation's result.
    pub fn new(client: &Client, request: Request, decode: Decode<T, E>) -> Self {
        Call {
            ready: Some(Ready {
                client: client.clone(),
                request,
                decode,
            }),
            sending: None,
        }
    }

    /// Gives this call extra headers, a timeout or a retry policy, on top of
    /// the client's options. Options given after the call was first polled
    /// have no effect.
    pub fn with_options(mut self, options: RequestOptions) -> Self {
        if let Some(ready) = &mut self.ready {
            ready.client = ready.client.with_options(options);
        }
        self
    }

    /// Changes the request before it is sent: the generated `.params(..)`
    /// and `.body(..)` of operations with optional parts.
    pub fn map_request(mut self, change: impl FnOnce(Request) -> Request) -> Self {
        if let Some(mut ready) = self.ready.take() {
            ready.request = change(ready.request);
            self.ready = Some(ready);
        }
        self
    }

    /// The call whose result comes with the status and headers of the
    /// response: `let (value, meta) = call.with_metadata().await?;`.
    pub fn with_metadata(self) -> WithMetadata<T, E> {
        WithMetadata::new(self)
    }

    /// The request this call would send, without sending it (`None` once it
    /// was polled): the test kit encodes parameters with it exactly as the
    /// client does.
    pub fn into_request(self) -> Option<Request> {
        self.into_parts().map(|(_, request, _)| request)
    }

    /// The parts of a call not yet polled: pagination sends its request
    /// again with other cursors.
    pub(crate) fn into_parts(self) -> Option<(Client, Request, Decode<T, E>)> {
        self.ready
            .map(|ready| (ready.client, ready.request, ready.decode))
    }

    /// The request on its way, started now if it was not yet.
    pub(crate) fn into_sending(mut self) -> Sending<T, E> {
        self.start();
        match self.sending {
            Some(sending) => sending,
            // Unreachable: `start` sets `sending`.
            None => Box::pin(std::future::pending()),
        }
    }

    /// Moves a call not yet started on its way.
    fn start(&mut self) {
        if let Some(Ready {
            client,
            request,
            decode,
        }) = self.ready.take()
        {
            self.sending = Some(Box::pin(async move {
                let mut response = client.send(request).await?;
                // Decoders read only the status and body; a failure gets
                // its headers back, a success hands them to the caller.
                let headers = std::mem::take(&mut response.headers);
                let (status, attempts) = (response.status, response.retry.attempts());
                match decode(response) {
                    Ok(value) => Ok((value, ResponseMeta::new(status, headers, attempts))),
                    Err(error) => Err(error.with_headers(headers)),
                }
            }));
        }
    }
}

impl<T: Send + 'static, E: Send + 'static> Future for Call<T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.start();
        match &mut self.sending {
            Some(sending) => sending.as_mut().poll(cx).map_ok(|(value, _)| value),
            // Unreachable: `ready` or `sending` is always set.
            None => Poll::Pending,
        }
    }
}

impl<T, E> fmt::Debug for Call<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.ready {
            Some(ready) => f
                .debug_struct("Call")
                .field("operation", &ready.request.operation)
                .field("method", &ready.request.method)
                .field("path", &ready.request.path)
                .finish_non_exhaustive(),
            None => f.debug_struct("Call").field("sent", &true).finish(),
        }
    }
}
