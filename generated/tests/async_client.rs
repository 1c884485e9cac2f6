//! The async client against real loopback servers (same scenarios as the blocking client).
#![cfg(feature = "async")]

use hwc_jobs::runtime::{
    AsyncClient, ClientError, Credentials, RetryPolicy, WaitOptions, WaitOutcome,
};
use hwc_jobs::servicestage::GetJobDetailsRequest;
use std::time::{Duration, Instant};

mod common;
use common::{server, NOT_FOUND, NOW, OK};

fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

#[tokio::test]
async fn success_404_and_retry() {
    let (addr, srv) = server(vec![
        (200, OK, NOW),
        (404, NOT_FOUND, NOW),
        (503, "{}", NOW),
        (200, OK, NOW),
    ]);
    let client = AsyncClient::new(&addr, Credentials::ak_sk("AK", "SK")).retry(fast_retry(3));
    let req = GetJobDetailsRequest::new("p", "j");
    assert_eq!(client.call(&req).await.unwrap().task_count, Some(0));
    let err = client.call(&req).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-404"));
    assert_eq!(
        client.call(&req).await.unwrap().task_count,
        Some(0),
        "503 retried into 200"
    );
    let heads = srv.join().unwrap();
    assert_eq!(heads.len(), 4);
    assert!(heads
        .iter()
        .all(|h| h.contains("SDK-HMAC-SHA256 Access=AK")));
}

#[tokio::test]
async fn a_hang_hits_the_timeout() {
    let (addr, _srv) = server(vec![(200, OK, Duration::from_millis(800))]);
    let client =
        AsyncClient::new(&addr, Credentials::token("t")).timeout(Duration::from_millis(150));
    let started = Instant::now();
    let err = client
        .call(&GetJobDetailsRequest::new("p", "j"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Timeout { attempts: 1, .. }),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_millis(700));
}

#[tokio::test]
async fn waits_until_succeeded_and_times_out_otherwise() {
    let running = r#"{"job":{"execution_status":"RUNNING"},"tasks":[{"task_name":"A","task_status":"RUNNING"}]}"#;
    let (addr, _srv) = server(vec![
        (200, running, NOW),
        (200, running, NOW),
        (200, OK, NOW),
    ]);
    let client = AsyncClient::new(&addr, Credentials::token("t"));
    let options = WaitOptions {
        deadline: Duration::from_secs(5),
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
    };
    let mut polls = 0;
    let outcome = client
        .wait_for_job(&GetJobDetailsRequest::new("p", "j"), &options, |_| {
            polls += 1
        })
        .await;
    assert!(
        matches!(outcome, WaitOutcome::Finished { ref state, .. } if state == "SUCCEEDED"),
        "{outcome:?}"
    );
    assert_eq!(polls, 3);

    let (addr, _srv) = server(vec![(200, running, NOW); 50]);
    let client = AsyncClient::new(&addr, Credentials::token("t"));
    let short = WaitOptions {
        deadline: Duration::from_millis(120),
        ..options
    };
    let outcome = client
        .wait_for_job(&GetJobDetailsRequest::new("p", "j"), &short, |_| {})
        .await;
    assert!(
        matches!(outcome, WaitOutcome::TimedOut { last: Some(_) }),
        "{outcome:?}"
    );
}
