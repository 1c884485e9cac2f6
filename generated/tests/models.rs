//! Both doc examples, and the variants real traffic brings, parse into the
//! generated models and round-trip.

use hwc_jobs::{cae, servicestage};
use serde_json::{json, Value};

const SERVICESTAGE_DOC_EXAMPLE: &str = r#"{
    "job": {
        "execution_status": "SUCCEEDED",
        "job_id": "JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e",
        "job_type": "PROVISION"
    },
    "tasks": [
        {
            "task_id": "Task-af75dd60-0b04-4f4b-b669-0bad38fcdd97",
            "task_index": 4,
            "task_name": "VMAPP_CONTEXT_PREPARE_01",
            "task_status": "SUCCEEDED",
            "created_at": "2024-06-06T15:55:31.115Z",
            "update_at": "2024-06-06T15:55:31.136Z",
            "messages": "{}"
        },
        {
            "task_id": "Task-50110d26-3973-49e1-95d3-d46755e865af",
            "task_index": 5,
            "task_name": "VMAPP_UPGRADE_002",
            "task_status": "SUCCEEDED",
            "created_at": "2024-06-06T15:55:31.136Z",
            "update_at": "2024-06-06T15:55:31.36Z",
            "messages": "{}"
        }
    ],
    "task_count": 2
}"#;

const CAE_DOC_EXAMPLE: &str = r#"{
"api_version" : "v1",
"kind" : "Job",
"spec" : {
"progress" : 0,
"status" : "running",
"tasks" : [ {
"index" : 1,
"name" : "upgrade",
"status" : "init",
"detail" : "",
"created_at" : "2023-02-16T11:24:07.950175Z",
"updated_at" : "2023-02-16T11:24:07.950175Z"
} ]
}
}"#;

fn value(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// Parses into `T`, serializes back, and checks the JSON is unchanged
/// (numbers compared as f64 so that `0` and `0.0` are one value).
fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> T {
    let model: T = serde_json::from_value(body.clone()).unwrap();
    let back = serde_json::to_value(&model).unwrap();
    assert_eq!(
        normalize(&back),
        normalize(body),
        "round-trip changed the body"
    );
    model
}

fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64()),
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, v)| (k.clone(), normalize(v))).collect())
        }
        other => other.clone(),
    }
}

#[test]
fn servicestage_doc_example() {
    let d: servicestage::JobDetails = roundtrip(&value(SERVICESTAGE_DOC_EXAMPLE));
    let job = d.job.as_ref().unwrap();
    assert_eq!(
        job.execution_status,
        Some(servicestage::ExecutionStatus::Succeeded)
    );
    assert_eq!(job.job_type, Some(servicestage::JobType::Provision));
    assert_eq!(d.task_count, Some(2));
    let tasks = d.tasks.as_ref().unwrap();
    assert_eq!(
        tasks[1].task_status,
        Some(servicestage::TaskStatus::Succeeded)
    );
    assert_eq!(tasks[0].messages_json().unwrap().unwrap(), json!({}));
    // Two fraction digits, as the doc shows.
    let t = tasks[1].update_at.as_ref().unwrap();
    assert_eq!(t.to_string(), "2024-06-06T15:55:31.36Z");
    assert_eq!(t.instant().subsec_nanosecond(), 360_000_000);
}

#[test]
fn cae_doc_example() {
    let d: cae::JobDetails = roundtrip(&value(CAE_DOC_EXAMPLE));
    assert_eq!(
        d.api_version.as_deref(),
        Some(cae::JobDetails::API_VERSION_FIXED)
    );
    assert_eq!(d.kind.as_deref(), Some(cae::JobDetails::KIND_FIXED));
    let spec = d.spec.unwrap();
    assert_eq!(spec.status, Some(cae::JobStatus::Running));
    assert_eq!(spec.progress, Some(0.0));
    let task = &spec.tasks.unwrap()[0];
    assert_eq!(task.status.as_deref(), Some("init"));
    assert_eq!(
        task.updated_at
            .as_ref()
            .unwrap()
            .instant()
            .subsec_nanosecond(),
        950_175_000
    );
}

#[test]
fn servicestage_uppercase_keys_from_the_doc_tables() {
    let upper = json!({
        "JOB": {"EXECUTION_STATUS": "RUNNING", "JOB_ID": "j", "JOB_TYPE": "DAILY_OPERATION",
                "ORDER_ID": "o", "PROJECT_ID": "p", "SERVICE_INSTANCE_ID": "s"},
        "TASKS": [{"TASK_ID": "t", "TASK_INDEX": 1, "TASK_NAME": "n", "TASK_STATUS": "SKIPPED",
                   "CREATED_AT": "2024-06-06T15:55:31Z", "UPDATE_AT": "2024-06-06T15:55:31.123456Z",
                   "MESSAGES": "{\"k\":1}"}],
        "TASK_COUNT": 1
    });
    let d: servicestage::JobDetails = serde_json::from_value(upper).unwrap();
    let job = d.job.as_ref().unwrap();
    assert_eq!(
        job.execution_status,
        Some(servicestage::ExecutionStatus::Running)
    );
    assert_eq!(job.service_instance_id.as_deref(), Some("s"));
    let task = &d.tasks.as_ref().unwrap()[0];
    assert_eq!(task.task_status, Some(servicestage::TaskStatus::Skipped));
    assert_eq!(task.messages_json().unwrap().unwrap(), json!({"k": 1}));
    assert!(
        task.additional_properties.is_empty(),
        "no UPPERCASE key fell into the catch-all"
    );
    // Written back with the canonical (lowercase) spelling.
    let out = serde_json::to_value(&d).unwrap();
    assert_eq!(out["job"]["execution_status"], "RUNNING");
    assert_eq!(out["tasks"][0]["update_at"], "2024-06-06T15:55:31.123456Z");
    assert!(out.get("JOB").is_none());
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let mut body = value(SERVICESTAGE_DOC_EXAMPLE);
    body["job"]["execution_status"] = json!("PAUSED");
    body["tasks"][0]["task_status"] = json!("WAITING_APPROVAL");
    let d: servicestage::JobDetails = roundtrip(&body);
    let status = d.job.unwrap().execution_status.unwrap();
    assert_eq!(
        status,
        servicestage::ExecutionStatus::Unrecognized("PAUSED".into())
    );
    assert!(!status.is_known());
    // The documented UNKNOWN is a known value, distinct from unlisted ones.
    let unknown = servicestage::ExecutionStatus::from("UNKNOWN");
    assert_eq!(unknown, servicestage::ExecutionStatus::Unknown);
    assert!(unknown.is_known());

    let mut cae_body = value(CAE_DOC_EXAMPLE);
    cae_body["spec"]["status"] = json!("paused");
    let c: cae::JobDetails = roundtrip(&cae_body);
    assert_eq!(c.spec.unwrap().status.unwrap().as_str(), "paused");
}

#[test]
fn undocumented_fields_are_kept() {
    let mut body = value(SERVICESTAGE_DOC_EXAMPLE);
    body["job"]["rollback_enabled"] = json!(true);
    body["tasks"][0]["task_type"] = json!("DEPLOY");
    body["trace"] = json!({"a": [1, 2]});
    let d: servicestage::JobDetails = roundtrip(&body);
    assert_eq!(
        d.job.unwrap().additional_properties["rollback_enabled"],
        json!(true)
    );
    assert_eq!(d.additional_properties["trace"], json!({"a": [1, 2]}));

    let mut cae_body = value(CAE_DOC_EXAMPLE);
    cae_body["metadata"] = json!({"id": "x"});
    let _: cae::JobDetails = roundtrip(&cae_body);
}

#[test]
fn null_and_missing_optional_fields_parse() {
    let body = json!({
        "job": {"execution_status": null, "job_id": null},
        "tasks": [{"task_id": "t", "messages": null, "created_at": null}],
        "task_count": null
    });
    let d: servicestage::JobDetails = serde_json::from_value(body).unwrap();
    assert_eq!(d.job.as_ref().unwrap().execution_status, None);
    assert_eq!(
        d.tasks.as_ref().unwrap()[0]
            .messages_json()
            .map(|r| r.is_ok()),
        None
    );
    let empty: servicestage::JobDetails = serde_json::from_value(json!({})).unwrap();
    assert_eq!(empty, servicestage::JobDetails::default());
    let cae_empty: cae::JobDetails =
        serde_json::from_value(json!({"spec": {"tasks": [{}]}})).unwrap();
    assert!(cae_empty.spec.unwrap().tasks.unwrap()[0].name.is_none());
}

#[test]
fn timestamps_with_zero_to_nine_fraction_digits() {
    let mut frac = String::new();
    for digits in 0..=9 {
        let ts = if digits == 0 {
            "2024-06-06T15:55:31Z".to_owned()
        } else {
            format!("2024-06-06T15:55:31.{frac}Z")
        };
        let t: servicestage::Task = serde_json::from_value(json!({"update_at": ts})).unwrap();
        assert_eq!(
            t.update_at.as_ref().map(|u| u.as_str()),
            Some(ts.as_str()),
            "{digits} digits"
        );
        frac.push(char::from(b'1' + (digits as u8 % 9)));
    }
    // Trailing zeros are the server's, and written back as received.
    let zeros: servicestage::Task =
        serde_json::from_value(json!({"update_at": "2024-06-06T15:55:31.040Z"})).unwrap();
    assert_eq!(
        serde_json::to_value(&zeros).unwrap()["update_at"],
        "2024-06-06T15:55:31.040Z"
    );
    let offset: servicestage::Task =
        serde_json::from_value(json!({"created_at": "2024-06-06T23:55:31.5+08:00"})).unwrap();
    let created = offset.created_at.as_ref().unwrap();
    assert_eq!(created.instant().to_string(), "2024-06-06T15:55:31.5Z");
    // The text as received is kept and written back unchanged, offset and all.
    assert_eq!(created.as_str(), "2024-06-06T23:55:31.5+08:00");
    assert_eq!(
        serde_json::to_value(&offset).unwrap()["created_at"],
        "2024-06-06T23:55:31.5+08:00"
    );
    assert!(
        serde_json::from_value::<servicestage::Task>(json!({"created_at": "yesterday"})).is_err()
    );
}

#[test]
fn both_spellings_of_one_field_are_refused() {
    let body = json!({"job": {"execution_status": "RUNNING", "EXECUTION_STATUS": "FAILED"}});
    let err = serde_json::from_value::<servicestage::JobDetails>(body).unwrap_err();
    assert!(err.to_string().contains("duplicate field"), "{err}");
}

#[test]
fn the_module_table_and_the_body_hook() {
    let names: Vec<&str> = hwc_jobs::MODULES.iter().map(|m| m.name).collect();
    assert_eq!(names, ["cae", "servicestage"]);
    let sha: Vec<usize> = hwc_jobs::MODULES
        .iter()
        .map(|m| m.spec_sha256.len())
        .collect();
    assert_eq!(sha, [64, 64], "hex SHA-256 of each spec");
    // The generic hook hands tools the documented body type.
    struct Roundtrip(serde_json::Value);
    impl hwc_jobs::runtime::BodyVisitor for Roundtrip {
        type Output = serde_json::Value;
        fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> serde_json::Value {
            serde_json::to_value(T::deserialize(self.0).unwrap()).unwrap()
        }
    }
    let back = servicestage::visit_body(
        "get_job_details",
        200,
        Roundtrip(value(SERVICESTAGE_DOC_EXAMPLE)),
    )
    .unwrap();
    assert_eq!(back["task_count"], 2);
    assert!(hwc_jobs::visit_body("cae", "get_job_details", 200, Roundtrip(json!({}))).is_some());
    assert!(hwc_jobs::visit_body("nope", "get_job_details", 200, Roundtrip(json!({}))).is_none());
}

#[test]
fn models_without_numbers_are_eq() {
    fn total<T: Eq>() {}
    total::<servicestage::JobDetails>();
    total::<servicestage::Task>();
    total::<cae::Task>();
    // CAE's job spec carries `progress` (a number), so it and its holders are only PartialEq.
    let a: servicestage::JobDetails =
        serde_json::from_value(value(SERVICESTAGE_DOC_EXAMPLE)).unwrap();
    let mut b = a.clone();
    assert_eq!(a, b);
    b.task_count = Some(3);
    assert_ne!(a, b);
}
