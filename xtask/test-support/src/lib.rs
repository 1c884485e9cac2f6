//! What the workspace's tests (and `cargo xtask vendor-check`) share, so that each exists once:
//!
//! - [`Rng`]: a seeded, reproducible random generator for property tests, and [`seed`] to take
//!   a seed from the environment (printed, so a failing run can be repeated);
//! - [`http`]: reading an HTTP/1.1 request or response head and body, and [`http::serve`], a
//!   loopback server that answers each request as a test scripts it;
//! - [`copy_dir`]: a folder mirrored into another.
//!
//! `generated/` (the vendored crate) does not use it: a vendored crate has no path
//! dependencies, so its tests keep their own small helpers (`generated/tests/common`).

#![forbid(unsafe_code)]

pub mod http;

use std::path::Path;

/// xorshift64*: small, seeded, reproducible; good enough to pick names, shapes and values.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced, as xorshift would stay at 0).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 {
            0x9e37_79b9_7f4a_7c15
        } else {
            seed
        })
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`; 0 when `n` is 0 (an empty text has one place to mutate: its start).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One item of a non-empty list.
    pub fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }

    /// 1..=max pieces from `alphabet`, joined.
    pub fn text(&mut self, alphabet: &[&str], max: usize) -> String {
        let n = 1 + self.below(max);
        (0..n).map(|_| *self.pick(alphabet)).collect()
    }
}

/// The seed in the environment variable `var` (a number), or one from the clock; printed to
/// standard error with the variable's name so that a failing run can be repeated.
///
/// # Panics
/// When `var` is set but is not a number: a test's usage error.
pub fn seed(var: &str) -> u64 {
    let seed = match std::env::var(var) {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("{var} must be a number, not {s:?}")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64),
    };
    eprintln!("{var}={seed}");
    seed
}

/// The seed in `var`, or `default`: for tests whose cases are fixed unless asked otherwise.
///
/// # Panics
/// When `var` is set but is not a number.
pub fn seed_or(var: &str, default: u64) -> u64 {
    match std::env::var(var) {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|_| panic!("{var} must be a number, not {s:?}")),
        Err(_) => default,
    }
}

/// Mirrors `from` into `to`, leaving out the names in `skip` (`target`, `.git`): files `to`
/// has and `from` does not are removed, so a file moved in the source cannot linger in a copy
/// that is refreshed.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let skipped = |name: &std::ffi::OsStr| skip.iter().any(|s| name == *s);
    for e in std::fs::read_dir(to)? {
        let e = e?;
        let name = e.file_name();
        if skipped(&name) || from.join(&name).exists() {
            continue;
        }
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())?;
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        if skipped(&name) {
            continue;
        }
        let target = to.join(&name);
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target, skip)?;
        } else if std::fs::read(e.path()).ok() != std::fs::read(&target).ok() {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_reproducible_and_spreads() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        let xs: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        assert_eq!(xs, (0..8).map(|_| b.next_u64()).collect::<Vec<_>>());
        let mut counts = [0usize; 4];
        for _ in 0..4000 {
            counts[a.below(4)] += 1;
        }
        assert!(
            counts.iter().all(|&c| (800..1200).contains(&c)),
            "{counts:?}"
        );
        assert_ne!(Rng::new(0).next_u64(), 0, "a zero seed still moves");
    }

    #[test]
    fn a_copy_mirrors_the_source() {
        let root = std::env::temp_dir().join(format!("test-support-copy-{}", std::process::id()));
        let (from, to) = (root.join("from"), root.join("to"));
        std::fs::create_dir_all(from.join("sub")).unwrap();
        std::fs::create_dir_all(from.join("target")).unwrap();
        std::fs::write(from.join("sub/a.txt"), "a").unwrap();
        std::fs::write(from.join("target/big"), "x").unwrap();
        std::fs::create_dir_all(&to).unwrap();
        std::fs::write(to.join("stale.txt"), "old").unwrap();
        copy_dir(&from, &to, &["target"]).unwrap();
        assert_eq!(std::fs::read_to_string(to.join("sub/a.txt")).unwrap(), "a");
        assert!(
            !to.join("stale.txt").exists(),
            "removed: the source has no such file"
        );
        assert!(!to.join("target").exists(), "skipped");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
