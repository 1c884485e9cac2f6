//! Unit tests of the call and wait state machines, driven with times of the tests' own.

use super::*;
use crate::servicestage::GetJobDetailsRequest;

const DOC_EXAMPLE: &[u8] =
    br#"{"job":{"execution_status":"RUNNING","job_id":"J1"},"tasks":[],"task_count":0}"#;

fn answer(status: u16, retry_after: Option<&str>, body: &[u8]) -> Outcome {
    let mut headers = http::HeaderMap::new();
    if let Some(r) = retry_after {
        headers.insert("retry-after", r.parse().unwrap());
    }
    headers.insert("content-type", "application/json".parse().unwrap());
    Outcome::Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

fn config(credentials: Credentials) -> Config {
    Config::new("https://servicestage.example.com".into(), credentials)
}

#[test]
fn call_retries_5xx_and_429_honouring_retry_after_then_reads_the_answer() {
    let config = config(Credentials::token("t"));
    let op = GetJobDetailsRequest::new("p", "J1");
    let mut call = Call::new(&op, &config);
    let now = Timestamp::UNIX_EPOCH;
    let request = call.request(now).unwrap();
    assert_eq!(request.headers()["x-auth-token"], "t");
    match call.outcome(answer(503, Some("2"), b"busy")) {
        Next::Retry(pause) => assert_eq!(pause, Duration::from_secs(2)),
        Next::Done(_) => panic!("a 503 is retried"),
    }
    call.request(now).unwrap();
    // Retry-After beyond the policy's longest backoff is capped at it.
    match call.outcome(answer(429, Some("3600"), b"slow down")) {
        Next::Retry(pause) => assert_eq!(pause, config.retry.max_backoff),
        Next::Done(_) => panic!("a 429 is retried"),
    }
    call.request(now).unwrap();
    match call.outcome(answer(200, None, DOC_EXAMPLE)) {
        Next::Done(Ok(details)) => {
            assert_eq!(details.job.and_then(|j| j.job_id).as_deref(), Some("J1"))
        }
        _ => panic!("a 200 is read"),
    }
}

#[test]
fn call_gives_up_after_the_policy_s_attempts_and_never_retries_4xx_or_timeouts() {
    let config = config(Credentials::token("t"));
    let op = GetJobDetailsRequest::new("p", "J1");
    let mut call = Call::new(&op, &config);
    for attempt in 1..=config.retry.max_attempts {
        call.request(Timestamp::UNIX_EPOCH).unwrap();
        match call.outcome(answer(500, None, b"{}")) {
            Next::Retry(pause) => {
                assert!(attempt < config.retry.max_attempts);
                assert!(pause <= config.retry.max_backoff);
            }
            Next::Done(Err(ClientError::Response { attempts, error })) => {
                assert_eq!(attempts, config.retry.max_attempts);
                assert_eq!(error.status(), 500);
            }
            Next::Done(_) => panic!("attempt {attempt}"),
        }
    }
    for outcome in [answer(404, Some("1"), b"{}"), Outcome::Timeout] {
        let mut call = Call::new(&op, &config);
        call.request(Timestamp::UNIX_EPOCH).unwrap();
        match call.outcome(outcome) {
            Next::Done(Err(e)) => assert!(matches!(
                e,
                ClientError::Response { attempts: 1, .. }
                    | ClientError::Timeout { attempts: 1, .. }
            )),
            _ => panic!("not retried"),
        }
    }
    // No answer is retried like a 5xx.
    let mut call = Call::new(&op, &config);
    call.request(Timestamp::UNIX_EPOCH).unwrap();
    assert!(matches!(
        call.outcome(Outcome::Failed("refused".into())),
        Next::Retry(_)
    ));
}

#[test]
fn each_attempt_is_signed_at_the_time_it_is_given() {
    let config = config(Credentials::ak_sk("AK", "SK"));
    let op = GetJobDetailsRequest::new("p", "J1");
    let mut call = Call::new(&op, &config);
    for seconds in [1_700_000_000, 1_700_000_300] {
        let now = Timestamp::new(seconds, 0).unwrap();
        let request = call.request(now).unwrap();
        assert_eq!(
            request.headers()["x-sdk-date"],
            crate::runtime::signer::sdk_date(now).as_str()
        );
    }
}

struct Job {
    state: &'static str,
    done: bool,
}

impl JobView for Job {
    fn job_state(&self) -> Option<String> {
        Some(self.state.into())
    }
    fn job_finished(&self) -> bool {
        self.done
    }
    fn job_progress(&self) -> Option<f64> {
        None
    }
    fn job_tasks(&self) -> Vec<TaskState> {
        Vec::new()
    }
}

fn running() -> Result<Job, ClientError> {
    Ok(Job {
        state: "RUNNING",
        done: false,
    })
}

#[test]
fn waiting_doubles_its_pause_up_to_the_cap_and_stops_at_the_deadline() {
    let options = WaitOptions {
        deadline: Duration::from_secs(60),
        initial_interval: Duration::from_secs(2),
        max_interval: Duration::from_secs(5),
    };
    let t0 = Instant::now();
    let at = |s: u64| t0 + Duration::from_secs(s);
    let mut waiting = Waiting::new(&options, t0);
    let mut seen = Vec::new();
    let mut progress = |p: &Progress| seen.push((p.poll, p.elapsed));
    let pauses: Vec<Duration> = [1, 4, 9, 15]
        .into_iter()
        .map(|s| {
            waiting
                .after_poll(running(), at(s), &mut progress)
                .ok()
                .unwrap()
        })
        .collect();
    let secs = |s: &[u64]| {
        s.iter()
            .map(|s| Duration::from_secs(*s))
            .collect::<Vec<_>>()
    };
    assert_eq!(pauses, secs(&[2, 4, 5, 5]));
    assert_eq!(
        seen,
        [
            (1, secs(&[1])[0]),
            (2, secs(&[4])[0]),
            (3, secs(&[9])[0]),
            (4, secs(&[15])[0])
        ]
    );
    // The last pause never runs past the deadline.
    assert_eq!(
        waiting.after_poll(running(), at(58), &mut |_| {}).ok(),
        Some(Duration::from_secs(2))
    );
    assert!(waiting.before_poll(at(59)).is_none());
    match waiting.before_poll(at(60)) {
        Some(WaitOutcome::TimedOut { last: Some(job) }) => assert_eq!(job.state, "RUNNING"),
        _ => panic!("the deadline has passed"),
    }
    // A poll that answers at or after the deadline ends the wait with its answer.
    let mut late = Waiting::new(&options, t0);
    match late.after_poll(running(), at(61), &mut |_| {}) {
        Err(WaitOutcome::TimedOut { last: Some(_) }) => {}
        _ => panic!("no time is left for another poll"),
    }
}

#[test]
fn waiting_ends_on_a_terminal_state_or_a_failed_poll() {
    let options = WaitOptions::default();
    let t0 = Instant::now();
    let mut waiting = Waiting::new(&options, t0);
    // Before the first answer, the deadline alone does not end the wait.
    assert!(waiting.before_poll(t0 + options.deadline).is_none());
    let done = Ok(Job {
        state: "SUCCEEDED",
        done: true,
    });
    match waiting.after_poll(done, t0, &mut |_| {}) {
        Err(WaitOutcome::Finished { state, .. }) => assert_eq!(state, "SUCCEEDED"),
        _ => panic!("a terminal state ends the wait"),
    }
    let failed = Err(ClientError::Timeout {
        after: Duration::from_secs(1),
        attempts: 1,
    });
    let mut waiting = Waiting::<Job>::new(&options, t0);
    assert!(matches!(
        waiting.after_poll(failed, t0, &mut |_| {}),
        Err(WaitOutcome::Failed(ClientError::Timeout { .. }))
    ));
}
