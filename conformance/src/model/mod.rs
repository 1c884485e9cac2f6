//! The generated models, read and written by the runner: a body is read into the Rust type the
//! spec documents for its operation and status (through the generated crate's `visit_body`
//! hook), and written back, to find where spec and models disagree.

mod compare;

use hwc_jobs::runtime::{pointer_of, BodyVisitor};
use serde_json::Value;

/// The model could not read a body (or write it back): where, and why.
#[derive(Debug)]
pub struct ModelError {
    /// JSON pointer into the body, as received, of the value the model choked on (`""`: the
    /// whole body, or the error is not about one place).
    pub pointer: String,
    /// What serde said.
    pub error: serde_json::Error,
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.error)
        } else {
            write!(f, "at {}: {}", self.pointer, self.error)
        }
    }
}

impl std::error::Error for ModelError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Reads a body into the model and compares what it writes back: `Ok(None)` when the model
/// writes back exactly the body (no value is built then), `Ok(Some(written))` otherwise.
/// On an error the body is read a second time with the path tracked, so that the error says
/// where (reading stays at full speed for the bodies that are fine).
struct Check<'a>(&'a Value);

impl BodyVisitor for Check<'_> {
    type Output = Result<Option<Value>, ModelError>;

    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Self::Output {
        let body = self.0;
        let model = match T::deserialize(body) {
            Ok(model) => model,
            Err(error) => {
                return Err(match serde_path_to_error::deserialize::<_, T>(body) {
                    Err(tracked) => ModelError {
                        pointer: pointer_of(tracked.path()),
                        error: tracked.into_inner(),
                    },
                    // Not expected (the same input); keep the first error, whole body.
                    Ok(_) => ModelError {
                        pointer: String::new(),
                        error,
                    },
                });
            }
        };
        if compare::same(&model, body) {
            Ok(None)
        } else {
            serde_json::to_value(&model)
                .map(Some)
                .map_err(|error| ModelError {
                    pointer: String::new(),
                    error,
                })
        }
    }
}

/// Reads a body into the model and writes it back as a JSON value.
struct Roundtrip<'a>(&'a Value);

impl BodyVisitor for Roundtrip<'_> {
    type Output = Result<Value, serde_json::Error>;

    fn visit<T: serde::de::DeserializeOwned + serde::Serialize>(self) -> Self::Output {
        let model = T::deserialize(self.0)?;
        serde_json::to_value(&model)
    }
}

/// The body read by the model of `module`/`operation_id` for `status`, compared with what the
/// model writes back (`Ok(None)`: the same); `None` when the spec documents no JSON body for
/// them.
pub fn check(
    module: &str,
    operation_id: &str,
    status: u16,
    body: &Value,
) -> Option<Result<Option<Value>, ModelError>> {
    hwc_jobs::visit_body(module, operation_id, status, Check(body))
}

/// The body read by the model and written back; `None` when no JSON body is documented.
pub fn roundtrip(
    module: &str,
    operation_id: &str,
    status: u16,
    body: &Value,
) -> Option<Result<Value, serde_json::Error>> {
    hwc_jobs::visit_body(module, operation_id, status, Roundtrip(body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc_example() -> Value {
        json!({
            "job": {"execution_status": "SUCCEEDED", "job_id": "JOB1", "job_type": "PROVISION"},
            "tasks": [{"task_id": "T1", "task_index": 4, "task_name": "N", "task_status": "SUCCEEDED",
                       "created_at": "2024-06-06T15:55:31.115Z", "update_at": "2024-06-06T15:55:31.136Z",
                       "messages": "{}"}],
            "task_count": 1
        })
    }

    #[test]
    fn model_check_builds_nothing_when_the_model_writes_back_the_body() {
        let doc = doc_example();
        let same = check("servicestage", "get_job_details", 200, &doc)
            .unwrap()
            .unwrap();
        assert_eq!(same, None, "the doc example is written back unchanged");
        let upper = json!({"JOB": {"EXECUTION_STATUS": "RUNNING"}});
        let written = check("servicestage", "get_job_details", 200, &upper)
            .unwrap()
            .unwrap();
        assert_eq!(
            written,
            Some(json!({"job": {"execution_status": "RUNNING"}})),
            "canonical spelling written"
        );
        let bad = check(
            "servicestage",
            "get_job_details",
            200,
            &json!({"task_count": "2"}),
        )
        .unwrap();
        assert!(bad.is_err());
        assert!(check("servicestage", "nope", 200, &doc).is_none());
    }

    #[test]
    fn model_errors_say_where_in_the_body() {
        let body = json!({"tasks": [{"task_index": 1}, {"task_index": "x"}]});
        let err = check("servicestage", "get_job_details", 200, &body)
            .expect("documented")
            .unwrap_err();
        assert_eq!(err.pointer, "/tasks/1/task_index");
        assert!(
            err.to_string()
                .starts_with("at /tasks/1/task_index: invalid type"),
            "{err}"
        );
        // The pointer names the spelling received.
        let upper = json!({"TASKS": [{"TASK_INDEX": "x"}]});
        let err = check("servicestage", "get_job_details", 200, &upper)
            .expect("documented")
            .unwrap_err();
        assert_eq!(err.pointer, "/TASKS/0/TASK_INDEX");
        // A body the model reads and writes back unchanged.
        let fine = json!({"tasks": [{"task_index": 1, "update_at": "2024-06-06T15:55:31.040Z"}]});
        assert!(check("servicestage", "get_job_details", 200, &fine)
            .expect("documented")
            .expect("reads")
            .is_none());
    }

    #[test]
    fn roundtrip_writes_the_canonical_spelling() {
        let back = roundtrip(
            "servicestage",
            "get_job_details",
            200,
            &json!({"JOB": {"JOB_ID": "j"}}),
        )
        .unwrap()
        .unwrap();
        assert_eq!(back, json!({"job": {"job_id": "j"}}));
        assert!(roundtrip("cae", "get_job_details", 200, &json!({})).is_some());
        assert!(roundtrip("nope", "get_job_details", 200, &json!({})).is_none());
    }
}
