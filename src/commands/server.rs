//! `manulint server`: the language server on stdin/stdout (see
//! [`crate::server`]).

use std::io;

use crate::cli::{EXIT_ERROR, ErrorPrinter};

pub(crate) fn run(errors: &ErrorPrinter) -> io::Result<u8> {
    match crate::server::run_stdio() {
        Ok(()) => Ok(0),
        Err(message) => {
            errors.message(&format!("language server stopped: {message}"));
            Ok(EXIT_ERROR)
        }
    }
}
