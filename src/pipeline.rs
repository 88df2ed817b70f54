//! The stage between the engine and the reporters. In order:
//!
//! 1. inline directives drop the findings they cover (and add
//!    `bad-directive` warnings for typos, which nothing can suppress);
//! 2. `[[overrides]]` change a rule's level for files matching globs, or
//!    turn it off there;
//! 3. `--write-baseline` records every remaining finding;
//! 4. only findings in the files to report are kept (pre-commit passes a
//!    few files, but the whole manuscript is loaded as context);
//! 5. the baseline hides the findings it holds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use globset::GlobSet;
use rayon::prelude::*;

use crate::baseline::{Baseline, BaselineError};
use crate::config::{Config, ConfigError};
use crate::diagnostic::{Diagnostic, Level, Severity};
use crate::load;
use crate::suppress::ChapterSuppressions;
use crate::text::Manuscript;

/// One `[[overrides]]` entry, compiled.
pub struct Override {
    files: GlobSet,
    /// Rule id → new severity (`None`: off).
    levels: Vec<(String, Option<Severity>)>,
}

/// Compiles `[[overrides]]`; rule ids were checked with the others.
pub fn compile_overrides(config: &Config) -> Result<Vec<Override>, Box<ConfigError>> {
    let mut out = Vec::new();
    for entry in &config.overrides {
        let files = load::glob_set(&entry.files)
            .map_err(|(pattern, msg)| {
                Box::new(config.error_at_text(
                    &pattern,
                    msg,
                    "fix the glob in `files` of [[overrides]]",
                ))
            })?
            .ok_or_else(|| {
                Box::new(config.error_at(
                    0..0,
                    "an [[overrides]] entry has no `files`",
                    "list globs, e.g. files = [\"notes/**\"]",
                ))
            })?;
        let mut levels = Vec::new();
        for (rule, level) in &entry.rules {
            let parsed = level.get_ref().parse::<Level>().map_err(|msg| {
                Box::new(config.error_at(level.span(), msg, "use off, info, warning or error"))
            })?;
            levels.push((rule.get_ref().clone(), parsed.severity()));
        }
        out.push(Override { files, levels });
    }
    Ok(out)
}

/// Everything the stage needs besides the findings.
#[derive(Default)]
pub struct Pipeline {
    /// Rule ids a directive may name.
    pub known_rules: Vec<String>,
    /// Level of `bad-directive` warnings (`None`: off).
    pub directive_severity: Option<Severity>,
    pub overrides: Vec<Override>,
    /// Folder the override globs are relative to, and the current folder
    /// chapter paths are relative to.
    pub root: PathBuf,
    pub cwd: PathBuf,
    pub baseline: Option<Baseline>,
    pub write_baseline: Option<PathBuf>,
}

/// The findings to report and what happened to the others.
#[derive(Debug, Default)]
pub struct Filtered {
    pub diagnostics: Vec<Diagnostic>,
    /// Dropped by inline directives.
    pub suppressed: usize,
    /// Hidden by the baseline.
    pub baselined: usize,
    /// Findings written by `--write-baseline`.
    pub written: Option<usize>,
}

impl Pipeline {
    /// Filters `diagnostics` (see the module docs). `report_only`, one flag
    /// per chapter, keeps only the findings of the flagged chapters (`None`:
    /// all).
    pub fn apply(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
    ) -> Result<Filtered, BaselineError> {
        self.run(manuscript, diagnostics, report_only, true)
    }

    /// Like [`Pipeline::apply`], but never writes the baseline (for the
    /// intermediate checks of `--fix`).
    pub fn apply_read_only(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
    ) -> Filtered {
        match self.run(manuscript, diagnostics, report_only, false) {
            Ok(filtered) => filtered,
            Err(_) => unreachable!("only writing the baseline can fail"),
        }
    }

    fn run(
        &self,
        manuscript: &Manuscript,
        diagnostics: Vec<Diagnostic>,
        report_only: Option<&[bool]>,
        write: bool,
    ) -> Result<Filtered, BaselineError> {
        let mut out = Filtered::default();
        let known = |id: &str| self.known_rules.iter().any(|k| k == id);
        let suppressions: Vec<ChapterSuppressions> = manuscript
            .chapters
            .par_iter()
            .map(|ch| ChapterSuppressions::new(ch, &known, self.directive_severity))
            .collect();

        let mut kept: Vec<Diagnostic> = suppressions
            .iter()
            .flat_map(|s| s.warnings.iter().cloned())
            .collect();
        for diagnostic in diagnostics {
            let chapter = &suppressions[diagnostic.primary.chapter];
            if chapter.suppresses(&diagnostic.rule, diagnostic.primary.span.start) {
                out.suppressed += 1;
            } else {
                kept.push(diagnostic);
            }
        }

        if !self.overrides.is_empty() {
            let levels = self.override_levels(manuscript);
            kept.retain_mut(|d| match levels[d.primary.chapter].get(&d.rule) {
                Some(Some(severity)) => {
                    d.severity = *severity;
                    true
                }
                Some(None) => false,
                None => true,
            });
        }
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));

        if let (Some(path), true) = (&self.write_baseline, write) {
            out.written = Some(Baseline::write(path, manuscript, &kept)?);
        }
        if let Some(report) = report_only {
            kept.retain(|d| report.get(d.primary.chapter).copied().unwrap_or(false));
        }
        if self.write_baseline.is_some() {
            out.baselined = kept.len();
            kept.clear();
        } else if let Some(baseline) = &self.baseline {
            out.baselined = baseline.hide(manuscript, &mut kept);
        }
        out.diagnostics = kept;
        Ok(out)
    }

    /// For each chapter, the rule levels its overrides set (later wins).
    fn override_levels(&self, manuscript: &Manuscript) -> Vec<HashMap<String, Option<Severity>>> {
        let root = absolute(&self.cwd, &self.root);
        manuscript
            .chapters
            .iter()
            .map(|chapter| {
                let path = absolute(&self.cwd, &chapter.path);
                let relative = path.strip_prefix(&root).unwrap_or(&path);
                let mut levels = HashMap::new();
                for o in self.overrides.iter().filter(|o| o.files.is_match(relative)) {
                    for (rule, severity) in &o.levels {
                        levels.insert(rule.clone(), *severity);
                    }
                }
                levels
            })
            .collect()
    }
}

/// `path` made absolute against `cwd`, resolving `..` and links when the
/// path exists.
pub fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    let joined = cwd.join(path);
    std::fs::canonicalize(&joined).unwrap_or(joined)
}
