//! The same scenarios against both clients, from one table: the blocking and the async client
//! drive one call-and-wait core, so they must agree on results, attempts, errors and limits.
#![cfg(all(feature = "blocking", feature = "async"))]

use hwc_jobs::runtime::{
    AsyncClient, BlockingClient, ClientError, Credentials, ResponseError, RetryPolicy, WaitOptions,
    WaitOutcome,
};
use hwc_jobs::servicestage::{GetJobDetailsRequest, JobDetails};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

/// What the server does for one connection.
#[derive(Clone, Copy)]
enum Answer {
    /// Status and body.
    Says(u16, &'static str),
    /// Waits this long before answering 200.
    Hangs(Duration),
    /// Answers 200 with a body one byte over the clients' 64 MiB limit.
    Huge,
}

const OK: &str = r#"{"job":{"execution_status":"SUCCEEDED"},"tasks":[],"task_count":0}"#;
const RUNNING: &str =
    r#"{"job":{"execution_status":"RUNNING"},"tasks":[{"task_name":"a","task_status":"RUNNING"}]}"#;

fn serve(script: Vec<Answer>) -> (String, std::thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut served = 0;
        for answer in script {
            let Ok((mut s, _)) = listener.accept() else {
                break;
            };
            served += 1;
            let mut reader = BufReader::new(s.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let (status, body): (u16, Vec<u8>) = match answer {
                Answer::Says(status, body) => (status, body.as_bytes().to_vec()),
                Answer::Hangs(d) => {
                    std::thread::sleep(d);
                    (200, OK.as_bytes().to_vec())
                }
                Answer::Huge => (200, vec![b' '; 64 * 1024 * 1024 + 1]),
            };
            let _ = write!(
                s,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: req-{status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = s.write_all(&body);
        }
        served
    });
    (addr, handle)
}

/// A result both clients can be compared on.
fn summary(r: &Result<JobDetails, ClientError>) -> String {
    match r {
        Ok(d) => format!("ok task_count={:?}", d.task_count),
        Err(ClientError::Response {
            error: ResponseError::Api(e),
            attempts,
        }) => {
            format!("api {} {:?} after {attempts}", e.status, e.request_id)
        }
        Err(ClientError::Response { error, attempts }) => {
            format!("response {} after {attempts}", error.status())
        }
        Err(ClientError::Timeout { attempts, .. }) => format!("timeout after {attempts}"),
        Err(ClientError::Transport { message, attempts }) => {
            let kind = if message.contains("larger than 64 MiB") {
                "too large"
            } else {
                "transport"
            };
            format!("{kind} after {attempts}")
        }
        Err(e) => format!("other {e}"),
    }
}

fn retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
    }
}

/// (name, script, attempts allowed, expected summary, requests the server sees)
type Scenario = (&'static str, Vec<Answer>, u32, &'static str, usize);

fn scenarios() -> Vec<Scenario> {
    use Answer::*;
    vec![
        (
            "success",
            vec![Says(200, OK)],
            3,
            "ok task_count=Some(0)",
            1,
        ),
        (
            "a typed 404, not retried",
            vec![Says(
                404,
                r#"{"error_code":"SVCSTG.00100429","error_msg":"job not found"}"#,
            )],
            3,
            r#"api 404 Some("req-404") after 1"#,
            1,
        ),
        (
            "503 and 429 retried into a 200",
            vec![Says(503, "busy"), Says(429, "{}"), Says(200, OK)],
            4,
            "ok task_count=Some(0)",
            3,
        ),
        (
            "retries are bounded",
            vec![Says(503, "busy"), Says(503, "busy"), Says(503, "busy")],
            3,
            "api 503 Some(\"req-503\") after 3",
            3,
        ),
        (
            "a hang hits the timeout, not retried",
            vec![Hangs(Duration::from_secs(3))],
            3,
            "timeout after 1",
            1,
        ),
        (
            "a body over the limit is an error",
            vec![Huge],
            3,
            "too large after 1",
            1,
        ),
        (
            "a body that is not the model",
            vec![Says(200, r#"{"task_count":"two"}"#)],
            3,
            "response 200 after 1",
            1,
        ),
    ]
}

#[test]
fn both_clients_behave_the_same() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for (name, script, attempts, want, requests) in scenarios() {
        for which in ["blocking", "async"] {
            let (addr, server) = serve(script.clone());
            let op = GetJobDetailsRequest::new("p", "j");
            // Short only where the timeout is the point; 64 MiB takes time on a loaded machine.
            let timeout = if matches!(script[0], Answer::Hangs(_)) {
                Duration::from_millis(400)
            } else {
                Duration::from_secs(60)
            };
            let got = if which == "blocking" {
                BlockingClient::new(&addr, Credentials::token("t"))
                    .timeout(timeout)
                    .retry(retry(attempts))
                    .call(&op)
            } else {
                let client = AsyncClient::new(&addr, Credentials::token("t"))
                    .timeout(timeout)
                    .retry(retry(attempts));
                assert_eq!(client.base_url(), addr);
                runtime.block_on(client.call(&op))
            };
            assert_eq!(summary(&got), want, "{name} ({which})");
            assert_eq!(
                server.join().unwrap(),
                requests,
                "{name} ({which}): requests served"
            );
        }
    }
    // A refused connection: retried, then reported, by both.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("http://127.0.0.1:{port}");
    let op = GetJobDetailsRequest::new("p", "j");
    let blocking = BlockingClient::new(&addr, Credentials::token("t"))
        .retry(retry(2))
        .call(&op);
    let asynchronous = runtime.block_on(
        AsyncClient::new(&addr, Credentials::token("t"))
            .retry(retry(2))
            .call(&op),
    );
    assert_eq!(summary(&blocking), "transport after 2");
    assert_eq!(summary(&asynchronous), "transport after 2");
}

#[test]
fn both_clients_wait_the_same() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let quick = |deadline_ms| WaitOptions {
        deadline: Duration::from_millis(deadline_ms),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
    };
    let outcome = |o: WaitOutcome<JobDetails>, polls: u32| match o {
        WaitOutcome::Finished { state, .. } => format!("finished {state} after {polls}"),
        WaitOutcome::TimedOut { last } => {
            format!("timed out, last {}, after {polls}", last.is_some())
        }
        WaitOutcome::Failed(e) => format!("failed {} after {polls}", summary(&Err(e))),
    };
    use Answer::*;
    let cases: Vec<(Vec<Answer>, u64, &str)> = vec![
        (
            vec![Says(200, RUNNING), Says(200, RUNNING), Says(200, OK)],
            5_000,
            "finished SUCCEEDED after 3",
        ),
        (
            vec![Says(200, RUNNING); 40],
            150,
            "timed out, last true, after",
        ),
        (
            vec![Says(200, RUNNING), Says(404, "{}")],
            5_000,
            "failed api 404 Some(\"req-404\") after 1 after 1",
        ),
    ];
    for (script, deadline, want) in cases {
        let mut results = Vec::new();
        for which in ["blocking", "async"] {
            let (addr, server) = serve(script.clone());
            let op = GetJobDetailsRequest::new("p", "j");
            let mut polls = 0;
            let o = if which == "blocking" {
                BlockingClient::new(&addr, Credentials::token("t"))
                    .retry(retry(1))
                    .wait_for_job(&op, &quick(deadline), |_| polls += 1)
            } else {
                let client = AsyncClient::new(&addr, Credentials::token("t")).retry(retry(1));
                runtime.block_on(client.wait_for_job(&op, &quick(deadline), |_| polls += 1))
            };
            let got = outcome(o, polls);
            assert!(got.starts_with(want), "{which}: {got} (want {want})");
            drop(server);
            results.push(got);
        }
        if !want.starts_with("timed out") {
            assert_eq!(results[0], results[1]);
        }
    }
}
