//! Each server's resident memory (`VmRSS` in /proc/PID/status), sampled in the background.
//! The first third of the run is warm-up (pools fill, caches and allocator arenas grow); after
//! it, memory may not grow by more than a bound — a leak grows with the work done.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Sampler {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<Series>>,
}

/// One server's samples: (seconds since the start, RSS in KiB).
#[derive(Clone, Default)]
pub struct Series {
    pub pid: u32,
    pub samples: Vec<(f64, u64)>,
}

pub struct Rss {
    pub series: Vec<Series>,
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Sampler {
    pub fn start(pids: Vec<u32>, every: Duration) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let series = Arc::new(Mutex::new(
            pids.iter()
                .map(|&pid| Series {
                    pid,
                    samples: Vec::new(),
                })
                .collect::<Vec<_>>(),
        ));
        let task = tokio::spawn(async move {
            let started = Instant::now();
            loop {
                let stopping = flag.load(Ordering::Relaxed);
                let t = started.elapsed().as_secs_f64();
                for s in series.lock().expect("lock").iter_mut() {
                    if let Some(kib) = rss_kib(s.pid) {
                        s.samples.push((t, kib));
                    }
                }
                if stopping {
                    break;
                }
                tokio::time::sleep(every).await;
            }
            let out = series.lock().expect("lock").clone();
            out
        });
        Sampler { stop, task }
    }

    /// Takes a last sample and hands over the series.
    pub async fn stop(self) -> Rss {
        self.stop.store(true, Ordering::Relaxed);
        Rss {
            series: self.task.await.expect("sampler"),
        }
    }
}

impl Series {
    fn first(&self) -> u64 {
        self.samples.first().map_or(0, |s| s.1)
    }

    /// The sample at the end of the warm-up (a third of the run).
    fn warm(&self) -> u64 {
        let end = self.samples.last().map_or(0.0, |s| s.0);
        self.samples
            .iter()
            .find(|s| s.0 >= end / 3.0)
            .map_or(0, |s| s.1)
    }

    fn last(&self) -> u64 {
        self.samples.last().map_or(0, |s| s.1)
    }

    fn peak_after_warm_up(&self) -> u64 {
        let end = self.samples.last().map_or(0.0, |s| s.0);
        self.samples
            .iter()
            .filter(|s| s.0 >= end / 3.0)
            .map(|s| s.1)
            .max()
            .unwrap_or(0)
    }

    /// "start 40.1 MiB, warm 55.0, end 56.2, peak 57.0".
    pub fn summary(&self) -> String {
        let mib = |k: u64| k as f64 / 1024.0;
        format!(
            "pid {}: start {:.1} MiB, after warm-up {:.1}, end {:.1}, peak after warm-up {:.1} ({} samples)",
            self.pid,
            mib(self.first()),
            mib(self.warm()),
            mib(self.last()),
            mib(self.peak_after_warm_up()),
            self.samples.len()
        )
    }
}

impl Rss {
    pub fn assert_bounded(&self, growth_mb: u64) {
        for s in &self.series {
            assert!(s.samples.len() >= 3, "too few RSS samples of {}", s.pid);
            let grown = s.peak_after_warm_up().saturating_sub(s.warm());
            assert!(
                grown <= growth_mb * 1024,
                "server {} grew {} KiB after warm-up (bound {growth_mb} MiB): {}",
                s.pid,
                grown,
                s.summary()
            );
        }
    }
}
