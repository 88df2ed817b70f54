//! Data rule packs: rules written as TOML (phrase lists, regexes, variant
//! groups) instead of code.
//!
//! The packs under `rules/` are embedded in the binary; users add their own
//! with `packs = ["style/house.toml"]` in `manulint.toml` (paths relative to
//! the config file). Every pack rule becomes an ordinary entry of the
//! [`Registry`](crate::rules::Registry), so `manulint rules`, `explain`,
//! `--select` and `[rules.<id>]` work for it as for a code rule.
//!
//! All phrases of all loaded packs go into one Aho-Corasick automaton, and
//! each regex runs only where the literals its matches need are (see
//! [`crate::literals`]); a chapter is scanned once and the hits are shared
//! by every pack rule (see [`matcher`]).

mod compounds;
pub(crate) mod format;
mod matcher;
mod normalized;
mod rule;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use format::{Case, PackError, PackKind, PackScope};
use format::{pack_error, pack_error_at};

use crate::config::Config;
use crate::engine::{self, EnabledRule};
use crate::rule::RuleSetup;
use crate::rules::{AvailableRule, Registry};
use crate::text::{Chapter, Manuscript, SourceFormat};

/// The packs shipped in the binary: `(path, text)`. A test fails when a
/// `rules/*.toml` file is missing here.
pub const EMBEDDED: &[(&str, &str)] = &[
    ("rules/cliche.toml", include_str!("../../rules/cliche.toml")),
    (
        "rules/scaffolding.toml",
        include_str!("../../rules/scaffolding.toml"),
    ),
    (
        "rules/spelling.toml",
        include_str!("../../rules/spelling.toml"),
    ),
];

/// Every rule of every loaded pack, compiled into one matcher.
pub struct PackSet {
    rules: Vec<format::RuleSpec>,
    matcher: matcher::Matcher,
}

impl PackSet {
    /// The shipped packs. They are tested, so a failure here is a bug in
    /// manulint, not in the user's files.
    pub fn embedded() -> Arc<PackSet> {
        match PackSet::load(&[], &crate::rules::Registry::code_rule_ids()) {
            Ok(set) => set,
            Err(err) => panic!("a shipped rule pack is broken: {err}"),
        }
    }

    /// Parses the embedded packs plus `user` packs given as `(path, text)`,
    /// checks rule ids against `taken` (the code rules), compiles them, and
    /// runs the user rules' own `tests` and `allows`.
    ///
    /// Errors (each naming the pack file and line): TOML or format errors,
    /// a bad, huge or empty-matching pattern, a duplicate rule id, a test
    /// case the rule does not flag or an allowed case it flags.
    pub fn load(
        user: &[(PathBuf, String)],
        taken: &[&str],
    ) -> Result<Arc<PackSet>, Box<PackError>> {
        let mut rules: Vec<format::RuleSpec> = Vec::new();
        // (rule index, index into `user`) of every user rule.
        let mut user_rules = Vec::new();
        let sources = EMBEDDED
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_string()))
            .chain(user.iter().cloned());
        for (source, (path, text)) in sources.enumerate() {
            let trust = match source < EMBEDDED.len() {
                true => format::Trust::Embedded,
                false => format::Trust::User,
            };
            let parsed = format::parse(&path, &text, trust)?;
            for spec in parsed {
                if let Some(user_index) = source.checked_sub(EMBEDDED.len()) {
                    user_rules.push((rules.len(), user_index));
                }
                let clash =
                    taken.contains(&spec.id.as_str()) || rules.iter().any(|r| r.id == spec.id);
                if clash {
                    return Err(Box::new(pack_error_at(
                        &path,
                        &text,
                        spec.id_span.clone(),
                        format!("duplicate rule id `{}`", spec.id),
                        "every rule needs its own id; `manulint rules` lists the ids in use",
                    )));
                }
                rules.push(spec);
            }
        }
        // Only the built-in packs (known to compile) are built while the
        // run goes on; a user's pack must fail here, naming its error.
        let matcher = matcher::Matcher::new(&rules, user.is_empty())?;
        let set = Arc::new(PackSet { rules, matcher });
        for (index, user_index) in user_rules {
            let (path, text) = &user[user_index];
            set.check_cases(index, path, text)?;
        }
        Ok(set)
    }

    /// Runs rule `index`'s `tests` (each must be flagged) and `allows`
    /// (none may be), as `cargo test` does for the shipped packs.
    fn check_cases(
        self: &Arc<Self>,
        index: usize,
        path: &Path,
        text: &str,
    ) -> Result<(), Box<PackError>> {
        let spec = &self.rules[index];
        let help = "fix the rule's phrases or patterns, or the case; a case is tried as a \
                    heading and as the start of a paragraph, as the rule's `scope` allows";
        for case in &spec.tests {
            if !self.case_fires(index, &case.text)? {
                return Err(Box::new(pack_error_at(
                    path,
                    text,
                    case.span.clone(),
                    format!(
                        "rule `{}` does not flag its test case “{}”",
                        spec.id, case.text
                    ),
                    help,
                )));
            }
        }
        for case in &spec.allows {
            if self.case_fires(index, &case.text)? {
                return Err(Box::new(pack_error_at(
                    path,
                    text,
                    case.span.clone(),
                    format!(
                        "rule `{}` flags “{}”, which its `allows` lists as fine",
                        spec.id, case.text
                    ),
                    help,
                )));
            }
        }
        Ok(())
    }

    /// Whether rule `index`, with default options, flags `case` in any of
    /// the places it can stand (see [`case_chapters`]). A test case must be
    /// flagged somewhere; an allowed case nowhere.
    pub(crate) fn case_fires(
        self: &Arc<Self>,
        index: usize,
        case: &str,
    ) -> Result<bool, Box<PackError>> {
        let options = toml::Table::new();
        let config = Config::default();
        let setup = RuleSetup {
            options: &options,
            config: &config,
        };
        let spec = &self.rules[index];
        let rule = rule::PackRule::build(Arc::clone(self), index, &setup).map_err(|e| {
            Box::new(pack_error(
                format!("rule `{}` cannot be built: {e}", spec.id),
                "report this as a bug in manulint",
            ))
        })?;
        let enabled = [EnabledRule {
            rule,
            severity: spec.severity,
        }];
        Ok(case_chapters(spec.scope, case)
            .into_iter()
            .any(|(name, text)| {
                let format = SourceFormat::from_extension(name.rsplit('.').next().unwrap_or(""));
                let chapter = Chapter::parse(0, PathBuf::from(name), format, Arc::from(text));
                let manuscript = Manuscript::new(vec![chapter]);
                !engine::run(&manuscript, &enabled).diagnostics.is_empty()
            }))
    }

    /// Loads the embedded packs and the packs named in `config`.
    pub fn for_config(config: &Config, taken: &[&str]) -> Result<Arc<PackSet>, Box<PackError>> {
        if config.packs.is_empty() {
            return PackSet::load(&[], taken);
        }
        let root = config.root().unwrap_or(Path::new("."));
        let mut user = Vec::new();
        for name in &config.packs {
            let path = root.join(name);
            let cannot_read = |reason: String| {
                Box::new(pack_error(
                    format!("cannot read rule pack {}: {reason}", path.display()),
                    "check the path in `packs = [...]` in manulint.toml (it is relative to that file)",
                ))
            };
            // A pipe or device named as a pack must not be read forever.
            if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
                return Err(cannot_read("not a regular file".to_string()));
            }
            let text = std::fs::read_to_string(&path).map_err(|e| {
                cannot_read(match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file".to_string(),
                    std::io::ErrorKind::InvalidData => "it is not valid UTF-8".to_string(),
                    _ => e.to_string(),
                })
            })?;
            user.push((path, text));
        }
        PackSet::load(&user, taken)
    }

    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.id.as_str())
    }

    /// Adds one registry entry per pack rule.
    pub fn register(self: &Arc<PackSet>, registry: &mut Registry) {
        for (index, spec) in self.rules.iter().enumerate() {
            let set = Arc::clone(self);
            registry.push(AvailableRule::new(
                spec.meta(),
                Box::new(move |setup| rule::PackRule::build(Arc::clone(&set), index, setup)),
            ));
        }
    }
}

/// A rule's in-file case as the one-chapter manuscripts its scope can see:
/// as a Markdown heading, and as the first line of a plain-text paragraph
/// (followed by prose in the same paragraph, so a short case is not taken
/// for a heading). `(file name, text)`.
pub(crate) fn case_chapters(scope: PackScope, case: &str) -> Vec<(&'static str, String)> {
    let heading = ("case.md", format!("# {case}\n\nShe went home.\n"));
    let paragraph = ("case.txt", format!("{case}\nShe went home.\n\nThe end.\n"));
    match scope {
        PackScope::Headings => vec![heading],
        PackScope::Narration | PackScope::Dialogue => vec![paragraph],
        PackScope::All => vec![heading, paragraph],
    }
}
