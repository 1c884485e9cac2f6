//! A blocking client on `ureq` (feature `blocking`): credentials on every attempt, a
//! per-request timeout, and bounded retries with exponential backoff and jitter on connection
//! errors, 429 and 5xx (the operations are idempotent GETs).

use super::{Credentials, Operation, RequestError, ResponseError, Timestamp};
use std::fmt;
use std::time::Duration;

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

/// A blocking client for one endpoint.
pub struct BlockingClient {
    agent: ureq::Agent,
    base_url: String,
    credentials: Credentials,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingClient")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

impl BlockingClient {
    /// A client for a base URL (for a region: `servicestage::base_url("cn-north-4")?`).
    /// Defaults: 30 s per attempt, [`RetryPolicy::default`].
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        let timeout = Duration::from_secs(30);
        BlockingClient {
            agent: agent(timeout),
            base_url: base_url.into(),
            credentials,
            timeout,
            retry: RetryPolicy::default(),
        }
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self.agent = agent(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends an operation and reads its typed answer, retrying as the policy says.
    pub fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, ClientError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = operation.build_request(&self.base_url)?;
            self.credentials.apply(&mut request, Timestamp::now())?;
            let (parts, _) = request.into_parts();
            let last = attempt >= self.retry.max_attempts.max(1);
            match self.agent.run(http::Request::from_parts(parts, ())) {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    let retry_after = headers
                        .get("retry-after")
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<u64>().ok())
                        .map(Duration::from_secs);
                    let body = match response
                        .into_body()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_vec()
                    {
                        Ok(b) => b,
                        Err(e) => {
                            if last {
                                return Err(transport_error(e, attempt, self.timeout));
                            }
                            std::thread::sleep(self.retry.backoff(attempt - 1));
                            continue;
                        }
                    };
                    let retryable = status == 429 || (500..600).contains(&status);
                    if retryable && !last {
                        let wait = self.retry.backoff(attempt - 1);
                        let wait =
                            retry_after.map_or(wait, |r| r.min(self.retry.max_backoff).max(wait));
                        std::thread::sleep(wait);
                        continue;
                    }
                    return O::parse_response(status, &headers, &body).map_err(|error| {
                        ClientError::Response {
                            error,
                            attempts: attempt,
                        }
                    });
                }
                Err(e) => {
                    let timed_out = matches!(e, ureq::Error::Timeout(_));
                    if last || timed_out {
                        return Err(transport_error(e, attempt, self.timeout));
                    }
                    std::thread::sleep(self.retry.backoff(attempt - 1));
                }
            }
        }
    }
}

fn transport_error(e: ureq::Error, attempts: u32, timeout: Duration) -> ClientError {
    match e {
        ureq::Error::Timeout(_) => ClientError::Timeout {
            after: timeout,
            attempts,
        },
        other => ClientError::Transport {
            message: other.to_string(),
            attempts,
        },
    }
}

/// How long and how often [`BlockingClient::wait_for_job`] polls.
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
    pub changed_tasks: Vec<super::TaskState>,
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

impl BlockingClient {
    /// Polls job details until the job reaches a terminal state (`x-terminal` in the spec), the
    /// deadline passes, or a poll fails; `on_progress` sees every poll.
    pub fn wait_for_job<O>(
        &self,
        operation: &O,
        options: &WaitOptions,
        mut on_progress: impl FnMut(&Progress),
    ) -> WaitOutcome<O::Output>
    where
        O: Operation,
        O::Output: super::JobView,
    {
        let started = std::time::Instant::now();
        let mut interval = options.initial_interval;
        let mut previous: Vec<super::TaskState> = Vec::new();
        let mut poll = 0;
        loop {
            poll += 1;
            let details = match self.call(operation) {
                Ok(d) => d,
                Err(e) => return WaitOutcome::Failed(e),
            };
            let tasks = super::JobView::job_tasks(&details);
            let changed_tasks = tasks
                .iter()
                .enumerate()
                .filter(|(i, t)| previous.get(*i) != Some(*t))
                .map(|(_, t)| t.clone())
                .collect();
            previous = tasks;
            let state = super::JobView::job_state(&details);
            on_progress(&Progress {
                poll,
                elapsed: started.elapsed(),
                state: state.clone(),
                progress: super::JobView::job_progress(&details),
                changed_tasks,
            });
            if super::JobView::job_finished(&details) {
                return WaitOutcome::Finished {
                    state: state.unwrap_or_default(),
                    details,
                };
            }
            let elapsed = started.elapsed();
            if elapsed >= options.deadline {
                return WaitOutcome::TimedOut {
                    last: Some(details),
                };
            }
            std::thread::sleep(interval.min(options.deadline - elapsed));
            if started.elapsed() >= options.deadline {
                return WaitOutcome::TimedOut {
                    last: Some(details),
                };
            }
            interval = interval.saturating_mul(2).min(options.max_interval);
        }
    }
}
