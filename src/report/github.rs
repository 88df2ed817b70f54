//! GitHub Actions workflow commands: one `::error …::message` line per
//! finding, which GitHub turns into an annotation on the changed file.
//! Nothing else goes to stdout (the summary line goes to stderr, see
//! `commands::check`).
//! Values are escaped as the runner requires: `%`, CR and LF everywhere,
//! and `:` and `,` too inside properties.

use std::io::{self, Write};

use super::{Location, Report, ci_path};
use crate::diagnostic::Severity;

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    // Files the run could not check fail it (exit 2): an annotation each.
    for unchecked in &report.unchecked {
        writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&unchecked.path),
            escape_property("manulint: not checked"),
            escape_data(&unchecked.message),
        )?;
    }
    for d in report.diagnostics {
        let at = Location::of(report.manuscript, &d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let message = at.message_in_note(&d.message);
        let message = match &d.help {
            Some(help) => format!("{message}\nhelp: {help}"),
            None => message.into_owned(),
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&ci_path(report, d.primary.chapter)),
            at.line,
            at.column,
            at.end_line,
            at.end_column,
            escape_property(&format!("manulint({})", d.rule)),
            escape_data(&message),
        )?;
    }
    Ok(())
}

/// The message part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A `key=value` property of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_github_requires() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
