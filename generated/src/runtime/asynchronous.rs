//! An async client on `reqwest` (feature `async`, tokio runtime): the same behaviour as the
//! blocking client — credentials on every attempt, a per-request timeout, bounded retries with
//! jittered backoff on connection errors, 429 and 5xx, and waiting for a job.

use super::client::{retry_after, retry_pause, Attempt, Config, Tracker};
use super::{
    ClientError, Credentials, JobView, Operation, Progress, RetryPolicy, Timestamp, WaitOptions,
    WaitOutcome,
};
use std::fmt;
use std::time::Duration;

/// An async client for one endpoint.
pub struct AsyncClient {
    http: reqwest::Client,
    config: Config,
}

impl fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AsyncClient").field(&self.config).finish()
    }
}

fn http_client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

impl AsyncClient {
    /// A client for a base URL. Defaults: 30 s per attempt, [`RetryPolicy::default`].
    pub fn new(base_url: impl Into<String>, credentials: Credentials) -> Self {
        let config = Config::new(base_url.into(), credentials);
        AsyncClient {
            http: http_client(config.timeout),
            config,
        }
    }

    /// Sets the timeout of each attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = timeout;
        self.http = http_client(timeout);
        self
    }

    /// Sets the retry policy.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    /// Sends an operation and reads its typed answer, retrying as the policy says.
    pub async fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, ClientError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = operation.build_request(&self.config.base_url)?;
            self.config
                .credentials
                .apply(&mut request, Timestamp::now(), &O::AUTH)?;
            let request =
                reqwest::Request::try_from(request).map_err(|e| ClientError::Transport {
                    message: e.to_string(),
                    attempts: attempt,
                })?;
            let answer = match self.http.execute(request).await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    response.bytes().await.map(|body| (status, headers, body))
                }
                Err(e) => Err(e),
            };
            match answer {
                Ok((status, headers, body)) => {
                    let what = Attempt::Answer {
                        status,
                        retry_after: retry_after(&headers),
                    };
                    match retry_pause(&self.config.retry, attempt, what) {
                        Some(pause) => tokio::time::sleep(pause).await,
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
                Err(e) if e.is_timeout() => {
                    return Err(ClientError::Timeout {
                        after: self.config.timeout,
                        attempts: attempt,
                    })
                }
                Err(e) => match retry_pause(&self.config.retry, attempt, Attempt::NoAnswer) {
                    Some(pause) => tokio::time::sleep(pause).await,
                    None => {
                        return Err(ClientError::Transport {
                            message: e.to_string(),
                            attempts: attempt,
                        })
                    }
                },
            }
        }
    }

    /// Polls job details until the job reaches a terminal state (`x-terminal` in the spec), the
    /// deadline passes, or a poll fails; `on_progress` sees every poll.
    pub async fn wait_for_job<O>(
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
            let details = match self.call(operation).await {
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
                Some(pause) => tokio::time::sleep(pause).await,
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
