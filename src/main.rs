//! The `odoodb` binary: everything lives in the library; this file only maps the outcome to an
//! exit code.

fn main() -> std::process::ExitCode {
    odoodb::main_entry()
}
