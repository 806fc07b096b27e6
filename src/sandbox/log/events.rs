//! The live request log: every line the sandbox logs is also offered, as the JSON object
//! `--log-format json` writes, to whoever follows it (the debugger page's event stream). Nothing
//! is built while nobody follows (the log is on every request's path), and a slow follower
//! loses lines rather than holding anything up: each has a bounded queue.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::mpsc;

/// Events a subscriber may fall behind by before new ones are dropped for it.
const QUEUE: usize = 256;
/// At most this many pages (tabs) listen at once; more get 503.
pub(crate) const MAX_SUBSCRIBERS: usize = 16;

/// The subscribers.
#[derive(Debug, Default)]
pub struct Hub {
    subs: Mutex<Vec<mpsc::Sender<Arc<str>>>>,
    count: AtomicUsize,
    /// Set when the sandbox stops: no new subscribers.
    closed: AtomicBool,
}

impl Hub {
    /// Whether anyone listens (checked before a line is built).
    pub fn listening(&self) -> bool {
        self.count.load(Ordering::Relaxed) > 0
    }

    /// Sends `line` to every subscriber with room; forgets those that went away.
    pub fn publish(&self, line: &str) {
        let line: Arc<str> = Arc::from(line);
        let mut subs = self.subs.lock().unwrap_or_else(PoisonError::into_inner);
        subs.retain(|s| match s.try_send(Arc::clone(&line)) {
            Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        });
        self.count.store(subs.len(), Ordering::Relaxed);
    }

    /// Ends every stream (their pages see the end of the log) and refuses new ones. A
    /// stopping sandbox calls it first: an open stream would otherwise hold the graceful stop
    /// for its whole grace period.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        let mut subs = self.subs.lock().unwrap_or_else(PoisonError::into_inner);
        subs.clear();
        self.count.store(0, Ordering::Relaxed);
    }

    /// A new subscriber, or `None` when [`MAX_SUBSCRIBERS`] already listen or the sandbox is
    /// stopping.
    pub fn subscribe(&self) -> Option<mpsc::Receiver<Arc<str>>> {
        let mut subs = self.subs.lock().unwrap_or_else(PoisonError::into_inner);
        if self.closed.load(Ordering::Relaxed) {
            return None;
        }
        subs.retain(|s| !s.is_closed());
        if subs.len() >= MAX_SUBSCRIBERS {
            return None;
        }
        let (tx, rx) = mpsc::channel(QUEUE);
        subs.push(tx);
        self.count.store(subs.len(), Ordering::Relaxed);
        Some(rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_reaches_subscribers_and_forgets_closed_ones() {
        let hub = Hub::default();
        assert!(!hub.listening());
        hub.publish("nobody hears this");
        let mut a = hub.subscribe().unwrap();
        let b = hub.subscribe().unwrap();
        assert!(hub.listening());
        drop(b);
        hub.publish("{\"status\":200}");
        assert_eq!(&*a.try_recv().unwrap(), "{\"status\":200}");
        assert!(a.try_recv().is_err(), "one line, once");
        assert_eq!(
            hub.count.load(Ordering::Relaxed),
            1,
            "the closed one is gone"
        );
    }

    #[test]
    fn a_slow_subscriber_loses_lines_instead_of_blocking() {
        let hub = Hub::default();
        let mut a = hub.subscribe().unwrap();
        for i in 0..QUEUE + 10 {
            hub.publish(&i.to_string());
        }
        let mut got = 0;
        while a.try_recv().is_ok() {
            got += 1;
        }
        assert_eq!(got, QUEUE);
    }

    #[test]
    fn subscribers_are_bounded() {
        let hub = Hub::default();
        let held: Vec<_> = (0..MAX_SUBSCRIBERS)
            .map(|_| hub.subscribe().unwrap())
            .collect();
        assert!(hub.subscribe().is_none());
        drop(held);
        assert!(hub.subscribe().is_some(), "closed ones make room");
    }

    #[test]
    fn closing_ends_every_stream_and_refuses_new_ones() {
        let hub = Hub::default();
        let mut a = hub.subscribe().unwrap();
        hub.close();
        assert!(matches!(
            a.try_recv(),
            Err(mpsc::error::TryRecvError::Disconnected)
        ));
        assert!(hub.subscribe().is_none());
        assert!(!hub.listening());
    }
}
