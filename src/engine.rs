//! Runs the enabled rules over a manuscript. Rules are grouped by the
//! shared analyses they read ([`Rule::analysis_family`]); each group runs
//! as one task — its analyses built (those that read no other analysis side
//! by side, [`Rule::independent_analyses`], then the rest in order,
//! [`Rule::prepare`]), then its checks (chapter rules in parallel across
//! chapters, manuscript rules in parallel with each other) — and two groups
//! run side by side: the duplicate family, and the others one after
//! another (see [`run`]). A check only reads analyses its own group has built,
//! so no pool thread ever waits for one being built, and a group's checks
//! start as soon as its own analyses are done. When they are done, the
//! group lets go of its analyses ([`Rule::release_analyses`]) unless the
//! manuscript is checked again and again. The result is sorted, so output
//! is identical whatever the thread count.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rule::{IndependentAnalysis, Rule, RuleContext, RuleOutput, Scope};
use crate::text::{Chapter, Manuscript};

/// The rules (indices into the run's list) of each analysis family, in
/// rule order; rules without a family form the last group.
fn groups(rules: &[EnabledRule]) -> Vec<Vec<usize>> {
    let mut families: Vec<(Option<&str>, Vec<usize>)> = Vec::new();
    for (index, enabled) in rules.iter().enumerate() {
        let family = enabled.rule.analysis_family();
        match families.iter_mut().find(|(name, _)| *name == family) {
            Some((_, members)) => members.push(index),
            None => families.push((family, vec![index])),
        }
    }
    families.sort_by_key(|(name, _)| name.is_none());
    families.into_iter().map(|(_, members)| members).collect()
}

/// One rule's output in a run: its index, what it found, and what its
/// analysis stage and its checks took.
type Ran = (usize, RuleOutput, Duration, Duration);

/// Runs one group: its independent analyses side by side, its other
/// analyses in order, then its checks.
fn run_group(manuscript: &Manuscript, rules: &[EnabledRule], members: &[usize]) -> Vec<Ran> {
    let independent = build_independent(manuscript, rules, members);
    // The analysis stage's times, once per rule.
    let stages: Vec<Ran> = members
        .iter()
        .map(|&index| {
            let started = Instant::now();
            rules[index].rule.prepare(manuscript);
            let took = started.elapsed();
            (index, RuleOutput::default(), took, Duration::ZERO)
        })
        .chain(independent)
        .collect();
    let (chapter_rules, manuscript_rules): (Vec<usize>, Vec<usize>) = members
        .iter()
        .partition(|&&index| rules[index].rule.meta().scope == Scope::Chapter);
    let (per_chapter, whole) = rayon::join(
        || {
            manuscript
                .chapters
                .par_iter()
                .flat_map_iter(|chapter| {
                    chapter_rules
                        .iter()
                        .map(move |&index| check_chapter(rules, index, chapter))
                })
                .collect::<Vec<Ran>>()
        },
        || {
            manuscript_rules
                .par_iter()
                .map(|&index| {
                    check(rules, index, |rule, ctx| {
                        rule.check_manuscript(manuscript, ctx)
                    })
                })
                .collect::<Vec<Ran>>()
        },
    );
    for &index in members {
        rules[index].rule.release_analyses(manuscript);
    }
    per_chapter.into_iter().chain(whole).chain(stages).collect()
}

/// Builds the distinct [`Rule::independent_analyses`] of a group's rules
/// in parallel, each once (the first rule to name a key builds it); each
/// build's time is its rule's.
fn build_independent(
    manuscript: &Manuscript,
    rules: &[EnabledRule],
    members: &[usize],
) -> Vec<Ran> {
    let mut builds: Vec<(usize, IndependentAnalysis)> = Vec::new();
    for &index in members {
        for analysis in rules[index].rule.independent_analyses() {
            if !builds.iter().any(|(_, b)| b.key == analysis.key) {
                builds.push((index, analysis));
            }
        }
    }
    builds
        .par_iter()
        .map(|(index, analysis)| {
            let started = Instant::now();
            (analysis.build)(manuscript);
            (
                *index,
                RuleOutput::default(),
                started.elapsed(),
                Duration::ZERO,
            )
        })
        .collect()
}

/// Runs one check of rule `index` (`run` calls the rule's hook), timed.
fn check(
    rules: &[EnabledRule],
    index: usize,
    run: impl FnOnce(&dyn Rule, &mut RuleContext),
) -> Ran {
    let enabled = &rules[index];
    let started = Instant::now();
    let mut ctx = RuleContext::new(&enabled.rule.meta().id, enabled.severity);
    run(enabled.rule.as_ref(), &mut ctx);
    (index, ctx.into_output(), Duration::ZERO, started.elapsed())
}

/// Runs chapter rule `index` on `chapter`. What a chapter rule reports
/// depends on the chapter and the rule's settings alone, so it is kept with
/// the chapter (see [`crate::text::Chapter::memo`]): a language server's
/// re-check after an edit runs chapter rules on the edited chapter only.
/// Findings name their chapter by index, which moves when chapters are
/// added or removed, so kept ones are moved to the chapter's index now.
fn check_chapter(rules: &[EnabledRule], index: usize, chapter: &Chapter) -> Ran {
    let enabled = &rules[index];
    let key = format!(
        "engine/check/{}/{:?}/{:?}",
        enabled.rule.meta().id,
        enabled.severity,
        chapter.language
    );
    let kept = chapter.memo(&key, |chapter| {
        let ran = check(rules, index, |rule, ctx| rule.check_chapter(chapter, ctx));
        (chapter.index, ran.1, ran.3)
    });
    let (built_at, mut output, took) = match Arc::try_unwrap(kept) {
        Ok(built) => built,
        Err(kept) => (kept.0, kept.1.clone(), Duration::ZERO),
    };
    if built_at != chapter.index {
        for diagnostic in &mut output.diagnostics {
            for label in std::iter::once(&mut diagnostic.primary).chain(&mut diagnostic.related) {
                if label.chapter == built_at {
                    label.chapter = chapter.index;
                }
            }
        }
    }
    (index, output, Duration::ZERO, took)
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
    /// [`RuleContext::notice`]), as `rule: text`. Sorted, without
    /// duplicates; one text from several rules is one line naming them all
    /// (see [`merge_notices`]).
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

/// Runs `rules` over `manuscript`, group by group (see the module docs).
/// Diagnostics come back sorted by [`Diagnostic::sort_key`].
///
/// The duplicate family (the largest analyses by far) runs beside the
/// other groups, and they run one after another: two groups at a time,
/// whatever the thread count, each using every thread for its own work.
/// All at once, a 100 MB one-line chapter held 45 MB more at 16 threads
/// than at 2, the other groups' analyses built during the duplicates'
/// peak.
pub fn run(manuscript: &Manuscript, rules: &[EnabledRule]) -> RunOutput {
    let (heavy, rest): (Vec<Vec<usize>>, Vec<Vec<usize>>) =
        groups(rules).into_iter().partition(|members| {
            rules[members[0]].rule.analysis_family() == Some(crate::rule::family::DUPLICATES)
        });
    let (mut ran, others) = rayon::join(
        || {
            heavy
                .iter()
                .flat_map(|members| run_group(manuscript, rules, members))
                .collect::<Vec<Ran>>()
        },
        || {
            rest.iter()
                .flat_map(|members| run_group(manuscript, rules, members))
                .collect::<Vec<Ran>>()
        },
    );
    ran.extend(others);
    let mut output = RunOutput {
        timings: rules
            .iter()
            .map(|enabled| RuleTiming {
                rule: enabled.rule.meta().id.to_string(),
                ..RuleTiming::default()
            })
            .collect(),
        ..RunOutput::default()
    };
    // Sized once: grown by doubling, the list of every finding held up to
    // twice its size at the end of the run, when everything else is held.
    output
        .diagnostics
        .reserve_exact(ran.iter().map(|r| r.1.diagnostics.len()).sum());
    for (index, rule_output, prepared, checked) in ran {
        output.timings[index].prepare += prepared;
        output.timings[index].check += checked;
        output.diagnostics.extend(rule_output.diagnostics);
        output.notes.extend(rule_output.notes);
        output.notices.extend(rule_output.notices);
    }
    output
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // In natural order, so that chapter-2 comes before chapter-10.
    output.notes.sort_by(|a, b| natord::compare(a, b));
    output.notes.dedup();
    output.notices = merge_notices(output.notices);
    output
}

/// `notices` (each `rule: text`, see [`RuleContext::notice`]) sorted, with
/// the rules that gave one text named together on one line (“overused-word,
/// repeated-phrase, word-echo: skipped: …”): a family of rules that read
/// one analysis says what it left out once, not once per rule.
fn merge_notices(notices: Vec<String>) -> Vec<String> {
    let mut by_text: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut sorted: Vec<(&str, &str)> = notices
        .iter()
        .map(|n| match n.split_once(": ") {
            Some((rule, text)) => (text, rule),
            None => (n.as_str(), ""),
        })
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    for (text, rule) in sorted {
        match by_text.last_mut() {
            Some((last, rules)) if *last == text => rules.push(rule),
            _ => by_text.push((text, vec![rule])),
        }
    }
    let mut merged: Vec<String> = by_text
        .into_iter()
        .map(|(text, rules)| match rules.join(", ") {
            rules if rules.is_empty() => text.to_string(),
            rules => format!("{rules}: {text}"),
        })
        .collect();
    merged.sort();
    merged
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::rule::{Category, RuleMeta};

    /// A rule of one family that names independent analyses by key, each
    /// build counted (the shared store alone would hide a second build),
    /// and checks that its own analyses are there.
    struct Counting {
        meta: RuleMeta,
        keys: Vec<&'static str>,
        builds: Arc<AtomicUsize>,
    }

    impl Rule for Counting {
        fn meta(&self) -> &RuleMeta {
            &self.meta
        }

        fn analysis_family(&self) -> Option<&'static str> {
            Some("test")
        }

        fn independent_analyses(&self) -> Vec<IndependentAnalysis<'_>> {
            self.keys
                .iter()
                .map(|key| {
                    IndependentAnalysis::new(key.to_string(), move |manuscript| {
                        self.builds.fetch_add(1, Ordering::Relaxed);
                        manuscript.shared(key, |_| *key);
                    })
                })
                .collect()
        }

        fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
            for key in &self.keys {
                if !manuscript.has_shared::<&'static str>(key) {
                    ctx.notice(format!("{key} missing"));
                }
            }
        }

        fn release_analyses(&self, manuscript: &Manuscript) {
            for key in &self.keys {
                manuscript.release_shared::<&'static str>(key);
            }
        }
    }

    /// A manuscript rule's description, `id` aside empty.
    fn test_meta(id: &'static str) -> RuleMeta {
        RuleMeta {
            id: Cow::Borrowed(id),
            category: Category::Repetition,
            default_severity: Severity::Warning,
            scope: Scope::Manuscript,
            summary: Cow::Borrowed(""),
            docs: Cow::Borrowed(""),
            fix: None,
        }
    }

    fn counting(id: &'static str, keys: &[&'static str], builds: &Arc<AtomicUsize>) -> EnabledRule {
        EnabledRule {
            rule: Box::new(Counting {
                meta: test_meta(id),
                keys: keys.to_vec(),
                builds: Arc::clone(builds),
            }),
            severity: Severity::Warning,
        }
    }

    /// A rule of a given family whose analysis stage takes a while, and
    /// counts how many groups are in theirs at once.
    struct Busy {
        meta: RuleMeta,
        family: Option<&'static str>,
        /// Groups in their analysis stage now, and the most at once.
        active: Arc<(AtomicUsize, AtomicUsize)>,
    }

    impl Rule for Busy {
        fn meta(&self) -> &RuleMeta {
            &self.meta
        }

        fn analysis_family(&self) -> Option<&'static str> {
            self.family
        }

        fn prepare(&self, _: &Manuscript) {
            let now = self.active.0.fetch_add(1, Ordering::SeqCst) + 1;
            self.active.1.fetch_max(now, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(30));
            self.active.0.fetch_sub(1, Ordering::SeqCst);
        }

        fn check_manuscript(&self, _: &Manuscript, _: &mut RuleContext) {}
    }

    /// Two groups at a time whatever the thread count — the duplicate
    /// family beside the others in turn — so that peak memory does not
    /// grow with the number of cores.
    #[test]
    fn one_notice_from_several_rules_is_one_line_naming_them() {
        let notices = [
            "word-echo: skipped: no word frequencies for Italian",
            "cliche: skipped Italian text",
            "overused-word: skipped: no word frequencies for Italian",
            "word-echo: skipped: no word frequencies for Italian",
            "anachronism: no story year",
        ];
        assert_eq!(
            merge_notices(notices.iter().map(|n| n.to_string()).collect()),
            [
                "anachronism: no story year",
                "cliche: skipped Italian text",
                "overused-word, word-echo: skipped: no word frequencies for Italian",
            ]
        );
    }

    #[test]
    fn two_groups_run_at_once_whatever_the_thread_count() {
        use crate::rule::family;
        let active = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        let busy = |id: &'static str, family: Option<&'static str>| EnabledRule {
            rule: Box::new(Busy {
                meta: test_meta(id),
                family,
                active: Arc::clone(&active),
            }),
            severity: Severity::Warning,
        };
        let rules = [
            busy("a", None),
            busy("b", Some(family::CAPITALISATION)),
            busy("c", Some(family::DUPLICATES)),
            busy("d", Some(family::STORY_YEARS)),
        ];
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(16)
            .build()
            .expect("a pool");
        let output = pool.install(|| run(&Manuscript::new(Vec::new()), &rules));
        // All four at once before (one thread each of sixteen).
        let most = active.1.load(Ordering::SeqCst);
        assert!((1..=2).contains(&most), "{most} groups at once");
        assert_eq!(output.timings.len(), 4);
    }

    #[test]
    fn independent_analyses_are_built_once_each_before_the_checks() {
        let builds = Arc::new(AtomicUsize::new(0));
        let rules = [
            counting("a", &["detection", "lexicon"], &builds),
            counting("b", &["detection"], &builds),
            counting("c", &["lexicon", "other"], &builds),
        ];
        let output = run(&Manuscript::new(Vec::new()), &rules);
        assert_eq!(builds.load(Ordering::Relaxed), 3);
        assert!(output.notices.is_empty(), "{:?}", output.notices);
    }

    #[test]
    fn a_family_lets_go_of_its_analyses_after_its_checks_unless_they_are_kept() {
        let builds = Arc::new(AtomicUsize::new(0));
        let rules = [
            counting("a", &["detection", "lexicon"], &builds),
            counting("b", &["detection"], &builds),
        ];
        let once = Manuscript::new(Vec::new());
        let output = run(&once, &rules);
        // Every check still found them (no notice), and none is left.
        assert!(output.notices.is_empty(), "{:?}", output.notices);
        assert!(!once.has_shared::<&'static str>("detection"));
        assert!(!once.has_shared::<&'static str>("lexicon"));

        let kept = Manuscript::with_kept(Vec::new(), Arc::new(crate::text::Analyses::default()));
        let output = run(&kept, &rules);
        assert!(output.notices.is_empty(), "{:?}", output.notices);
        assert!(kept.has_shared::<&'static str>("detection"));
        assert!(kept.has_shared::<&'static str>("lexicon"));
    }

    #[test]
    fn every_built_in_rule_lets_go_of_what_it_built_in_a_single_run() {
        let registry = crate::rules::Registry::builtin();
        for id in registry.ids() {
            let (manuscript, diagnostics) =
                crate::testing::run_rule_on(id, crate::testing::SAMPLE_NOVEL);
            assert_eq!(manuscript.shared_count(), 0, "{id} kept its analyses");
            // The sample has planted defects for the rules that build
            // analyses: they ran, and found something.
            if ["duplicate-paragraph", "repeated-phrase"].contains(&id) {
                assert!(!diagnostics.is_empty(), "{id} found nothing");
            }
        }
    }
}
