//! Wait for a job: `cargo run -p hwc-jobs --features blocking --example wait_job -- BASE_URL PROJECT_ID JOB_ID`
//!
//! Polls until the job reaches a terminal state (from the spec's `x-terminal`), printing each
//! poll and the tasks that changed. Credentials as in `show_job`. Against the replay server:
//! `cargo run -p conformance -- serve generated/examples/replay` serves a job that goes from
//! RUNNING to SUCCEEDED over three polls.

use hwc_jobs::runtime::{BlockingClient, Credentials, WaitOptions, WaitOutcome};
use hwc_jobs::servicestage::GetJobDetailsRequest;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, project_id, job_id] = args.as_slice() else {
        eprintln!("usage: wait_job BASE_URL PROJECT_ID JOB_ID");
        return ExitCode::from(2);
    };
    let credentials = match Credentials::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wait_job: {e}");
            return ExitCode::from(2);
        }
    };
    let client = BlockingClient::new(base_url.as_str(), credentials);
    let options = WaitOptions {
        deadline: Duration::from_secs(10 * 60),
        initial_interval: Duration::from_millis(500),
        max_interval: Duration::from_secs(15),
    };
    let request = GetJobDetailsRequest::new(project_id.as_str(), job_id.as_str());
    let outcome = client.wait_for_job(&request, &options, |p| {
        println!(
            "poll {} after {:.1?}: {}",
            p.poll,
            p.elapsed,
            p.state.as_deref().unwrap_or("(no state)")
        );
        for t in &p.changed_tasks {
            println!(
                "  {:<30} {}",
                t.name.as_deref().unwrap_or(""),
                t.status.as_deref().unwrap_or("")
            );
        }
    });
    match outcome {
        WaitOutcome::Finished { state, .. } if state == "SUCCEEDED" => {
            println!("finished: {state}");
            ExitCode::SUCCESS
        }
        WaitOutcome::Finished { state, .. } => {
            println!("finished: {state}");
            ExitCode::FAILURE
        }
        WaitOutcome::TimedOut { .. } => {
            eprintln!("wait_job: the job did not finish before the deadline");
            ExitCode::FAILURE
        }
        WaitOutcome::Failed(e) => {
            eprintln!("wait_job: {e}");
            ExitCode::FAILURE
        }
    }
}
