//! The one clock: "now" is UTC, "today" is the civil date in `TIME_ZONE`.
//!
//! Teachers live in China: a claim dated today in Beijing must be accepted at 23:30 UTC, when the
//! UTC date is still yesterday. Every service asks this clock, never `Utc::now()`, so tests can
//! set the instant and do not depend on the hour they run at.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::sync::{Arc, RwLock};

#[derive(Clone)]
pub struct Clock {
    zone: Tz,
    /// A fixed instant (tests); `None` reads the system clock.
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    pub fn new(zone: Tz) -> Self {
        Clock {
            zone,
            fixed: Arc::new(RwLock::new(None)),
        }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed
            .read()
            .ok()
            .and_then(|fixed| *fixed)
            .unwrap_or_else(Utc::now)
    }

    /// Today's civil date in the configured zone.
    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    /// The civil date of `instant` in the configured zone.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.zone).date_naive()
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Stops the clock at `instant` (`None` lets it run again). For tests and benchmarks.
    pub fn set(&self, instant: Option<DateTime<Utc>>) {
        if let Ok(mut fixed) = self.fixed.write() {
            *fixed = instant;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn today_is_the_shanghai_date_late_in_the_utc_evening() {
        let clock = Clock::new(chrono_tz::Asia::Shanghai);
        let late = "2026-12-01T23:30:00Z".parse().unwrap();
        clock.set(Some(late));
        assert_eq!(clock.now(), late);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        let utc = Clock::new(chrono_tz::UTC);
        utc.set(Some(late));
        assert_eq!(utc.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    }
}
