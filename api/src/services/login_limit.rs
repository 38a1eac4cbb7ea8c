//! Login limiting that slows a guesser without letting a stranger lock the owner out.
//!
//! A hard lockout after N failures per username lets anyone who knows a username shut its owner
//! out by typing wrong passwords. Instead failures are counted in three places, each with its
//! own threshold, and past it every further failure makes the next attempt wait longer
//! (`first_delay`, doubling, at most `window`), answered `RATE_LIMITED` with
//! `extensions.retryAfterSeconds`:
//! - per account *and* address (`max_failures`): one guesser at one account is slowed at once,
//!   while the owner elsewhere is not affected;
//! - per address across accounts (5 × `max_failures`): one address spraying many usernames;
//! - per account across addresses (20 × `max_failures`): guessing spread over many addresses.
//!   An address the account signed in from successfully in the last 30 days is exempt from this
//!   one, so even a distributed attack does not stop the owner at their usual desk.
//!
//! A refused (waiting) attempt is not counted and its password not checked, so hammering does
//! not extend the wait; a success clears only its own account-and-address counter (clearing the
//! per-address one would let a guesser reset it by signing in to an account of their own).

use crate::auth::client_address::ClientAddress;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use std::time::Duration;

/// How long a successful sign-in makes its address known to the account.
const KNOWN_FOR: Duration = Duration::from_secs(30 * 24 * 3600);

/// One sign-in attempt: the (normalised) username and where it comes from.
pub struct Attempt<'a> {
    pub username: &'a str,
    pub client: ClientAddress,
}

/// A failure counter and how many failures it allows before waits begin.
struct Counter {
    key: String,
    free: u64,
}

fn pair(state: &AppState, attempt: &Attempt<'_>) -> Counter {
    let address = attempt.client.key();
    Counter {
        key: state.cache_key(&["login", "pair", attempt.username, &address]),
        free: state.settings.login_attempts.max_failures.max(1),
    }
}

fn counters(state: &AppState, attempt: &Attempt<'_>, known: bool) -> Vec<Counter> {
    let address = attempt.client.key();
    let free = state.settings.login_attempts.max_failures.max(1);
    let mut out = vec![
        pair(state, attempt),
        Counter {
            key: state.cache_key(&["login", "address", &address]),
            free: free.saturating_mul(5),
        },
    ];
    if !known {
        out.push(Counter {
            key: state.cache_key(&["login", "account", attempt.username]),
            free: free.saturating_mul(20),
        });
    }
    out
}

fn wait_key(counter: &Counter) -> String {
    format!("{}:wait", counter.key)
}

fn known_key(state: &AppState, attempt: &Attempt<'_>) -> String {
    state.cache_key(&["login", "known", attempt.username, &attempt.client.key()])
}

async fn is_known(state: &AppState, attempt: &Attempt<'_>) -> AppResult<bool> {
    let known = state.cache.get(&known_key(state, attempt)).await;
    Ok(known.map_err(AppError::internal)?.is_some())
}

/// `RATE_LIMITED` while any of the attempt's counters asks it to wait (the longest wait).
pub async fn check(state: &AppState, attempt: &Attempt<'_>) -> AppResult<()> {
    let known = is_known(state, attempt).await?;
    let mut longest = Duration::ZERO;
    for counter in counters(state, attempt, known) {
        let left = state.cache.ttl(&wait_key(&counter)).await;
        longest = longest.max(left.map_err(AppError::internal)?.unwrap_or_default());
    }
    if longest.is_zero() {
        return Ok(());
    }
    Err(AppError::RateLimited {
        retry_after_secs: longest.as_millis().div_ceil(1000).max(1) as u64,
    })
}

/// Counts a wrong password; past a counter's threshold, the next attempt must wait.
pub async fn failed(state: &AppState, attempt: &Attempt<'_>) -> AppResult<()> {
    let limit = state.settings.login_attempts;
    let known = is_known(state, attempt).await?;
    for counter in counters(state, attempt, known) {
        let count = state.cache.incr_window(&counter.key, limit.window).await;
        let count = count.map_err(AppError::internal)?;
        if count < counter.free {
            continue;
        }
        let doublings = u32::try_from(count - counter.free)
            .unwrap_or(u32::MAX)
            .min(20);
        let wait = limit
            .first_delay
            .saturating_mul(1 << doublings)
            .min(limit.window);
        state
            .cache
            .set(&wait_key(&counter), "1", wait)
            .await
            .map_err(AppError::internal)?;
    }
    Ok(())
}

/// Clears the account-and-address counter and remembers the address for the account.
pub async fn succeeded(state: &AppState, attempt: &Attempt<'_>) -> AppResult<()> {
    let pair = pair(state, attempt);
    for key in [wait_key(&pair), pair.key] {
        state.cache.delete(&key).await.map_err(AppError::internal)?;
    }
    state
        .cache
        .set(&known_key(state, attempt), "1", KNOWN_FOR)
        .await
        .map_err(AppError::internal)
}
