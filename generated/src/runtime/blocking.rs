//! A blocking client on `ureq` (feature `blocking`): it drives the shared call and wait logic
//! of [`super::client`] (credentials on every attempt, a per-attempt timeout, bounded retries
//! with jittered backoff on connection errors, 429 and 5xx, a 64 MiB body limit) with ureq and
//! `std::thread::sleep`.

use super::client::{Call, Config, Next, Outcome, Waiting, MAX_BODY};
use super::{
    ClientError, Credentials, JobView, Operation, Progress, RetryPolicy, Timestamp, WaitOptions,
    WaitOutcome,
};
use std::fmt;
use std::time::{Duration, Instant};

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
        let mut call = Call::new(operation, &self.config);
        loop {
            let request = call.request(Timestamp::now())?;
            match call.outcome(self.send(request)) {
                Next::Retry(pause) => std::thread::sleep(pause),
                Next::Done(result) => return result,
            }
        }
    }

    /// One attempt over the wire.
    fn send(&self, request: http::Request<Vec<u8>>) -> Outcome {
        let (parts, body) = request.into_parts();
        let sent = if body.is_empty() {
            self.agent.run(http::Request::from_parts(parts, ()))
        } else {
            self.agent.run(http::Request::from_parts(parts, body))
        };
        let response = match sent {
            Ok(r) => r,
            Err(ureq::Error::Timeout(_)) => return Outcome::Timeout,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        match response
            .into_body()
            .with_config()
            .limit(MAX_BODY as u64)
            .read_to_vec()
        {
            Ok(body) => Outcome::Answer {
                status,
                headers,
                body,
            },
            Err(ureq::Error::BodyExceedsLimit(_)) => Outcome::TooLarge { status },
            Err(ureq::Error::Timeout(_)) => Outcome::Timeout,
            Err(e) => Outcome::Failed(e.to_string()),
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
        let mut waiting = Waiting::new(options, Instant::now());
        loop {
            if let Some(outcome) = waiting.before_poll(Instant::now()) {
                return outcome;
            }
            let result = self.call(operation);
            match waiting.after_poll(result, Instant::now(), &mut on_progress) {
                Ok(pause) => std::thread::sleep(pause),
                Err(outcome) => return outcome,
            }
        }
    }
}
