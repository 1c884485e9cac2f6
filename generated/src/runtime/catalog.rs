//! The table of generated modules (`hwc_jobs::MODULES`): what each was generated from.

/// One generated module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Module name.
    pub name: &'static str,
    /// Spec file, relative to the workspace (`spec/cae.yaml`).
    pub spec_file: &'static str,
    /// Hex SHA-256 of the spec file the module was generated from, so that a tool reading the
    /// spec can tell whether it is the one these models came from.
    pub spec_sha256: &'static str,
}
