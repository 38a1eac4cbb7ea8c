//! The annual monitoring report seen in headless Chromium (`tests/browser/report.mjs`, Debian's
//! `/usr/bin/chromium`): opened with the region admin's bearer token and the network restricted
//! to the server, its four charts are in the DOM with their bars, trend line and points, laid
//! out with a size, and a full-page PNG screenshot is written to a temp dir (its path printed:
//! run with `--nocapture` to look at it). Skipped without node, Chromium or `npm ci` in
//! `tests/browser`, except under CI.

use credit_bank_tests::{spawn_app, Backend};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_draws_its_charts_in_chromium() {
    let Some(dir) = super::browser::browser_dir() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    let token = super::monitoring_report::qingdao(&app).await;
    let out = std::env::temp_dir().join(format!("credit-bank-report-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&out).expect("screenshot dir");
    let run = tokio::process::Command::new("node")
        .arg("report.mjs")
        .arg(format!("{}/regions/370200/report.html", app.address))
        .args(["--token", &token, "--out"])
        .arg(&out)
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(120), run)
        .await
        .expect("report.mjs finishes within 2 minutes")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!(
        "report.mjs stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let result: Value = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .find(|l: &Value| l["check"] == "report")
        .unwrap_or_else(|| panic!("report.mjs reported nothing:\n{stdout}"));
    assert_eq!(result["status"], 200, "{result}");
    assert_eq!(
        result["aborted"],
        json!([]),
        "the page asked for nothing elsewhere: {result}"
    );
    assert_eq!(result["charts"], 4, "{result}");
    // Bars: 2 sub-regions + 2 schools + 5 histogram buckets (0–25 in steps of 5).
    assert_eq!(result["bars"], 2 + 2 + 5, "{result}");
    assert_eq!(result["lines"], 1, "{result}");
    assert_eq!(result["points"], 3, "{result}");
    assert!(
        result["chartsRendered"].as_bool().unwrap_or(false),
        "every chart has a size: {result}"
    );
    let png = std::fs::read(out.join("report.png")).expect("the screenshot");
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(
        width >= 800 && height >= 1500,
        "a full page: {width}×{height}"
    );
    assert!(
        png.len() > 50_000,
        "more than a blank page: {} bytes",
        png.len()
    );
    eprintln!(
        "the report's screenshot: {}",
        out.join("report.png").display()
    );
    assert!(
        output.status.success(),
        "report.mjs exit status: {}",
        output.status
    );
}
