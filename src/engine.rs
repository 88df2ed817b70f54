//! Runs the enabled rules over a manuscript: chapter rules in parallel across
//! chapters, manuscript rules in parallel with each other. The result is
//! sorted, so output is identical whatever the thread count.

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{Rule, RuleContext, Scope};
use crate::text::Manuscript;

/// The analysis stage: each rule's [`Rule::prepare`], grouped by
/// [`Rule::analysis_family`] (in rule order within a family, families side
/// by side). Returns the time each rule took, in the order of `rules`.
fn prepare(manuscript: &Manuscript, rules: &[EnabledRule]) -> Vec<Duration> {
    let mut families: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, enabled) in rules.iter().enumerate() {
        let Some(family) = enabled.rule.analysis_family() else {
            continue;
        };
        match families.iter_mut().find(|(name, _)| *name == family) {
            Some((_, members)) => members.push(index),
            None => families.push((family, vec![index])),
        }
    }
    let timed: Vec<Vec<(usize, Duration)>> = families
        .par_iter()
        .map(|(_, members)| {
            members
                .iter()
                .map(|&index| {
                    let started = Instant::now();
                    rules[index].rule.prepare(manuscript);
                    (index, started.elapsed())
                })
                .collect()
        })
        .collect();
    let mut took = vec![Duration::ZERO; rules.len()];
    for (index, duration) in timed.into_iter().flatten() {
        took[index] = duration;
    }
    took
}

/// A rule ready to run, with the severity its findings get.
pub struct EnabledRule {
    pub rule: Box<dyn Rule>,
    pub severity: Severity,
}

#[derive(Debug, Default)]
pub struct RunOutput {
    pub diagnostics: Vec<Diagnostic>,
    /// `--verbose` notes from rules.
    pub notes: Vec<String>,
    /// Lines every run shows: what a rule could not check (see
    /// [`RuleContext::notice`]). Sorted, without duplicates.
    pub notices: Vec<String>,
    /// What each rule cost, in the order of `rules` (`--timings`).
    pub timings: Vec<RuleTiming>,
}

/// The time one rule took in one run.
#[derive(Clone, Debug, Default)]
pub struct RuleTiming {
    pub rule: String,
    /// Its analysis stage ([`Rule::prepare`]), on one thread.
    pub prepare: Duration,
    /// Its checks, summed over chapters (CPU time across the pool's
    /// threads, so the column adds up to more than the wall time on a
    /// machine with several cores).
    pub check: Duration,
}

/// Runs `rules` over `manuscript` in two stages: the analysis stage (every
/// rule's [`Rule::prepare`]: the rules of one analysis family in order,
/// families in parallel), then the checks (chapter rules in parallel across
/// chapters, beside the manuscript rules). The checks only read the
/// analyses, so no pool thread ever waits for one being built.
/// Diagnostics come back sorted by [`Diagnostic::sort_key`].
pub fn run(manuscript: &Manuscript, rules: &[EnabledRule]) -> RunOutput {
    let prepare = prepare(manuscript, rules);
    let (chapter_rules, manuscript_rules): (Vec<_>, Vec<_>) = rules
        .iter()
        .enumerate()
        .partition(|(_, r)| r.rule.meta().scope == Scope::Chapter);

    let (per_chapter, whole) = rayon::join(
        || {
            manuscript
                .chapters
                .par_iter()
                .flat_map_iter(|chapter| {
                    chapter_rules.iter().map(move |&(index, enabled)| {
                        let started = Instant::now();
                        let mut ctx = RuleContext::new(&enabled.rule.meta().id, enabled.severity);
                        enabled.rule.check_chapter(chapter, &mut ctx);
                        (index, ctx.into_output(), started.elapsed())
                    })
                })
                .collect::<Vec<_>>()
        },
        || {
            manuscript_rules
                .par_iter()
                .map(|&(index, enabled)| {
                    let started = Instant::now();
                    let mut ctx = RuleContext::new(&enabled.rule.meta().id, enabled.severity);
                    enabled.rule.check_manuscript(manuscript, &mut ctx);
                    (index, ctx.into_output(), started.elapsed())
                })
                .collect::<Vec<_>>()
        },
    );

    let mut output = RunOutput {
        timings: rules
            .iter()
            .zip(prepare)
            .map(|(enabled, prepare)| RuleTiming {
                rule: enabled.rule.meta().id.to_string(),
                prepare,
                check: Duration::ZERO,
            })
            .collect(),
        ..RunOutput::default()
    };
    for (index, rule_output, took) in per_chapter.into_iter().chain(whole) {
        output.timings[index].check += took;
        output.diagnostics.extend(rule_output.diagnostics);
        output.notes.extend(rule_output.notes);
        output.notices.extend(rule_output.notices);
    }
    output
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    output.notes.sort();
    output.notes.dedup();
    output.notices.sort();
    output.notices.dedup();
    output
}
