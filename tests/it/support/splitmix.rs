//! The differential tests' deterministic choices: splitmix64 behind a trait, so each test's
//! generator (`Gen` in the token and wire differentials) keeps only its own domain methods and
//! the same seed gives the same inputs in every test.

/// splitmix64 over the `u64` state a generator holds; every method but [`SplitMix::state`] is
/// provided.
pub trait SplitMix {
    /// The generator's state.
    fn state(&mut self) -> &mut u64;

    fn next(&mut self) -> u64 {
        let s = self.state();
        *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }
}
