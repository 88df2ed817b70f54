//! `manulint rules` and `manulint explain RULE`.

use std::io::{self, Write};

use crate::cli::{EXIT_ERROR, ErrorPrinter};
use crate::config::{self, Config, ConfigError};
use crate::diagnostic::Applicability;
use crate::rules::Registry;
use crate::workspace;

/// For `rules` and `explain`: the registry with the packs of the
/// `manulint.toml` found from the current folder, if it loads.
fn discovered_registry(errors: &ErrorPrinter) -> Option<Registry> {
    let config = std::env::current_dir()
        .ok()
        .and_then(|cwd| Config::discover(None, &cwd).ok())
        .unwrap_or_default();
    match workspace::registry_for(&config) {
        Ok(registry) => Some(registry),
        Err(err) => {
            errors.diagnostic(&*err);
            None
        }
    }
}

/// `manulint rules`: every rule with its category, default severity, the
/// fix it offers (safe, unsafe or none) and summary.
pub(crate) fn list(errors: &ErrorPrinter) -> io::Result<u8> {
    let Some(registry) = discovered_registry(errors) else {
        return Ok(EXIT_ERROR);
    };
    let mut out = io::stdout().lock();
    let width = registry.ids().map(str::len).max().unwrap_or(4).max(4);
    writeln!(
        out,
        "{:<width$}  {:<12}  {:<8}  {:<6}  SUMMARY",
        "RULE", "CATEGORY", "DEFAULT", "FIX"
    )?;
    for rule in registry.iter() {
        let meta = &rule.meta;
        writeln!(
            out,
            "{:<width$}  {:<12}  {:<8}  {:<6}  {}",
            meta.id,
            meta.category.as_str(),
            meta.default_severity.as_str(),
            match meta.fix {
                Some(Applicability::Safe) => "safe",
                Some(Applicability::Unsafe) => "unsafe",
                None => "-",
            },
            meta.summary
        )?;
    }
    Ok(0)
}

/// `manulint explain RULE`: a rule's full documentation.
pub(crate) fn explain(id: &str, errors: &ErrorPrinter) -> io::Result<u8> {
    let Some(registry) = discovered_registry(errors) else {
        return Ok(EXIT_ERROR);
    };
    // Rule ids are lower case; `explain ANACHRONISM` means the rule.
    let Some(rule) = registry
        .get(id)
        .or_else(|| registry.get(&id.to_lowercase()))
    else {
        let lower = id.to_lowercase();
        // A word of an id (`echo`, `dash`) names the rules it is part of.
        let with_part: Vec<&str> = registry
            .ids()
            .filter(|known| known.split('-').any(|part| part == lower))
            .collect();
        let help = match (config::did_you_mean(&lower, registry.ids()), &with_part[..]) {
            (Some(s), _) => format!("did you mean `{s}`?"),
            (None, [one]) => format!("did you mean `{one}`?"),
            (None, [first, .., last]) => {
                let middle: Vec<String> = with_part[1..with_part.len() - 1]
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect();
                let head = std::iter::once(format!("`{first}`")).chain(middle);
                format!(
                    "did you mean {} or `{last}`?",
                    head.collect::<Vec<_>>().join(", ")
                )
            }
            (None, []) => "`manulint rules` lists every rule".to_string(),
        };
        errors.diagnostic(&ConfigError::command_line(
            format!("unknown rule `{id}`"),
            help,
        ));
        return Ok(EXIT_ERROR);
    };
    let meta = &rule.meta;
    let mut out = io::stdout().lock();
    writeln!(out, "# {}\n", meta.id)?;
    let fix = match meta.fix {
        Some(Applicability::Safe) => " · Fix: safe (--fix)",
        Some(Applicability::Unsafe) => " · Fix: unsafe (--fix --unsafe-fixes)",
        None => "",
    };
    writeln!(
        out,
        "{}\n\nCategory: {} · Default severity: {}{fix}\n",
        meta.summary, meta.category, meta.default_severity
    )?;
    write!(out, "{}", meta.docs_markdown())?;
    Ok(0)
}
