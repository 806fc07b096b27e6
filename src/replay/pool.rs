//! The idle connections the client keeps for the next request to the same place, as OkHttp
//! keeps them for the SDK: keyed by where a connection leads, at most a number per key, none
//! older than [`IDLE_FOR`], the most recently used taken first. What may be put back (a fully
//! read answer) and when a taken one may still be used are the client's decisions; this is
//! only the shelf, generic over the key and the connection so that it is tested without a
//! network.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an idle connection is kept: below the 60 s idle timeout common at load
/// balancers, so that a kept connection is rarely one the other end has already let go. A
/// server with a shorter one (5 s is common) closes it first, which the client sees before
/// reusing it or, at the latest, when a request on it fails before any answer byte.
pub(crate) const IDLE_FOR: Duration = Duration::from_secs(30);

/// Idle connections by key.
pub(crate) struct Pool<K, T> {
    idle: Mutex<HashMap<K, Vec<(T, Instant)>>>,
    per_key: usize,
}

impl<K, T> std::fmt::Debug for Pool<K, T> {
    // A key may hold a proxy credential: only the count is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let idle = self
            .idle
            .lock()
            .map_or(0, |m| m.values().map(Vec::len).sum::<usize>());
        f.debug_struct("Pool")
            .field("idle", &idle)
            .field("per_key", &self.per_key)
            .finish()
    }
}

impl<K: Hash + Eq, T> Pool<K, T> {
    /// A pool keeping at most `per_key` idle connections per key (at least one).
    pub(crate) fn new(per_key: usize) -> Pool<K, T> {
        Pool {
            idle: Mutex::new(HashMap::new()),
            per_key: per_key.max(1),
        }
    }

    /// The most recently kept connection for `key` that has been idle less than
    /// [`IDLE_FOR`] at `now` and that `usable` accepts; the others looked at are dropped.
    pub(crate) fn take(
        &self,
        key: &K,
        now: Instant,
        mut usable: impl FnMut(&T) -> bool,
    ) -> Option<T> {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let list = idle.get_mut(key)?;
        list.retain(|(_, since)| now.saturating_duration_since(*since) < IDLE_FOR);
        while let Some((conn, _)) = list.pop() {
            if usable(&conn) {
                return Some(conn);
            }
        }
        None
    }

    /// Keeps `conn` for `key` from `now`, unless `per_key` are kept already (then it is
    /// dropped, which closes it).
    pub(crate) fn put(&self, key: K, conn: T, now: Instant) {
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let list = idle.entry(key).or_default();
        if list.len() < self.per_key {
            list.push((conn, now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_usable_connection_of_the_key_is_taken() {
        let pool: Pool<&str, u32> = Pool::new(2);
        let t0 = Instant::now();
        pool.put("a", 1, t0);
        pool.put("a", 2, t0);
        pool.put("a", 3, t0); // over the limit: dropped
        pool.put("b", 9, t0);
        assert_eq!(pool.take(&"a", t0, |_| true), Some(2));
        assert_eq!(pool.take(&"a", t0, |_| true), Some(1));
        assert_eq!(pool.take(&"a", t0, |_| true), None);
        assert_eq!(pool.take(&"c", t0, |_| true), None);
        pool.put("a", 4, t0);
        pool.put("a", 5, t0);
        // 5 is closed by the server: dropped, 4 is taken.
        assert_eq!(pool.take(&"a", t0, |c| *c != 5), Some(4));
        assert_eq!(pool.take(&"a", t0, |_| true), None);
        assert_eq!(pool.take(&"b", t0, |_| true), Some(9));
    }

    #[test]
    fn connections_idle_too_long_are_dropped() {
        let pool: Pool<&str, u32> = Pool::new(4);
        let t0 = Instant::now();
        pool.put("a", 1, t0);
        pool.put("a", 2, t0 + IDLE_FOR / 2);
        let later = t0 + IDLE_FOR + Duration::from_millis(1);
        assert_eq!(pool.take(&"a", later, |_| true), Some(2));
        assert_eq!(pool.take(&"a", later, |_| true), None);
        assert_eq!(format!("{pool:?}"), "Pool { idle: 0, per_key: 4 }");
    }
}
