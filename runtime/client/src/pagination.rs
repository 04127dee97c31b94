//! Cursor pagination: walking every page of a list operation as a stream.
//!
//! A list operation answers with one page and, in its `meta`, whether there
//! are more (`hasMore`) and the cursor that fetches the next one. The
//! paginator sends the operation's request again with that cursor until
//! `hasMore` is false, in the direction the operation documents. A server
//! that hands out a cursor twice would make that loop forever, so a repeated
//! cursor ends the stream with [`Error::RepeatedCursor`].

use std::collections::HashSet;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::Decode;
use crate::{Call, Client, Error, Request, Response};

/// The pages or items of a [`Paginator`], one at a time: `next().await`
/// and `try_collect().await` need no import and no pinning. It is also a
/// [`Stream`](futures_core::Stream) (and `Unpin`), for the combinators of
/// `futures` or `tokio-stream`.
///
/// With `messages` from `client.messages().list_messages(..).paginate().items()`:
///
/// ```
/// use sunshine_conversations::Error;
/// # use sunshine_runtime::PaginationStream;
///
/// async fn print_all<M: std::fmt::Debug, E>(mut messages: PaginationStream<M, E>) -> Result<(), Error<E>> {
///     while let Some(message) = messages.next().await {
///         println!("{:?}", message?);
///     }
///     Ok(())
/// }
///
/// // Or all of them at once; the first error ends the walk.
/// async fn all<M, E>(messages: PaginationStream<M, E>) -> Result<Vec<M>, Error<E>> {
///     messages.try_collect().await
/// }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct PaginationStream<T, E>(Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send>>);

impl<T, E> PaginationStream<T, E> {
    /// The next page or item: `None` after the last one, or after an error
    /// (which comes as `Some(Err(..))` first).
    pub async fn next(&mut self) -> Option<Result<T, Error<E>>> {
        std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await
    }

    /// Every page or item left, in order; the first error instead, if one
    /// comes (the pages before it are dropped).
    ///
    /// # Errors
    ///
    /// The first error of the walk.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        while let Some(next) = self.next().await {
            all.push(next?);
        }
        Ok(all)
    }
}

impl<T, E> Stream for PaginationStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<T, E> std::fmt::Debug for PaginationStream<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaginationStream").finish_non_exhaustive()
    }
}

/// Where a page keeps its items and its cursor: JSON pointers into the
/// response body, and the query parameter the cursor goes back in.
#[derive(Debug)]
pub struct PageLayout {
    /// The query parameter that takes the cursor, such as `page[before]`.
    pub cursor_param: &'static str,
    /// The array of items, such as `/messages`.
    pub items: &'static str,
    /// The "more pages" flag, such as `/meta/hasMore`.
    pub has_more: &'static str,
    /// The next cursor, such as `/meta/beforeCursor`.
    pub cursor: &'static str,
}

/// Every page of a list operation, or every item on them, as a stream.
/// Returned by `.paginate()` on the call of each list operation that pages;
/// `.items()` and `.pages()` give a [`PaginationStream`], read with
/// `next().await` or `try_collect().await`.
///
/// The stream ends after the last page (`hasMore: false`, or no cursor), or
/// after the first error, which it yields.
#[must_use = "a paginator does nothing until one of its streams is polled"]
pub struct Paginator<P, I, E> {
    start: Option<(Client, Request, Decode<P, E>)>,
    layout: &'static PageLayout,
    items: PhantomData<fn() -> I>,
}

impl<P, I, E> std::fmt::Debug for Paginator<P, I, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

/// A successful page: its JSON, the response it came in, and how the
/// operation decodes that response.
type RawPage<P, E> = (Value, Response, Decode<P, E>);

/// The next request of a walk: the client, the first request, its decoder
/// and the cursor (none for the first page).
type NextPage<P, E> = (Client, Request, Decode<P, E>, Option<String>);

/// Where a walk through the pages stands.
struct Walk<P, E> {
    /// What to send next; `None` once the walk is over.
    next: Option<NextPage<P, E>>,
    /// Every cursor followed so far.
    seen: HashSet<String>,
    /// An error to yield after the page that revealed it.
    failed: Option<Error<E>>,
    layout: &'static PageLayout,
}

impl<P, I, E> Paginator<P, I, E>
where
    P: Send + 'static,
    I: DeserializeOwned + Send + 'static,
    E: Send + 'static,
{
    /// Pages the request of `first` as `layout` says.
    pub fn new(first: Call<P, E>, layout: &'static PageLayout) -> Self {
        Paginator {
            start: first.into_parts(),
            layout,
            items: PhantomData,
        }
    }

    /// Every page, decoded as the operation's response type.
    pub fn pages(self) -> PaginationStream<P, E> {
        PaginationStream(Box::pin(self.raw_pages().map(|page| {
            let (_, response, decode) = page?;
            decode(response)
        })))
    }

    /// Every item of every page, in the order the pages come.
    pub fn items(self) -> PaginationStream<I, E> {
        let items_at = self.layout.items;
        PaginationStream(Box::pin(self.raw_pages().flat_map(move |page| {
            let items: Vec<Result<I, Error<E>>> = match page {
                Ok((mut json, response, _)) => {
                    let items = json.pointer_mut(items_at).map(Value::take);
                    match items.map(serde_json::from_value::<Vec<I>>) {
                        Some(Ok(items)) => items.into_iter().map(Ok).collect(),
                        Some(Err(source)) => vec![Err(response.decode_error(source))],
                        // No items array: an empty page.
                        None => Vec::new(),
                    }
                }
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })))
    }

    /// The successful pages; the first failure ends the stream as the
    /// operation's own error.
    fn raw_pages(self) -> impl Stream<Item = Result<RawPage<P, E>, Error<E>>> + Send + 'static {
        let walk = Walk {
            next: self
                .start
                .map(|(client, request, decode)| (client, request, decode, None)),
            seen: HashSet::new(),
            failed: None,
            layout: self.layout,
        };
        stream::unfold(walk, |mut walk| async move {
            if let Some(error) = walk.failed.take() {
                return Some((Err(error), walk));
            }
            let (client, first, decode, cursor) = walk.next.take()?;
            let request = match &cursor {
                Some(cursor) => first.with_query(walk.layout.cursor_param, cursor),
                None => first.duplicate(),
            };
            let response = match client.send::<E>(request).await {
                Ok(response) => response,
                Err(error) => return Some((Err(error), walk)),
            };
            if !response.status().is_success() {
                // A documented error ends the walk; anything else that
                // decodes (a 3xx) has no page to give.
                return decode(response).err().map(|error| (Err(error), walk));
            }
            let json: Value = match serde_json::from_slice(response.body()) {
                Ok(json) => json,
                Err(source) => return Some((Err(response.decode_error(source)), walk)),
            };
            let has_more =
                json.pointer(walk.layout.has_more).and_then(Value::as_bool) == Some(true);
            let next_cursor = json
                .pointer(walk.layout.cursor)
                .and_then(Value::as_str)
                .map(str::to_owned);
            if let Some(next) = next_cursor.filter(|_| has_more) {
                if walk.seen.insert(next.clone()) {
                    walk.next = Some((client, first, decode, Some(next)));
                } else {
                    walk.failed = Some(Error::RepeatedCursor { cursor: next });
                }
            }
            Some((Ok((json, response, decode)), walk))
        })
    }
}
