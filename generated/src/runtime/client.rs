//! What the clients share (features `blocking` and `async`): the logic of calling and of
//! waiting, written once as two small state machines that do no I/O ([`Call`] and [`Waiting`]),
//! which the blocking and the async client drive with their own transport and sleep. Limits,
//! timeouts, retries, errors and progress are therefore the same by construction.

use super::{Credentials, JobView, Operation, RequestError, ResponseError, TaskState, Timestamp};
use std::fmt;
use std::time::{Duration, Instant};

/// How failed attempts are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (1: no retry).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubled after each, up to `max_backoff`.
    pub initial_backoff: Duration,
    /// Largest backoff. Each wait is a random duration up to the backoff ("full jitter").
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (0-based), jittered.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry.min(16)));
        let cap = exp.min(self.max_backoff);
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        if nanos == 0 {
            return Duration::ZERO;
        }
        Duration::from_nanos(random_u64() % (nanos + 1))
    }
}

/// A random number from the standard library's randomly seeded hasher (no extra dependency).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.finish()
}

/// Why a call failed. Every variant that has a response carries its `X-Request-Id`.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The request could not be built or authenticated.
    Request(RequestError),
    /// No response: connection refused, DNS, TLS… after every attempt.
    Transport {
        /// What the last attempt said.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// No response within the timeout.
    Timeout {
        /// The timeout.
        after: Duration,
        /// Attempts made.
        attempts: u32,
    },
    /// The API answered with an error (after retries, for 429 and 5xx), or with a body that
    /// does not match the model.
    Response {
        /// The typed error, with status, `error_code`, `error_msg` and request id.
        error: ResponseError,
        /// Attempts made.
        attempts: u32,
    },
}

impl ClientError {
    /// The `X-Request-Id` of the answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Response { error, .. } => error.request_id(),
            _ => None,
        }
    }

    /// The HTTP status, when there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Response { error, .. } => Some(error.status()),
            _ => None,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Request(e) => write!(f, "cannot build the request: {e}"),
            ClientError::Transport { message, attempts } => {
                write!(f, "no response after {attempts} attempt(s): {message}")
            }
            ClientError::Timeout { after, attempts } => {
                write!(f, "no response within {after:?} ({attempts} attempt(s))")
            }
            ClientError::Response { error, attempts } => {
                write!(f, "{error} (after {attempts} attempt(s))")
            }
        }
    }
}

impl std::error::Error for ClientError {}

impl From<RequestError> for ClientError {
    fn from(e: RequestError) -> Self {
        ClientError::Request(e)
    }
}

/// How long and how often the clients' `wait_for_job` polls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// Give up after this long.
    pub deadline: Duration,
    /// Pause after the first poll; doubled after each poll, up to `max_interval`.
    pub initial_interval: Duration,
    /// Longest pause between polls.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            deadline: Duration::from_secs(30 * 60),
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
        }
    }
}

/// What a poll saw, for progress reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// 1 for the first poll.
    pub poll: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
    /// The job's state.
    pub state: Option<String>,
    /// The job's progress, when the API reports one.
    pub progress: Option<f64>,
    /// Tasks that are new or changed since the previous poll (all of them on the first).
    pub changed_tasks: Vec<TaskState>,
}

/// How waiting ended.
#[derive(Debug)]
pub enum WaitOutcome<T> {
    /// The job reached a terminal state (which may be a failure: look at `state`).
    Finished {
        /// The terminal state, as on the wire (`SUCCEEDED`, `FAILED`, `success`…).
        state: String,
        /// The last answer.
        details: T,
    },
    /// The deadline passed first.
    TimedOut {
        /// The last answer, if any poll succeeded.
        last: Option<T>,
    },
    /// A poll failed (after the client's retries).
    Failed(ClientError),
}

/// What an attempt produced, for the retry decision.
pub(crate) enum Attempt {
    /// An answer with this status and `Retry-After` (seconds).
    Answer {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// No answer (connection refused, reset, DNS…); timeouts are not retried.
    NoAnswer,
}

/// The pause before the next attempt, or `None` when the attempt is final.
pub(crate) fn retry_pause(policy: &RetryPolicy, attempt: u32, what: Attempt) -> Option<Duration> {
    if attempt >= policy.max_attempts.max(1) {
        return None;
    }
    let wait = policy.backoff(attempt - 1);
    match what {
        Attempt::Answer {
            status,
            retry_after,
        } if status == 429 || (500..600).contains(&status) => {
            Some(retry_after.map_or(wait, |r| r.min(policy.max_backoff).max(wait)))
        }
        Attempt::Answer { .. } => None,
        Attempt::NoAnswer => Some(wait),
    }
}

/// `Retry-After` in seconds.
pub(crate) fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

/// The bookkeeping of `wait_for_job`, shared by both clients. It reads no clock: every method
/// is given the time, so that tests drive it with times of their own.
pub(crate) struct Tracker {
    started: Instant,
    interval: Duration,
    previous: Vec<TaskState>,
    poll: u32,
}

impl Tracker {
    pub(crate) fn new(options: &WaitOptions, now: Instant) -> Self {
        Tracker {
            started: now,
            interval: options.initial_interval,
            previous: Vec::new(),
            poll: 0,
        }
    }

    /// The progress report of a poll's answer.
    pub(crate) fn observe<T: JobView>(&mut self, details: &T, now: Instant) -> Progress {
        self.poll += 1;
        let tasks = details.job_tasks();
        let changed_tasks = tasks
            .iter()
            .enumerate()
            .filter(|(i, t)| self.previous.get(*i) != Some(*t))
            .map(|(_, t)| t.clone())
            .collect();
        self.previous = tasks;
        Progress {
            poll: self.poll,
            elapsed: now.saturating_duration_since(self.started),
            state: details.job_state(),
            progress: details.job_progress(),
            changed_tasks,
        }
    }

    /// The pause before the next poll, or `None` when the deadline leaves no time for one.
    pub(crate) fn pause(&mut self, options: &WaitOptions, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.started);
        if elapsed >= options.deadline {
            return None;
        }
        let pause = self.interval.min(options.deadline - elapsed);
        self.interval = self.interval.saturating_mul(2).min(options.max_interval);
        Some(pause)
    }

    /// Whether the deadline has passed.
    pub(crate) fn expired(&self, options: &WaitOptions, now: Instant) -> bool {
        now.saturating_duration_since(self.started) >= options.deadline
    }
}

/// What both clients are configured with. `Debug` shows the credentials redacted.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) base_url: String,
    pub(crate) credentials: Credentials,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl Config {
    /// Defaults: 30 s per attempt, [`RetryPolicy::default`].
    pub(crate) fn new(base_url: String, credentials: Credentials) -> Self {
        Config {
            base_url,
            credentials,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// The largest response body either client reads (64 MiB); a larger one is an error.
pub(crate) const MAX_BODY: usize = 64 * 1024 * 1024;

/// What one attempt's transport produced.
pub(crate) enum Outcome {
    /// An answer, its body read whole.
    Answer {
        status: u16,
        headers: http::HeaderMap,
        body: Vec<u8>,
    },
    /// An answer whose body is larger than [`MAX_BODY`].
    TooLarge { status: u16 },
    /// No answer within the timeout.
    Timeout,
    /// No answer: connection refused, reset, DNS, TLS…
    Failed(String),
}

/// What a client does next.
pub(crate) enum Next<T> {
    /// Wait this long, then make another attempt.
    Retry(Duration),
    /// The call is over.
    Done(Result<T, ClientError>),
}

/// One call of an operation, as a state machine: [`Call::request`] gives each attempt's
/// request (built and authenticated afresh at the time it is given, so a signature's date is
/// current), and [`Call::outcome`] reads what the transport produced and says whether to retry.
/// It does no I/O and reads no clock.
pub(crate) struct Call<'a, O> {
    operation: &'a O,
    config: &'a Config,
    attempt: u32,
}

impl<'a, O: Operation> Call<'a, O> {
    pub(crate) fn new(operation: &'a O, config: &'a Config) -> Self {
        Call {
            operation,
            config,
            attempt: 0,
        }
    }

    /// The request of the next attempt.
    pub(crate) fn request(
        &mut self,
        now: Timestamp,
    ) -> Result<http::Request<Vec<u8>>, ClientError> {
        self.attempt += 1;
        let mut request = self.operation.build_request(&self.config.base_url)?;
        self.config.credentials.apply(&mut request, now, &O::AUTH)?;
        Ok(request)
    }

    /// What to do after the current attempt's outcome.
    pub(crate) fn outcome(&self, outcome: Outcome) -> Next<O::Output> {
        let attempts = self.attempt;
        let policy = &self.config.retry;
        match outcome {
            Outcome::Answer {
                status,
                headers,
                body,
            } => {
                let what = Attempt::Answer {
                    status,
                    retry_after: retry_after(&headers),
                };
                match retry_pause(policy, attempts, what) {
                    Some(pause) => Next::Retry(pause),
                    None => Next::Done(
                        O::parse_response(status, &headers, &body)
                            .map_err(|error| ClientError::Response { error, attempts }),
                    ),
                }
            }
            Outcome::TooLarge { status } => Next::Done(Err(ClientError::Transport {
                message: format!(
                    "HTTP {status}: the response body is larger than {} MiB",
                    MAX_BODY >> 20
                ),
                attempts,
            })),
            // A timeout is not retried: the policy's attempts would multiply the wait.
            Outcome::Timeout => Next::Done(Err(ClientError::Timeout {
                after: self.config.timeout,
                attempts,
            })),
            Outcome::Failed(message) => match retry_pause(policy, attempts, Attempt::NoAnswer) {
                Some(pause) => Next::Retry(pause),
                None => Next::Done(Err(ClientError::Transport { message, attempts })),
            },
        }
    }
}

/// Waiting for a job, as a state machine: [`Waiting::before_poll`] says whether the deadline
/// has passed, [`Waiting::after_poll`] reads a poll's result, reports progress, and gives the
/// pause before the next poll or the outcome. Both are given the time; it reads no clock.
pub(crate) struct Waiting<T> {
    tracker: Tracker,
    options: WaitOptions,
    last: Option<T>,
}

impl<T: JobView> Waiting<T> {
    pub(crate) fn new(options: &WaitOptions, now: Instant) -> Self {
        Waiting {
            tracker: Tracker::new(options, now),
            options: *options,
            last: None,
        }
    }

    /// `Some(outcome)` when the deadline passed while pausing.
    pub(crate) fn before_poll(&mut self, now: Instant) -> Option<WaitOutcome<T>> {
        (self.last.is_some() && self.tracker.expired(&self.options, now)).then(|| {
            WaitOutcome::TimedOut {
                last: self.last.take(),
            }
        })
    }

    /// After a poll: the pause before the next one, or how waiting ended.
    pub(crate) fn after_poll(
        &mut self,
        result: Result<T, ClientError>,
        now: Instant,
        on_progress: &mut impl FnMut(&Progress),
    ) -> Result<Duration, WaitOutcome<T>> {
        let details = result.map_err(WaitOutcome::Failed)?;
        let progress = self.tracker.observe(&details, now);
        on_progress(&progress);
        if details.job_finished() {
            return Err(WaitOutcome::Finished {
                state: progress.state.unwrap_or_default(),
                details,
            });
        }
        match self.tracker.pause(&self.options, now) {
            Some(pause) => {
                self.last = Some(details);
                Ok(pause)
            }
            None => Err(WaitOutcome::TimedOut {
                last: Some(details),
            }),
        }
    }
}

/// The two state machines driven by hand, with times of the test's own: no socket, no sleep.
#[cfg(test)]
mod tests;
