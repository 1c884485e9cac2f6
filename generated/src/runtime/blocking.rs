//! A blocking client on `ureq` (feature `blocking`): credentials on every attempt, a
//! per-request timeout, and bounded retries with exponential backoff and jitter on connection
//! errors, 429 and 5xx (the operations are idempotent GETs).

use super::client::{retry_after, retry_pause, Attempt, Config, Tracker};
use super::Progress;
use super::{
    ClientError, Credentials, JobView, Operation, RetryPolicy, Timestamp, WaitOptions, WaitOutcome,
};
use std::fmt;
use std::time::Duration;

/// A blocking client for one endpoint.
pub struct BlockingClient {
    agent: ureq::Agent,
    config: Config,
}

impl fmt::Debug for BlockingClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingClient").field(&self.config).finish()
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
        let config = Config::new(base_url.into(), credentials);
        BlockingClient {
            agent: agent(config.timeout),
            config,
        }
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self.agent = agent(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Sends an operation and reads its typed answer, retrying as the policy says.
    pub fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, ClientError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = operation.build_request(&self.config.base_url)?;
            self.config
                .credentials
                .apply(&mut request, Timestamp::now(), &O::AUTH)?;
            let (parts, _) = request.into_parts();
            let answer = self
                .agent
                .run(http::Request::from_parts(parts, ()))
                .and_then(|response| {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    let body = response
                        .into_body()
                        .with_config()
                        .limit(64 * 1024 * 1024)
                        .read_to_vec()?;
                    Ok((status, headers, body))
                });
            match answer {
                Ok((status, headers, body)) => {
                    let what = Attempt::Answer {
                        status,
                        retry_after: retry_after(&headers),
                    };
                    match retry_pause(&self.config.retry, attempt, what) {
                        Some(pause) => std::thread::sleep(pause),
                        None => {
                            return O::parse_response(status, &headers, &body).map_err(|error| {
                                ClientError::Response {
                                    error,
                                    attempts: attempt,
                                }
                            })
                        }
                    }
                }
                Err(e) => {
                    let pause = match e {
                        ureq::Error::Timeout(_) => None,
                        _ => retry_pause(&self.config.retry, attempt, Attempt::NoAnswer),
                    };
                    match pause {
                        Some(pause) => std::thread::sleep(pause),
                        None => return Err(transport_error(e, attempt, self.config.timeout)),
                    }
                }
            }
        }
    }

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
        O::Output: JobView,
    {
        let mut tracker = Tracker::new(options);
        loop {
            let details = match self.call(operation) {
                Ok(d) => d,
                Err(e) => return WaitOutcome::Failed(e),
            };
            let progress = tracker.observe(&details);
            on_progress(&progress);
            if details.job_finished() {
                return WaitOutcome::Finished {
                    state: progress.state.unwrap_or_default(),
                    details,
                };
            }
            match tracker.pause(options) {
                Some(pause) => std::thread::sleep(pause),
                None => {
                    return WaitOutcome::TimedOut {
                        last: Some(details),
                    }
                }
            }
            if tracker.expired(options) {
                return WaitOutcome::TimedOut {
                    last: Some(details),
                };
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
