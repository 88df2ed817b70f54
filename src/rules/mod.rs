//! The rule registry: one explicit list of every rule manulint knows.

pub mod abbreviation_style;
pub mod anachronism;
pub mod bad_directive;
pub mod dialogue_dash;
pub mod doubled_word;
pub mod draft_marker;
pub mod duplicates;
pub mod echoes;
pub mod ellipsis_style;
pub mod mixed_style;
pub mod name_variant;
pub mod quote_style;
pub mod truncated_text;
pub mod wikilink;

use crate::rule::{Rule, RuleFactory, RuleMeta, RuleSetup};

/// How many items two sorted lists have in common, an item held by both
/// counted as often as the one holding it fewer times (the size of their
/// intersection as multisets). Linear: one merge pass.
pub(crate) fn common_count<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// Every code rule, in the order `manulint rules` lists them.
pub const CODE_RULES: &[RuleFactory] = &[
    doubled_word::FACTORY,
    draft_marker::FACTORY,
    wikilink::FACTORY,
    duplicates::duplicate_paragraph::FACTORY,
    duplicates::repeated_sentence::FACTORY,
    echoes::repeated_phrase::FACTORY,
    echoes::word_echo::FACTORY,
    echoes::overused_word::FACTORY,
    anachronism::FACTORY,
    quote_style::FACTORY,
    dialogue_dash::FACTORY,
    ellipsis_style::FACTORY,
    abbreviation_style::FACTORY,
    name_variant::FACTORY,
    truncated_text::FACTORY,
    bad_directive::FACTORY,
];

type Builder = Box<dyn Fn(&RuleSetup) -> Result<Box<dyn Rule>, String> + Send + Sync>;

/// A rule that can be enabled: its metadata and how to build it.
pub struct AvailableRule {
    pub meta: RuleMeta,
    build: Builder,
}

impl AvailableRule {
    pub fn new(meta: RuleMeta, build: Builder) -> Self {
        AvailableRule { meta, build }
    }

    pub fn build(&self, setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
        (self.build)(setup)
    }
}

/// All rules available to a run.
pub struct Registry {
    rules: Vec<AvailableRule>,
}

impl Registry {
    /// The built-in rules: code rules and the embedded rule packs.
    pub fn builtin() -> Registry {
        Registry::with_packs(&crate::packs::PackSet::embedded())
    }

    /// The code rules plus every rule of `packs`.
    pub fn with_packs(packs: &std::sync::Arc<crate::packs::PackSet>) -> Registry {
        let rules = CODE_RULES
            .iter()
            .map(|factory| AvailableRule::new(factory.meta.clone(), Box::new(factory.build)))
            .collect();
        let mut registry = Registry { rules };
        packs.register(&mut registry);
        registry
    }

    /// The ids of the code rules, which pack rules may not reuse.
    pub fn code_rule_ids() -> Vec<&'static str> {
        CODE_RULES
            .iter()
            .map(|f| match &f.meta.id {
                std::borrow::Cow::Borrowed(id) => *id,
                std::borrow::Cow::Owned(_) => "",
            })
            .collect()
    }

    pub fn push(&mut self, rule: AvailableRule) {
        self.rules.push(rule);
    }

    pub fn get(&self, id: &str) -> Option<&AvailableRule> {
        self.rules.iter().find(|r| r.meta.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &AvailableRule> {
        self.rules.iter()
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> + Clone {
        self.rules.iter().map(|r| r.meta.id.as_ref())
    }

    /// Every rule's documentation as one Markdown page (`docs/rules.md`):
    /// a `##` heading per rule id (the anchor editors link to), its summary,
    /// category, default severity and fix, then its docs one level down.
    pub fn reference_markdown(&self) -> String {
        let mut out = String::from(
            "# Rules\n\nEvery rule manulint ships, as `manulint explain RULE` prints it. \
             This page is generated from the rules' own docs (`cargo test` checks it is current; \
             `MANULINT_UPDATE_DOCS=1 cargo test --lib reference` rewrites it).\n",
        );
        for rule in self.iter() {
            let meta = &rule.meta;
            let fix = match meta.fix {
                Some(crate::diagnostic::Applicability::Safe) => "safe (`--fix`)",
                Some(crate::diagnostic::Applicability::Unsafe) => "unsafe (`--fix --unsafe-fixes`)",
                None => "none",
            };
            out.push_str(&format!(
                "\n## {}\n\n{}\n\nCategory: {} · Default severity: {} · Fix: {fix}\n\n",
                meta.id, meta.summary, meta.category, meta.default_severity
            ));
            let mut in_code = false;
            for line in meta.docs_markdown().lines() {
                if line.trim_start().starts_with("```") {
                    in_code = !in_code;
                }
                if line.starts_with('#') && !in_code {
                    out.push('#');
                }
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::rule::DOC_SECTIONS;

    #[test]
    fn every_rule_has_a_unique_kebab_case_id() {
        let registry = Registry::builtin();
        let mut seen = HashSet::new();
        for id in registry.ids() {
            assert!(seen.insert(id), "duplicate rule id {id}");
            let kebab = !id.is_empty()
                && id.split('-').all(|part| {
                    !part.is_empty()
                        && part
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                });
            assert!(kebab, "rule id {id:?} is not kebab-case");
        }
    }

    /// A rule that offers a fix declares it, as strong as any it offers
    /// (`manulint rules`, `explain` and the docs say what `--fix` may
    /// change): every rule over the sample novel and a chapter that spells
    /// a name two ways.
    #[test]
    fn every_fix_a_rule_offers_is_declared() {
        use crate::diagnostic::Applicability;
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/sample-novel");
        let mut files: Vec<(String, String)> = std::fs::read_dir(folder)
            .expect("the sample novel")
            .map(|entry| {
                let path = entry.expect("an entry").path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(&path).expect("UTF-8"))
            })
            .collect();
        files.sort();
        let nathalie = "“Wait,” said Nathalie.\n\nNathalie smiled at the door.\n\n".repeat(3);
        files.push(("names-a.txt".into(), nathalie));
        let natalie = "Natalie’s coat was wet. “Look, Natalie!” he said. Natalie smiled.\n";
        files.push(("names-b.txt".into(), natalie.into()));
        let chapters: Vec<(&str, &str)> = files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut offered = HashSet::new();
        let registry = Registry::builtin();
        for id in registry.ids() {
            let declared = registry.get(id).expect("listed").meta.fix;
            let (_, diagnostics) = crate::testing::run_rule_on(id, &chapters);
            for fix in diagnostics.iter().filter_map(|d| d.fix.as_ref()) {
                offered.insert(id.to_string());
                assert!(
                    declared == Some(fix.applicability) || declared == Some(Applicability::Unsafe),
                    "{id} offers a {:?} fix but declares {declared:?}",
                    fix.applicability
                );
            }
        }
        // The test sees the rules whose fixes it is about.
        for id in [
            "doubled-word",
            "quote-style",
            "name-variant",
            "spelling-variant",
        ] {
            assert!(offered.contains(id), "no fix from {id}: {offered:?}");
        }
    }

    /// `docs/rules.md` is what the registry says (editors link to it).
    #[test]
    fn reference_page_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
        let expected = Registry::builtin().reference_markdown();
        if std::env::var_os("MANULINT_UPDATE_DOCS").is_some() {
            std::fs::write(path, &expected).expect("write docs/rules.md");
        }
        let current = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            current == expected,
            "docs/rules.md is stale: run `MANULINT_UPDATE_DOCS=1 cargo test --lib reference`"
        );
    }

    #[test]
    fn every_rule_has_docs_with_all_sections() {
        for rule in Registry::builtin().iter() {
            let docs = rule.meta.docs_markdown();
            for section in DOC_SECTIONS {
                assert!(
                    docs.lines()
                        .any(|l| l.trim_start_matches('#').trim() == section),
                    "rule {} lacks a `{section}` section in its docs",
                    rule.meta.id
                );
            }
            assert!(
                !rule.meta.summary.is_empty(),
                "rule {} has no summary",
                rule.meta.id
            );
        }
    }
}
