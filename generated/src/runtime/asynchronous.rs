//! An async client on `reqwest` (feature `async`, tokio runtime): it drives the same call and
//! wait logic as the blocking client ([`super::client`]) with reqwest and `tokio::time::sleep`.

use super::client::{Call, Config, Next, Outcome, Waiting, MAX_BODY};
use super::{
    ClientError, Credentials, JobView, Operation, Progress, RetryPolicy, Timestamp, WaitOptions,
    WaitOutcome,
};
use std::fmt;
use std::time::{Duration, Instant};

/// An async client for one endpoint.
pub struct AsyncClient {
    http: Result<reqwest::Client, String>,
    config: Config,
}

impl fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AsyncClient").field(&self.config).finish()
    }
}

/// The HTTP client for a timeout; a failure to build one is kept, and reported by the first
/// call (a client must never drop its timeout silently).
fn http_client(timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
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

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// Sends an operation and reads its typed answer, retrying as the policy says.
    pub async fn call<O: Operation>(&self, operation: &O) -> Result<O::Output, ClientError> {
        let mut call = Call::new(operation, &self.config);
        loop {
            let request = call.request(Timestamp::now())?;
            match call.outcome(self.send(request).await) {
                Next::Retry(pause) => tokio::time::sleep(pause).await,
                Next::Done(result) => return result,
            }
        }
    }

    /// One attempt over the wire.
    async fn send(&self, request: http::Request<Vec<u8>>) -> Outcome {
        let http = match &self.http {
            Ok(h) => h,
            Err(e) => return Outcome::Failed(e.clone()),
        };
        let request = match reqwest::Request::try_from(request) {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let mut response = match http.execute(request).await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Outcome::Timeout,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY {
                        return Outcome::TooLarge { status };
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Outcome::Timeout,
                Err(e) => return Outcome::Failed(e.to_string()),
            }
        }
        Outcome::Answer {
            status,
            headers,
            body,
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
        let mut waiting = Waiting::new(options, Instant::now());
        loop {
            if let Some(outcome) = waiting.before_poll(Instant::now()) {
                return outcome;
            }
            let result = self.call(operation).await;
            match waiting.after_poll(result, Instant::now(), &mut on_progress) {
                Ok(pause) => tokio::time::sleep(pause).await,
                Err(outcome) => return outcome,
            }
        }
    }
}
