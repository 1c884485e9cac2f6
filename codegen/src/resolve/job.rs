//! `x-job`: pointers into a success body, type-checked against the models.

use super::*;

impl Resolver<'_> {
    /// Follows a JSON pointer through the named struct types; returns the steps and the final type.
    pub(super) fn model_path(
        &mut self,
        start: &TypeRef,
        pointer: &str,
        at: &str,
    ) -> Option<(Vec<Step>, TypeRef)> {
        let mut ty = start.clone();
        let mut steps = Vec::new();
        for token in pointer.split('/').skip(1) {
            let token = unescape(token);
            let TypeRef::Named(name) = &ty else {
                self.err(
                    at,
                    format!("`{pointer}`: `{token}` is not inside an object"),
                );
                return None;
            };
            let field = self
                .types
                .iter()
                .find(|t| &t.name == name)
                .and_then(|t| match &t.kind {
                    TypeKind::Struct(s) => s.fields.iter().find(|f| f.wire_name == token).cloned(),
                    _ => None,
                });
            let Some(field) = field else {
                self.err(
                    at,
                    format!("`{pointer}`: `{name}` has no property `{token}`"),
                );
                return None;
            };
            if field.presence.is_nullable() {
                self.err(
                    at,
                    format!("`{pointer}`: nullable properties are not supported on this path"),
                );
                return None;
            }
            steps.push(Step {
                field: field.rust_name.clone(),
                optional: !field.presence.is_required(),
            });
            ty = field.ty.clone();
        }
        Some((steps, ty))
    }

    pub(super) fn job_access(
        &mut self,
        job: &Value,
        at: &str,
        responses: &[Response],
    ) -> Option<JobAccess> {
        let body = responses
            .iter()
            .find(|r| r.success)
            .and_then(|r| r.body.clone());
        let Some(TypeRef::Named(body_type)) = body else {
            self.err(
                at,
                "`x-job` needs a success response whose body is a named object",
            );
            return None;
        };
        let body = TypeRef::Named(body_type.clone());
        let text = |k: &str| job.get(k).and_then(Value::as_str).map(str::to_owned);
        let Some(status_ptr) = text("status") else {
            self.err(
                at,
                "`x-job` needs `status`: a JSON pointer to the job's state in the body",
            );
            return None;
        };
        let (status, status_ty) = self.model_path(&body, &status_ptr, &format!("{at}/status"))?;
        let terminal_known = match &status_ty {
            TypeRef::Named(n) => self.types.iter().any(|t| {
                &t.name == n && matches!(&t.kind, TypeKind::Enum(e) if !e.terminal.is_empty())
            }),
            _ => false,
        };
        if !terminal_known {
            self.err(
                &format!("{at}/status"),
                "the job state must be an enum that lists its `x-terminal` values",
            );
            return None;
        }
        let progress = match text("progress") {
            Some(p) => {
                let (steps, ty) = self.model_path(&body, &p, &format!("{at}/progress"))?;
                if !matches!(ty, TypeRef::F64 | TypeRef::I64 | TypeRef::I32) {
                    self.err(&format!("{at}/progress"), "the progress must be a number");
                    return None;
                }
                Some((steps, ty))
            }
            None => None,
        };
        let tasks = match text("tasks") {
            Some(p) => {
                let (steps, ty) = self.model_path(&body, &p, &format!("{at}/tasks"))?;
                let TypeRef::Array(item) = ty else {
                    self.err(&format!("{at}/tasks"), "the tasks must be an array");
                    return None;
                };
                let name_ptr = text("task-name").unwrap_or_default();
                let status_ptr = text("task-status").unwrap_or_default();
                let (name, name_ty) =
                    self.model_path(&item, &name_ptr, &format!("{at}/task-name"))?;
                let (tstatus, tstatus_ty) =
                    self.model_path(&item, &status_ptr, &format!("{at}/task-status"))?;
                // Both are shown as text: they must reach a value, not an object or a list.
                for (key, ty) in [("task-name", &name_ty), ("task-status", &tstatus_ty)] {
                    if !self.is_text_like(ty) {
                        self.err(
                            &format!("{at}/{key}"),
                            format!(
                                "`{key}` must point at a string, number, boolean or enum, not {}",
                                describe(ty)
                            ),
                        );
                        return None;
                    }
                }
                Some((steps, name, tstatus))
            }
            None => None,
        };
        Some(JobAccess {
            body_type: body_type.clone(),
            status,
            progress,
            tasks,
        })
    }
}
