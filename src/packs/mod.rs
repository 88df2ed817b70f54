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
//! all regexes into one `RegexSet`; a chapter is scanned once and the hits
//! are shared by every pack rule (see [`matcher`]).

mod compounds;
mod format;
mod matcher;
mod rule;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use format::{PackError, PackKind, PackScope};
use format::{pack_error, pack_error_at};

use crate::config::Config;
use crate::rules::{AvailableRule, Registry};

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
    /// checks rule ids against `taken` (the code rules), and compiles them.
    pub fn load(
        user: &[(PathBuf, String)],
        taken: &[&str],
    ) -> Result<Arc<PackSet>, Box<PackError>> {
        let mut rules: Vec<format::RuleSpec> = Vec::new();
        let sources = EMBEDDED
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_string()))
            .chain(user.iter().cloned());
        for (path, text) in sources {
            let parsed = format::parse_pack(&path, &text)?;
            for spec in parsed {
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
        let matcher = matcher::Matcher::new(&rules)?;
        Ok(Arc::new(PackSet { rules, matcher }))
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
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Box::new(pack_error(
                    format!("cannot read rule pack {}: {e}", path.display()),
                    "check the path in `packs = [...]` in manulint.toml (it is relative to that file)",
                ))
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
