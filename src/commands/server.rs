//! `manulint server`: the language server on stdin/stdout (see
//! [`crate::server`]).

use std::io;

use crate::cli::{EXIT_ERROR, ErrorPrinter};

/// Exit code 0 after `shutdown` and `exit`, 1 after `exit` alone (as the
/// protocol asks), 2 when the session broke.
pub(crate) fn run(errors: &ErrorPrinter) -> io::Result<u8> {
    match crate::server::run_stdio() {
        Ok(true) => Ok(0),
        Ok(false) => Ok(1),
        Err(message) => {
            errors.message(&format!("language server stopped: {message}"));
            Ok(EXIT_ERROR)
        }
    }
}
