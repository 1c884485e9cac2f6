//! Show one job: `cargo run -p hwc-jobs --features blocking --example show_job -- BASE_URL PROJECT_ID JOB_ID`
//!
//! Credentials come from the environment: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK`, or
//! `HWC_AUTH_TOKEN`. Against the replay server of the conformance runner:
//! `cargo run -p conformance -- serve generated/examples/replay` prints a base URL to use.

use hwc_jobs::runtime::{BlockingClient, Credentials, JobView};
use hwc_jobs::servicestage::GetJobDetailsRequest;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base_url, project_id, job_id] = args.as_slice() else {
        eprintln!("usage: show_job BASE_URL PROJECT_ID JOB_ID");
        return ExitCode::from(2);
    };
    let credentials = match Credentials::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("show_job: {e}");
            return ExitCode::from(2);
        }
    };
    let client = BlockingClient::new(base_url.as_str(), credentials);
    match client.call(&GetJobDetailsRequest::new(
        project_id.as_str(),
        job_id.as_str(),
    )) {
        Ok(details) => {
            println!(
                "job {job_id}: {}",
                details.job_state().unwrap_or_else(|| "(no state)".into())
            );
            for task in details.job_tasks() {
                println!(
                    "  {:<30} {}",
                    task.name.unwrap_or_default(),
                    task.status.unwrap_or_default()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("show_job: {e}");
            if let Some(id) = e.request_id() {
                eprintln!("request id: {id}");
            }
            ExitCode::FAILURE
        }
    }
}
