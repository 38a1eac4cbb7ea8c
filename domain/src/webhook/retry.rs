//! How long a delivery keeps being tried: exponential backoff with a little jitter, for a
//! window (a day by default) after the event, then it gives up (FAILED). The jitter only ever
//! lengthens a delay, and by at most a quarter, so each delay is longer than the one before
//! until the cap — receivers and tests alike see the backoff grow.

/// The retry schedule, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// The delay after the first failed attempt; each further failure doubles it.
    pub base_ms: u64,
    /// No delay is longer than this (before jitter).
    pub cap_ms: u64,
    /// No attempt is made later than this after the event occurred.
    pub window_ms: u64,
}

/// The largest jitter, in thousandths of the delay.
pub const MAX_JITTER_PERMILLE: u64 = 250;

impl Schedule {
    /// The delay before the next attempt after `failed` attempts have failed (`failed` ≥ 1),
    /// with `jitter_permille` (0–1000, drawn by the caller) scaled to at most a quarter.
    pub fn delay_ms(&self, failed: u32, jitter_permille: u64) -> u64 {
        let doublings = failed.saturating_sub(1).min(62);
        let plain = self
            .base_ms
            .max(1)
            .saturating_mul(1u64 << doublings)
            .min(self.cap_ms.max(self.base_ms));
        let jitter =
            plain.saturating_mul(jitter_permille.min(1000) * MAX_JITTER_PERMILLE / 1000) / 1000;
        plain.saturating_add(jitter)
    }

    /// When to try again, as milliseconds after the event, or `None` to give up: the next
    /// attempt would fall outside the window. `elapsed_ms` is the time since the event now.
    pub fn next_attempt_ms(
        &self,
        failed: u32,
        elapsed_ms: u64,
        jitter_permille: u64,
    ) -> Option<u64> {
        let at = elapsed_ms.saturating_add(self.delay_ms(failed, jitter_permille));
        (at <= self.window_ms).then_some(at)
    }
}

impl Default for Schedule {
    /// 5 s, 10 s, 20 s … doubling up to 2 hours between attempts, for 24 hours.
    fn default() -> Self {
        Schedule {
            base_ms: 5_000,
            cap_ms: 2 * 3_600_000,
            window_ms: 24 * 3_600_000,
        }
    }
}
