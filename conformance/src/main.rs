//! The conformance runner (see its issue); not implemented yet.

fn main() {
    eprintln!("conformance: not implemented yet");
    std::process::exit(2);
}
