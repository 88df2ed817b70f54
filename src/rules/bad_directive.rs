//! `bad-directive`: typos in inline suppression directives. The findings are
//! made by the suppression stage (`crate::suppress`), which knows every rule
//! id of the run; this rule carries the metadata, docs and level.

use crate::declare_rule;
use crate::rule::{Rule, RuleFactory, RuleMeta, RuleSetup};

declare_rule! {
    /// ## What it does
    /// Checks the inline suppression directives (`<!-- manulint-disable
    /// RULE -->` in Markdown, `%% manulint-disable RULE` lines in plain
    /// text) and warns, at the exact place, about a rule id that does not
    /// exist or a directive name that is misspelled, written in capitals
    /// (`MANULINT-DISABLE`) or in another linter's form
    /// (`manulint-disable-next-line`), with the directive meant. Also a
    /// directive in the wrong comment for its chapter: an HTML comment in
    /// plain text, or a `%%` line left unclosed in Markdown (closed, `%%
    /// manulint-disable RULE %%` is an Obsidian comment and works there).
    /// A reason after `--` is no rule id.
    ///
    /// ## Why
    /// A directive with a typo suppresses nothing. Without a warning, the
    /// author believes a finding was silenced on purpose while the
    /// directive does nothing at all (or the other way round).
    ///
    /// ## Example
    /// ```text
    /// <!-- manulint-disable draft-makrer -->   ← flagged: no such rule
    /// <!-- manulint-disabel draft-marker -->   ← flagged: no such directive
    /// <!-- MANULINT-DISABLE draft-marker -->   ← flagged: directives are lowercase
    /// <!-- manulint-disable draft-marker -->   ← fine
    /// ```
    ///
    /// ## Options
    /// None. Set `level` to change its severity. Inline directives cannot
    /// silence this rule, so a typo is never hidden by another directive.
    pub static META = {
        id: "bad-directive",
        category: Structure,
        severity: Warning,
        scope: Chapter,
        summary: "A manulint-disable directive naming an unknown rule or directive",
    }
}

pub const FACTORY: RuleFactory = RuleFactory { meta: &META, build };

struct BadDirective;

fn build(setup: &RuleSetup) -> Result<Box<dyn Rule>, String> {
    setup.no_options()?;
    Ok(Box::new(BadDirective))
}

impl Rule for BadDirective {
    fn meta(&self) -> &RuleMeta {
        &META
    }
}
