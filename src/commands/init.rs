//! `manulint init`: a commented starter configuration.

use std::io;
use std::path::Path;

use crate::cli::{EXIT_ERROR, ErrorPrinter};
use crate::config;

/// Writes a commented starter `manulint.toml` in the current folder; never
/// overwrites one.
pub(crate) fn run(errors: &ErrorPrinter) -> io::Result<u8> {
    let path = Path::new(config::CONFIG_FILE_NAME);
    if path.exists() {
        errors.message(&format!(
            "{} already exists; not overwriting it (delete it first to start over)",
            path.display()
        ));
        return Ok(EXIT_ERROR);
    }
    std::fs::write(path, config::STARTER_CONFIG)?;
    println!("Wrote {}", path.display());
    Ok(0)
}
