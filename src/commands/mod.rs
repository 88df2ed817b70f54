//! One module per command of the command line; [`crate::cli`] parses the
//! arguments and calls them.

pub mod annotate;
pub mod check;
pub mod fix;
pub mod init;
pub mod rules;
pub mod server;
