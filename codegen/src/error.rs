//! Errors of the generator: every one names the spec file and a place in it.

use std::fmt;

/// Where in a spec file an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole (it could not be read, for example).
    File,
    /// A line and column (1-based), for YAML syntax errors.
    LineColumn {
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
    },
    /// A JSON pointer (RFC 6901) into the document, for semantic errors.
    Pointer(String),
}

/// One problem in one spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The spec file, as it was given to the generator.
    pub file: String,
    /// Where in the file.
    pub location: Location,
    /// What is wrong, in a sentence.
    pub message: String,
}

impl Error {
    /// An error at a JSON pointer.
    pub fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Error {
            file: file.to_owned(),
            location: Location::Pointer(pointer.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            Location::LineColumn { line, column } => {
                write!(f, "{}:{}:{}: {}", self.file, line, column, self.message)
            }
            Location::Pointer(p) => {
                let p = if p.is_empty() { "/" } else { p.as_str() };
                write!(f, "{}#{}: {}", self.file, p, self.message)
            }
        }
    }
}

impl std::error::Error for Error {}

/// All the problems found in one run; never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

/// A JSON pointer reference token (RFC 6901): `~` → `~0`, `/` → `~1`. The one escaping helper
/// of the generator, the importer and the conformance runner.
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Appends a reference token to a JSON pointer, escaping `~` and `/`.
pub fn push_pointer(base: &str, token: &str) -> String {
    let mut s = String::with_capacity(base.len() + token.len() + 1);
    s.push_str(base);
    s.push('/');
    s.push_str(&escape_token(token));
    s
}
