//! Both cache implementations behave the same: the in-process one always, Redis when configured.

use credit_bank::cache::Cache;
use std::time::Duration;

async fn exercise(cache: Cache, prefix: &str) {
    let key = format!("{prefix}:k");
    assert_eq!(cache.get(&key).await.expect("get"), None);
    cache
        .set(&key, "值", Duration::from_secs(30))
        .await
        .expect("set");
    assert_eq!(cache.get(&key).await.expect("get").as_deref(), Some("值"));
    let ttl = cache.ttl(&key).await.expect("ttl").expect("has ttl");
    assert!(ttl <= Duration::from_secs(30) && ttl > Duration::from_secs(20));
    cache.delete(&key).await.expect("delete");
    assert_eq!(cache.get(&key).await.expect("get"), None);

    let counter = format!("{prefix}:n");
    for expected in 1..=3 {
        assert_eq!(
            cache
                .incr_window(&counter, Duration::from_millis(300))
                .await
                .expect("incr"),
            expected
        );
    }
    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(
        cache
            .incr_window(&counter, Duration::from_millis(300))
            .await
            .expect("incr"),
        1,
        "the window restarts once expired"
    );

    let short = format!("{prefix}:short");
    cache
        .set(&short, "x", Duration::from_millis(100))
        .await
        .expect("set");
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(
        cache.get(&short).await.expect("get"),
        None,
        "entries expire"
    );
    cache.ping().await.expect("ping");
}

#[tokio::test]
async fn memory_cache_behaves() {
    exercise(Cache::memory(), "mem").await;
}

#[tokio::test]
async fn redis_cache_behaves() {
    let url = match std::env::var("TEST_REDIS_URL") {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var("CI").is_ok() => panic!("TEST_REDIS_URL must be set under CI"),
        _ => return eprintln!("TEST_REDIS_URL not set: skipping the Redis cache test"),
    };
    let cache = Cache::redis(&url).await.expect("redis");
    assert_eq!(cache.backend(), "redis");
    exercise(cache, &format!("cb-test-{}", uuid::Uuid::new_v4().simple())).await;
}
