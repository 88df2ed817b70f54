use std::process::ExitCode;

fn main() -> ExitCode {
    manulint::cli::main()
}
