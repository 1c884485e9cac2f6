//! The blocking client against real loopback servers: success, a typed 404, a 503 retried into
//! a 200, a hang that hits the timeout, a refused connection, and signed requests.
#![cfg(feature = "blocking")]

use hwc_jobs::runtime::{BlockingClient, ClientError, Credentials, RetryPolicy};
use hwc_jobs::servicestage::GetJobDetailsRequest;
use std::net::TcpListener;
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

#[test]
fn success_with_a_token() {
    let (addr, srv) = server(vec![(200, OK, NOW)]);
    let client = BlockingClient::new(&addr, Credentials::token("TOKEN-1"));
    let details = client.call(&GetJobDetailsRequest::new("p", "j")).unwrap();
    assert_eq!(details.task_count, Some(0));
    let heads = srv.join().unwrap();
    assert!(heads[0]
        .to_ascii_lowercase()
        .contains("x-auth-token: token-1"));
}

#[test]
fn a_404_is_a_typed_error_with_the_request_id() {
    let (addr, srv) = server(vec![(404, NOT_FOUND, NOW)]);
    let client = BlockingClient::new(&addr, Credentials::token("t")).retry(fast_retry(3));
    let err = client
        .call(&GetJobDetailsRequest::new("p", "j"))
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-404"));
    let ClientError::Response {
        error: hwc_jobs::runtime::ResponseError::Api(api),
        attempts,
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(*attempts, 1, "a 404 is not retried");
    assert_eq!(api.error_code.as_deref(), Some("SVCSTG.00100429"));
    assert_eq!(srv.join().unwrap().len(), 1);
}

#[test]
fn a_503_then_a_200_is_retried() {
    let (addr, srv) = server(vec![(503, "busy", NOW), (429, "{}", NOW), (200, OK, NOW)]);
    let client = BlockingClient::new(&addr, Credentials::ak_sk("AK", "SK")).retry(fast_retry(4));
    let details = client.call(&GetJobDetailsRequest::new("p", "j")).unwrap();
    assert_eq!(details.task_count, Some(0));
    let heads = srv.join().unwrap();
    assert_eq!(heads.len(), 3);
    assert!(
        heads
            .iter()
            .all(|h| h.contains("SDK-HMAC-SHA256 Access=AK")),
        "every attempt is signed"
    );
}

#[test]
fn retries_are_bounded() {
    let (addr, srv) = server(vec![
        (500, "{}", NOW),
        (502, "<html>bad gateway</html>", NOW),
    ]);
    let client = BlockingClient::new(&addr, Credentials::token("t")).retry(fast_retry(2));
    let err = client
        .call(&GetJobDetailsRequest::new("p", "j"))
        .unwrap_err();
    let ClientError::Response { attempts, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(*attempts, 2);
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.request_id(), Some("req-502"));
    srv.join().unwrap();
}

#[test]
fn a_hang_hits_the_timeout() {
    let (addr, srv) = server(vec![(200, OK, Duration::from_millis(800))]);
    let client = BlockingClient::new(&addr, Credentials::token("t"))
        .timeout(Duration::from_millis(150))
        .retry(fast_retry(3));
    let started = Instant::now();
    let err = client
        .call(&GetJobDetailsRequest::new("p", "j"))
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Timeout { attempts: 1, .. }),
        "{err}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "gave up at the timeout"
    );
    srv.join().unwrap();
}

#[test]
fn a_refused_connection_is_retried_then_reported() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = BlockingClient::new(format!("http://127.0.0.1:{port}"), Credentials::token("t"))
        .retry(fast_retry(3));
    let err = client
        .call(&GetJobDetailsRequest::new("p", "j"))
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Transport { attempts: 3, .. }),
        "{err}"
    );
}

#[test]
fn backoff_grows_and_is_capped() {
    let p = RetryPolicy {
        max_attempts: 10,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_millis(400),
    };
    for _ in 0..50 {
        assert!(p.backoff(0) <= Duration::from_millis(100));
        assert!(p.backoff(1) <= Duration::from_millis(200));
        assert!(p.backoff(9) <= Duration::from_millis(400));
    }
    let client = BlockingClient::new("https://h", Credentials::ak_sk("AK", "SECRET-SK"));
    assert!(!format!("{client:?}").contains("SECRET-SK"));
}

mod waiting {
    use super::*;
    use hwc_jobs::cae;
    use hwc_jobs::runtime::{JobView, WaitOptions, WaitOutcome};

    fn quick(deadline_ms: u64) -> WaitOptions {
        WaitOptions {
            deadline: Duration::from_millis(deadline_ms),
            initial_interval: Duration::from_millis(5),
            max_interval: Duration::from_millis(20),
        }
    }

    const RUNNING_1: &str = r#"{"job":{"execution_status":"RUNNING"},"tasks":[{"task_name":"PREPARE","task_status":"RUNNING"}]}"#;
    const RUNNING_2: &str = r#"{"job":{"execution_status":"RUNNING"},"tasks":[{"task_name":"PREPARE","task_status":"SUCCEEDED"},{"task_name":"UPGRADE","task_status":"RUNNING"}]}"#;
    const DONE: &str = r#"{"job":{"execution_status":"SUCCEEDED"},"tasks":[{"task_name":"PREPARE","task_status":"SUCCEEDED"},{"task_name":"UPGRADE","task_status":"SUCCEEDED"}]}"#;

    #[test]
    fn running_to_succeeded_over_several_polls() {
        let (addr, srv) = server(vec![
            (200, RUNNING_1, NOW),
            (200, RUNNING_2, NOW),
            (200, DONE, NOW),
        ]);
        let client = BlockingClient::new(&addr, Credentials::token("t"));
        let mut seen = Vec::new();
        let outcome =
            client.wait_for_job(&GetJobDetailsRequest::new("p", "j"), &quick(5_000), |p| {
                seen.push((p.poll, p.state.clone(), p.changed_tasks.len()))
            });
        let WaitOutcome::Finished { state, details } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(state, "SUCCEEDED");
        assert_eq!(details.job_tasks().len(), 2);
        assert_eq!(
            seen,
            [
                (1, Some("RUNNING".to_owned()), 1),
                (2, Some("RUNNING".to_owned()), 2),
                (3, Some("SUCCEEDED".to_owned()), 1)
            ]
        );
        assert_eq!(srv.join().unwrap().len(), 3);
    }

    #[test]
    fn a_failed_job_is_finished_too() {
        let failed = r#"{"job":{"execution_status":"ROLLBACKED"}}"#;
        let (addr, _srv) = server(vec![(200, failed, NOW)]);
        let client = BlockingClient::new(&addr, Credentials::token("t"));
        let outcome =
            client.wait_for_job(&GetJobDetailsRequest::new("p", "j"), &quick(5_000), |_| {});
        assert!(
            matches!(outcome, WaitOutcome::Finished { ref state, .. } if state == "ROLLBACKED"),
            "{outcome:?}"
        );
    }

    #[test]
    fn cae_progress_and_lowercase_states() {
        let (addr, _srv) = server(vec![
            (
                200,
                r#"{"spec":{"progress":30,"status":"running","tasks":[{"name":"upgrade","status":"running"}]}}"#,
                NOW,
            ),
            (
                200,
                r#"{"spec":{"progress":100,"status":"success","tasks":[{"name":"upgrade","status":"success"}]}}"#,
                NOW,
            ),
        ]);
        let client = BlockingClient::new(&addr, Credentials::token("t"));
        let mut progress = Vec::new();
        let outcome = client.wait_for_job(
            &cae::GetJobDetailsRequest::new("p", "j", "env"),
            &quick(5_000),
            |p| progress.push(p.progress),
        );
        assert!(
            matches!(outcome, WaitOutcome::Finished { ref state, .. } if state == "success"),
            "{outcome:?}"
        );
        assert_eq!(progress, [Some(30.0), Some(100.0)]);
    }

    #[test]
    fn a_job_that_never_finishes_times_out() {
        let (addr, _srv) = server(vec![(200, RUNNING_1, NOW); 50]);
        let client = BlockingClient::new(&addr, Credentials::token("t"));
        let started = Instant::now();
        let mut polls = 0;
        let outcome =
            client.wait_for_job(&GetJobDetailsRequest::new("p", "j"), &quick(120), |_| {
                polls += 1
            });
        assert!(
            matches!(outcome, WaitOutcome::TimedOut { last: Some(_) }),
            "{outcome:?}"
        );
        assert!(polls >= 2);
        assert!(started.elapsed() < Duration::from_millis(600));
    }

    #[test]
    fn an_api_error_ends_the_wait() {
        let (addr, _srv) = server(vec![(404, NOT_FOUND, NOW)]);
        let client = BlockingClient::new(&addr, Credentials::token("t"));
        let outcome =
            client.wait_for_job(&GetJobDetailsRequest::new("p", "j"), &quick(5_000), |_| {});
        let WaitOutcome::Failed(e) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(e.request_id(), Some("req-404"));
    }

    #[test]
    fn terminal_states_come_from_the_spec() {
        use hwc_jobs::runtime::Terminal;
        use hwc_jobs::servicestage::ExecutionStatus;
        assert_eq!(
            ExecutionStatus::TERMINAL,
            [
                "SUCCEEDED",
                "FAILED",
                "CANCELLED",
                "PARTIALLY_FAILED",
                "ROLLBACKED"
            ]
        );
        assert!(!ExecutionStatus::Unknown.is_terminal());
        assert!(!ExecutionStatus::from("PAUSED").is_terminal());
        assert!(cae::JobStatus::Terminated.is_terminal());
        assert!(!cae::JobStatus::Terminating.is_terminal());
    }
}
