//! A pack rule as a [`Rule`]: filters the shared hits by rule and scope and
//! reports them according to the rule's kind.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use super::PackSet;
use super::compounds;
use super::format::{PackKind, PackScope, RuleSpec};
use super::matcher::{Hit, normalize_phrase};
use crate::diagnostic::{Edit, Finding, Fix, Label};
use crate::fix;
use crate::rule::{Rule, RuleContext, RuleMeta, RuleSetup};
use crate::rules::name_variant::capitals::{self, Capitalisation};
use crate::suppress::Silenced;
use crate::text::{Chapter, Manuscript, Span};

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct Options {
    /// Matches (or whole headings) not to flag.
    allow: Vec<String>,
    /// Occurrence rules: override the pack's `max` and `per`.
    max: Option<u32>,
    per: Option<u32>,
    /// Consistency rules whose pack names its variants: the variant the
    /// manuscript keeps to (`"British"`), whatever the majority.
    prefer: Option<String>,
}

pub struct PackRule {
    set: Arc<PackSet>,
    index: u32,
    meta: RuleMeta,
    allow: Vec<String>,
    max: u32,
    per: u32,
    /// Lowercase words of the `[names]` table: always names.
    declared_names: HashSet<String>,
    /// The position in each group of the variant set by `prefer`.
    prefer: Option<u32>,
    /// The list's inflections of one word (see [`families`]), worked out
    /// on the first check: a language server checks again after every
    /// edit.
    families: std::sync::OnceLock<Families>,
}

impl PackRule {
    pub fn build(
        set: Arc<PackSet>,
        index: usize,
        setup: &RuleSetup,
    ) -> Result<Box<dyn Rule>, String> {
        let spec = &set.rules[index];
        unknown_option(spec, setup).map_or(Ok(()), Err)?;
        let options: Options = setup.options()?;
        if spec.kind != PackKind::Occurrence && (options.max.is_some() || options.per.is_some()) {
            return Err("`max` and `per` only apply to occurrence rules".to_string());
        }
        let meta = spec.meta();
        let max = options.max.unwrap_or(spec.max);
        let per = options.per.unwrap_or(spec.per).max(1);
        let allow = options.allow.iter().map(|a| fold(a)).collect();
        let prefer = match &options.prefer {
            Some(name) => Some(preferred_variant(spec, name)?),
            None => None,
        };
        let mut declared_names = HashSet::new();
        let mut key = String::new();
        for (name, variants) in &setup.config.names {
            for word in std::iter::once(name)
                .chain(variants)
                .flat_map(|n| n.split([' ', '-']))
                .filter(|w| !w.is_empty())
            {
                capitals::form_key(word, &mut key);
                declared_names.insert(key.clone());
            }
        }
        Ok(Box::new(PackRule {
            index: index as u32,
            meta,
            allow,
            max,
            per,
            declared_names,
            prefer,
            families: std::sync::OnceLock::new(),
            set,
        }))
    }

    /// False (after a notice, which the engine shows once) for a chapter
    /// in another language than the pack's phrases.
    fn serves(&self, chapter: &Chapter, ctx: &mut RuleContext) -> bool {
        match &self.spec().language {
            Some(language) if *language != chapter.language => {
                ctx.notice(format!(
                    "skipped {} text: its phrases are {}; turn it off for this manuscript with `[rules.{}] level = \"off\"`",
                    chapter.language.name(),
                    language.name(),
                    self.meta.id
                ));
                false
            }
            _ => true,
        }
    }

    fn spec(&self) -> &RuleSpec {
        &self.set.rules[self.index as usize]
    }

    /// This rule's hits in the chapter, in scope and not allowed.
    fn hits(&self, chapter: &Chapter) -> Vec<Hit> {
        let all = self.set.matcher.hits(chapter);
        let start = all.partition_point(|h| h.rule < self.index);
        let spec = self.spec();
        let mut out: Vec<Hit> = Vec::new();
        for hit in all[start..].iter().take_while(|h| h.rule == self.index) {
            if !in_scope(chapter, hit.span, spec.scope) || self.allowed(chapter, hit.span) {
                continue;
            }
            // One report per passage: drop a hit inside an earlier, longer one.
            if let Some(last) = out.last()
                && last.span.start <= hit.span.start
                && hit.span.end <= last.span.end
            {
                continue;
            }
            if let Some(last) = out.last_mut()
                && hit.span.start == last.span.start
                && hit.span.end > last.span.end
            {
                *last = *hit;
                continue;
            }
            out.push(*hit);
        }
        out
    }

    fn allowed(&self, chapter: &Chapter, span: Span) -> bool {
        if self.allow.is_empty() {
            return false;
        }
        if self.allow.contains(&fold(chapter.slice(span))) {
            return true;
        }
        block_of(chapter, span).is_some_and(|b| {
            let whole = chapter.prose_slice(b.span);
            let whole = whole.trim().trim_matches(|c: char| "#*_ \t".contains(c));
            self.allow.contains(&fold(whole))
        })
    }

    /// For an existence rule with a fix: deleting the heading (or one-line
    /// paragraph) the match makes up entirely, with its line.
    fn delete_fix(&self, chapter: &Chapter, span: Span) -> Option<Fix> {
        let applicability = self.spec().fix?;
        let block = block_of(chapter, span)?;
        let whole = chapter.prose_slice(block.span).trim();
        let matched = chapter.prose_slice(span).trim();
        let is_whole =
            whole.trim_matches(|c: char| "#*_ \t".contains(c)) == matched || block.is_heading();
        if !is_whole {
            return None;
        }
        let what = if block.is_heading() {
            "heading"
        } else {
            "line"
        };
        fix::delete_block(chapter, block, applicability, format!("delete the {what}"))
    }

    fn message(&self, text: &str, extra: &[(&str, String)]) -> String {
        let mut message = self.spec().message.replace("{match}", &display(text));
        for (key, value) in extra {
            message = message.replace(&format!("{{{key}}}"), value);
        }
        message
    }

    fn finding(&self, chapter: usize, span: Span, message: String, label: &str) -> Finding {
        let finding = Finding::new(chapter, span, message).label(label.to_string());
        match &self.spec().help {
            Some(help) => finding.help(help.clone()),
            None => finding,
        }
    }
}

/// The groups of a consistency pack's list that are inflections of one
/// word (“realize”, “realized”, “realizes”, “realizing”), by group: the
/// family's id. Two groups are of one family when one ending (“ing”,
/// “ed”, “es”, “s”, “d”, “e” or none) taken off both of each group's first
/// two spellings, and then any final “e”, leaves the same two stems
/// (“realiz”, “realis”). Over the embedded list no family joins two
/// words. Also each group's spelling by position: `(group, position)` →
/// text.
fn families(spec: &RuleSpec) -> Families {
    const ENDINGS: [&str; 7] = ["ing", "ed", "es", "s", "d", "e", ""];
    let mut spelling: HashMap<(u32, u32), &str> = HashMap::new();
    for phrase in &spec.phrases {
        if let Some(key) = phrase.group {
            spelling.entry(key).or_insert(phrase.text.as_str());
        }
    }
    let mut groups: Vec<u32> = spelling.keys().map(|&(g, _)| g).collect();
    groups.sort_unstable();
    groups.dedup();
    let mut family_by_stems: HashMap<(String, String), u32> = HashMap::new();
    let mut family_of = HashMap::new();
    for group in groups {
        let (Some(first), Some(second)) = (spelling.get(&(group, 0)), spelling.get(&(group, 1)))
        else {
            continue;
        };
        let (first, second) = (first.to_lowercase(), second.to_lowercase());
        // A final “e” of a stem is no part of the key: “manoeuvre” and
        // “manoeuvred” (“manoeuvr-”), “centre” and “centred”.
        let stem = |word: &str, ending: &str| {
            Some(word.strip_suffix(ending)?.trim_end_matches('e').to_string())
        };
        let Some(stems) = ENDINGS
            .iter()
            .find_map(|ending| Some((stem(&first, ending)?, stem(&second, ending)?)))
        else {
            continue;
        };
        let family = *family_by_stems.entry(stems).or_insert(group);
        family_of.insert(group, family);
    }
    let spelling = spelling
        .into_iter()
        .map(|(key, text)| (key, text.to_string()))
        .collect();
    (family_of, spelling)
}

/// See [`families`].
type Families = (HashMap<u32, u32>, HashMap<(u32, u32), String>);

fn fold(text: &str) -> String {
    normalize_phrase(text).to_lowercase()
}

/// Whitespace runs shown as one space, for messages.
fn display(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn block_of(chapter: &Chapter, span: Span) -> Option<&crate::text::Block> {
    let i = chapter.blocks.partition_point(|b| b.span.end <= span.start);
    chapter
        .blocks
        .get(i)
        .filter(|b| b.span.start <= span.start && span.end <= b.span.end)
}

fn in_scope(chapter: &Chapter, span: Span, scope: PackScope) -> bool {
    let Some(block) = block_of(chapter, span) else {
        return false;
    };
    match scope {
        PackScope::All => block.is_heading() || block.is_paragraph(),
        PackScope::Headings => block.is_heading(),
        PackScope::Dialogue => block.is_paragraph() && chapter.in_dialogue(span),
        PackScope::Narration => block.is_paragraph() && !chapter.in_dialogue(span),
    }
}

impl Rule for PackRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn analysis_family(&self) -> Option<&'static str> {
        Some(crate::rule::family::CAPITALISATION)
    }

    fn prepare(&self, manuscript: &Manuscript) {
        self.set.matcher.prepare(manuscript);
        if self.spec().kind == PackKind::Consistency {
            Capitalisation::shared(manuscript);
        }
    }

    fn release_analyses(&self, manuscript: &Manuscript) {
        Capitalisation::release(manuscript);
    }

    fn check_chapter(&self, chapter: &Chapter, ctx: &mut RuleContext) {
        let spec = self.spec();
        if !self.serves(chapter, ctx) {
            return;
        }
        let hits = self.hits(chapter);
        match spec.kind {
            PackKind::Existence => {
                for hit in hits {
                    let text = chapter.slice(hit.span);
                    let mut finding =
                        self.finding(chapter.index, hit.span, self.message(text, &[]), "here");
                    if let Some(fix) = self.delete_fix(chapter, hit.span) {
                        finding = finding.fix(fix);
                    }
                    ctx.report(finding);
                }
            }
            PackKind::Substitution => {
                for hit in hits {
                    let text = chapter.slice(hit.span);
                    let replacement = spec.phrases[hit.item as usize]
                        .replacement
                        .clone()
                        .unwrap_or_default();
                    let mut finding = self.finding(
                        chapter.index,
                        hit.span,
                        self.message(text, &[("replacement", replacement.clone())]),
                        &format!("use “{replacement}”"),
                    );
                    if let Some(applicability) = spec.fix {
                        let with = fix::match_case(text, &replacement);
                        finding = finding.fix(Fix {
                            description: format!("replace with “{with}”"),
                            edits: vec![Edit::replace(hit.span, with)],
                            applicability,
                        });
                    }
                    ctx.report(finding);
                }
            }
            PackKind::Occurrence => {
                let words = chapter.word_count().max(1) as u64;
                let limit = (self.max as u64 * words)
                    .div_ceil(self.per as u64)
                    .max(self.max as u64);
                if hits.len() as u64 > limit {
                    let first_over = hits[limit as usize];
                    let text = chapter.slice(first_over.span);
                    let mut finding = self.finding(
                        chapter.index,
                        first_over.span,
                        self.message(
                            text,
                            &[
                                ("count", hits.len().to_string()),
                                ("max", self.max.to_string()),
                                ("per", self.per.to_string()),
                            ],
                        ),
                        &format!("{} uses in this chapter", hits.len()),
                    );
                    for other in hits.iter().take(5).filter(|h| h.span != first_over.span) {
                        finding = finding.related(
                            Label::new(chapter.index, other.span).with_message("also used here"),
                        );
                    }
                    ctx.report(finding);
                }
            }
            PackKind::Consistency => {}
        }
    }

    fn check_manuscript(&self, manuscript: &Manuscript, ctx: &mut RuleContext) {
        let spec = self.spec();
        if spec.kind != PackKind::Consistency {
            return;
        }
        let names = Names {
            capitalisation: &Capitalisation::shared(manuscript),
            declared: &self.declared_names,
        };
        for chapter in &manuscript.chapters {
            self.serves(chapter, ctx);
        }
        // Text this rule is silenced in (a character's letters in another
        // dialect, under `manulint-disable spelling-variant`) does not vote:
        // counted, it made the narration the minority.
        let silenced = Silenced::new(manuscript, &self.meta.id);
        let votes = |c: usize, span: Span| !silenced.at(c, span.start);
        let per_chapter: Vec<Vec<Hit>> = manuscript
            .chapters
            .par_iter()
            .map(|chapter| {
                if spec
                    .language
                    .as_ref()
                    .is_some_and(|l| *l != chapter.language)
                {
                    return Vec::new();
                }
                self.hits(chapter)
                    .into_iter()
                    .filter(|h| !names.is_name(chapter, h.span) && votes(chapter.index, h.span))
                    .collect()
            })
            .collect();
        // group → variant → occurrences
        let mut groups: HashMap<u32, Vec<Form>> = HashMap::new();
        for (c, hits) in per_chapter.iter().enumerate() {
            for hit in hits {
                let Some((g, v)) = spec.phrases[hit.item as usize].group else {
                    continue;
                };
                let forms = groups.entry(g).or_default();
                match forms.iter_mut().find(|f| f.key == v) {
                    Some(form) => form.places.push((c, hit.span)),
                    None => forms.push(Form {
                        key: v,
                        text: spec.phrases[hit.item as usize].text.clone(),
                        places: vec![(c, hit.span)],
                    }),
                }
            }
        }
        // Each list of forms with its group; learned compounds have none.
        let mut all: Vec<(Option<u32>, Vec<Form>)> = groups
            .into_iter()
            .map(|(g, forms)| (Some(g), forms))
            .collect();
        if spec.learn_compounds {
            for mut forms in compounds::learn(manuscript) {
                if forms.iter().any(|f| self.allow.contains(&fold(&f.text))) {
                    continue;
                }
                for form in &mut forms {
                    // Compounds are learned from chapters in the pack's
                    // language only (German “viel mehr” and “vielmehr”
                    // are two words, not two spellings).
                    form.places.retain(|&(c, span)| {
                        let chapter = manuscript.chapter(c);
                        spec.language
                            .as_ref()
                            .is_none_or(|l| *l == chapter.language)
                            && !names.is_name(chapter, span)
                            && votes(c, span)
                    });
                }
                forms.retain(|f| !f.places.is_empty());
                all.push((None, forms));
            }
        }
        let dialect = match self.prefer {
            None => BookDialect::of(&spec.variant_names, &all),
            Some(_) => None,
        };
        if self.prefer.is_none() {
            self.report_family_minorities(manuscript, &all, dialect.as_ref(), ctx);
        }
        for (group, forms) in all {
            match (self.prefer, group) {
                (Some(preferred), Some(group)) => {
                    self.report_unpreferred(manuscript, forms, (group, preferred), ctx);
                }
                (None, Some(_)) => {
                    self.report_minorities(
                        manuscript,
                        forms,
                        Usual::Dialect(dialect.as_ref()),
                        ctx,
                    );
                }
                // Learned compounds have no dialect: the majority decides.
                _ => self.report_minorities(manuscript, forms, Usual::Learned, ctx),
            }
        }
    }
}

/// What decides a group's usual spelling besides its counts
/// ([`PackRule::report_minorities`]).
#[derive(Clone, Copy)]
enum Usual<'d> {
    /// A group of the pack's list: in a close call the book's dialect, if
    /// it has one; on a tie otherwise, the form used first.
    Dialect(Option<&'d BookDialect>),
    /// A compound learned from the text: on a tie, the form more common in
    /// the frequency table, then the one used first.
    Learned,
}

/// The dialect most of a manuscript's dictionary spellings are in, when
/// one clearly is: its uses of that position (“British”) are at least
/// twice those of every other and at least [`BookDialect::MIN_USES`].
/// Counted over every group, those written one way only included (“grey”
/// 14 times counts for British though “gray” never appears).
struct BookDialect {
    /// The position in each group (see `variant_names`).
    position: u32,
    /// Uses in the manuscript by position.
    uses: Vec<usize>,
}

impl BookDialect {
    /// Fewer uses than this tell no dialect.
    const MIN_USES: usize = 5;

    fn of(names: &[String], all: &[(Option<u32>, Vec<Form>)]) -> Option<BookDialect> {
        if names.len() < 2 {
            return None;
        }
        let mut uses = vec![0usize; names.len()];
        for (_, forms) in all.iter().filter(|(group, _)| group.is_some()) {
            for form in forms {
                if let Some(n) = uses.get_mut(form.key as usize) {
                    *n += form.places.len();
                }
            }
        }
        let (position, &most) = uses.iter().enumerate().max_by_key(|&(_, n)| *n)?;
        let clear = most >= Self::MIN_USES
            && uses
                .iter()
                .enumerate()
                .all(|(i, &n)| i == position || n * 2 <= most);
        clear.then_some(BookDialect {
            position: position as u32,
            uses,
        })
    }
}

/// One spelling of a word and where the manuscript uses it.
pub struct Form {
    pub key: u32,
    pub text: String,
    pub places: Vec<(usize, Span)>,
}

impl PackRule {
    /// Flags every use of the spellings other than the group's usual one:
    /// the one used most, unless the group is close (the usual one at most
    /// twice as common as the next) and the book's dialect decides (a
    /// British book whose American character's letters wrote “realized”
    /// twice to the narration's one “realised”). On a tie otherwise, see
    /// [`Usual`].
    fn report_minorities(
        &self,
        manuscript: &Manuscript,
        mut forms: Vec<Form>,
        usual: Usual,
        ctx: &mut RuleContext,
    ) {
        if forms.len() < 2 {
            return;
        }
        for form in &mut forms {
            form.places.sort_by_key(|(c, s)| (*c, s.start));
        }
        let frequency = |f: &Form| match usual {
            Usual::Learned => crate::wordfreq::zipf_of(&f.text.to_lowercase()),
            Usual::Dialect(_) => 0.0,
        };
        let Some(majority) = forms
            .iter()
            .enumerate()
            .max_by(|(_, a), (_, b)| {
                a.places
                    .len()
                    .cmp(&b.places.len())
                    .then_with(|| frequency(a).total_cmp(&frequency(b)))
                    .then_with(|| b.places[0].cmp(&a.places[0]))
            })
            .map(|(i, _)| i)
        else {
            return;
        };
        let runner_up = forms
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != majority)
            .map(|(_, f)| f.places.len())
            .max()
            .unwrap_or(0);
        let close = runner_up * 2 >= forms[majority].places.len();
        let dialect = match usual {
            Usual::Dialect(dialect) => dialect,
            Usual::Learned => None,
        };
        let by_dialect = dialect.filter(|d| close && forms[majority].key != d.position);
        if let Some(dialect) = by_dialect
            && let Some(i) = forms.iter().position(|f| f.key == dialect.position)
        {
            return self.report_against_dialect(manuscript, &forms, i, dialect, ctx);
        }
        let major = &forms[majority];
        let (mc, mspan) = major.places[0];
        let major_text = display(manuscript.chapter(mc).slice(mspan));
        // The spelling to write, in lowercase; each use keeps its own case.
        let major_spelling = major_text.to_lowercase();
        for (i, form) in forms.iter().enumerate() {
            if i == majority {
                continue;
            }
            for &(c, span) in &form.places {
                let chapter = manuscript.chapter(c);
                let text = chapter.slice(span);
                let message = self.message(
                    text,
                    &[
                        ("majority", major_text.clone()),
                        ("majority_count", major.places.len().to_string()),
                        ("count", form.places.len().to_string()),
                    ],
                );
                let mut finding = self.finding(c, span, message, "minority spelling");
                if let Usual::Learned = usual {
                    // No dialect: the pack's help speaks of American and
                    // British spelling.
                    finding = finding.help(
                        "write this compound one way throughout: closed up, hyphenated or open, as your dictionary or house style has it",
                    );
                }
                let mut finding = finding.related(Label::new(mc, mspan).with_message(format!(
                    "“{major_text}” used here first ({}× in the manuscript)",
                    major.places.len()
                )));
                if let Some(applicability) = self.spec().fix {
                    let with = fix::match_case(text, &major_spelling);
                    finding = finding.fix(Fix {
                        description: format!("write “{with}”, the manuscript’s usual spelling"),
                        edits: vec![Edit::replace(span, with)],
                        applicability,
                    });
                }
                ctx.report(finding);
            }
        }
    }
}

impl PackRule {
    /// Flags a spelling that is the only one its group uses but whose word
    /// the manuscript spells the other way in its other inflections
    /// (“realize” once, “realised” twice and “realises” once): each group
    /// of the list is one inflection, so [`PackRule::report_minorities`]
    /// saw one spelling of “realize” and said nothing. As for a group, a
    /// clear majority of the word's uses (more than twice the other
    /// dialect's) decides; a close one goes to the book's `dialect` when it
    /// has one (an American book's narration keeps its one “colored”
    /// against an aunt's letter's two “colour”s, and the letter's are
    /// flagged), else nothing is said. Groups the manuscript spells both
    /// ways are left to [`PackRule::report_minorities`]. The fix writes the
    /// group's own spelling in the dialect that decided.
    fn report_family_minorities(
        &self,
        manuscript: &Manuscript,
        all: &[(Option<u32>, Vec<Form>)],
        dialect: Option<&BookDialect>,
        ctx: &mut RuleContext,
    ) {
        let spec = self.spec();
        if spec.variant_names.len() < 2 {
            return;
        }
        let (family_of, spelling) = self.families.get_or_init(|| families(spec));
        // Family → its groups' forms in the manuscript; and the groups
        // written one way only (the others are `report_minorities`' to flag).
        let mut by_family: HashMap<u32, Vec<(u32, &Form)>> = HashMap::new();
        let mut one_way: HashSet<u32> = HashSet::new();
        for (group, forms) in all {
            let Some(group) = group else { continue };
            if forms.len() == 1 {
                one_way.insert(*group);
            }
            let Some(&family) = family_of.get(group) else {
                continue;
            };
            let members = by_family.entry(family).or_default();
            members.extend(forms.iter().filter(|f| f.key < 2).map(|f| (*group, f)));
        }
        let mut families: Vec<(u32, Vec<(u32, &Form)>)> = by_family.into_iter().collect();
        families.sort_unstable_by_key(|(family, _)| *family);
        for (_, members) in families {
            // A group written both ways counts both ways here too (“realised”
            // three times and “realized” once make “realize” the minority of
            // 3 to 2, not yet flagged); `report_minorities` flags its own.
            let mut uses = [0usize; 2];
            for (_, form) in &members {
                uses[form.key as usize] += form.places.len();
            }
            let most = if uses[0] >= uses[1] { 0 } else { 1 };
            if uses[1 - most] == 0 {
                continue;
            }
            let close = uses[1 - most] * 2 >= uses[most];
            let (usual, book) = match dialect {
                Some(d) if close && (d.position as usize) < 2 => (d.position as usize, Some(d)),
                _ if !close => (most, None),
                _ => continue,
            };
            // The family's most used spelling in its usual dialect, named in
            // the message (first used first on a tie).
            let Some((_, major)) = members
                .iter()
                .filter(|(_, f)| f.key == usual as u32)
                .max_by(|(_, a), (_, b)| {
                    a.places
                        .len()
                        .cmp(&b.places.len())
                        .then_with(|| b.places[0].cmp(&a.places[0]))
                })
            else {
                continue;
            };
            let (mc, mspan) = major.places[0];
            let major_text = display(manuscript.chapter(mc).slice(mspan));
            for &(group, form) in &members {
                if form.key == usual as u32 || !one_way.contains(&group) {
                    continue;
                }
                let Some(with) = spelling.get(&(group, usual as u32)) else {
                    continue;
                };
                let (name, house) = (
                    &spec.variant_names[form.key as usize],
                    &spec.variant_names[usual],
                );
                for &(c, span) in &form.places {
                    let text = display(manuscript.chapter(c).slice(span));
                    let mut finding = match book {
                        // The book's dialect decided a close word, as
                        // `report_against_dialect` says of a close group.
                        Some(book) => self.against_dialect(
                            (c, span),
                            &text,
                            (form.key, usual as u32),
                            &major_text,
                            book,
                        ),
                        None => self.finding(
                            c,
                            span,
                            format!(
                                "“{text}” is the {name} spelling, but the manuscript spells this word the {house} way (“{major_text}” {}×): {} {house} spellings of it against {} {name}",
                                major.places.len(),
                                uses[usual],
                                uses[form.key as usize],
                            ),
                            "minority spelling",
                        ),
                    };
                    finding = finding.related(Label::new(mc, mspan).with_message(format!(
                        "“{major_text}” used here first ({}× in the manuscript)",
                        major.places.len()
                    )));
                    let text = manuscript.chapter(c).slice(span);
                    if let Some(applicability) = spec.fix {
                        let with = fix::match_case(text, &with.to_lowercase());
                        finding = finding.fix(Fix {
                            description: format!(
                                "write “{with}”, as the manuscript spells this word elsewhere"
                            ),
                            edits: vec![Edit::replace(span, with)],
                            applicability,
                        });
                    }
                    ctx.report(finding);
                }
            }
        }
    }

    /// [`PackRule::report_minorities`] where the book's dialect chose the
    /// usual spelling of a close group: each other named spelling is
    /// flagged with the dialect's counts, so that the message does not
    /// call the spelling used more often here the minority.
    fn report_against_dialect(
        &self,
        manuscript: &Manuscript,
        forms: &[Form],
        usual: usize,
        dialect: &BookDialect,
        ctx: &mut RuleContext,
    ) {
        let spec = self.spec();
        let names = &spec.variant_names;
        let major = &forms[usual];
        let (mc, mspan) = major.places[0];
        let major_text = display(manuscript.chapter(mc).slice(mspan));
        let house = &names[dialect.position as usize];
        for form in forms.iter().filter(|f| (f.key as usize) < names.len()) {
            if form.key == dialect.position {
                continue;
            }
            for &(c, span) in &form.places {
                let text = manuscript.chapter(c).slice(span);
                let mut finding = self
                    .against_dialect(
                        (c, span),
                        &display(text),
                        (form.key, dialect.position),
                        &major_text,
                        dialect,
                    )
                    .related(Label::new(mc, mspan).with_message(format!(
                        "“{major_text}” used here first ({}× in the manuscript)",
                        major.places.len()
                    )));
                if let Some(applicability) = spec.fix {
                    let with = fix::match_case(text, &major_text.to_lowercase());
                    finding = finding.fix(Fix {
                        description: format!("write “{with}”, the {house} spelling"),
                        edits: vec![Edit::replace(span, with)],
                        applicability,
                    });
                }
                ctx.report(finding);
            }
        }
    }

    /// The finding for a spelling `text` at `place` in dialect `written`
    /// where the book's `dialect` keeps to `house` (“realized” in a British
    /// book, whose usual spelling here is `major_text`): both dialects'
    /// counts over the book, and how to say the book is the other one.
    fn against_dialect(
        &self,
        (chapter, span): (usize, Span),
        text: &str,
        (written, house): (u32, u32),
        major_text: &str,
        dialect: &BookDialect,
    ) -> Finding {
        let names = &self.spec().variant_names;
        let (name, house_name) = (&names[written as usize], &names[house as usize]);
        Finding::new(
            chapter,
            span,
            format!(
                "“{text}” is the {name} spelling, but the manuscript keeps to {house_name} spelling (“{major_text}”): {} {house_name} spellings in all against {} {name}",
                dialect.uses[house as usize], dialect.uses[written as usize],
            ),
        )
        .label(format!("{name} spelling"))
        .help(format!(
            "this word is written both ways about as often, and most of the book's spellings are {house_name}; if the book is {name}, set `prefer = \"{name}\"` in [rules.{}]; a character's letters in another dialect can be allowed",
            self.meta.id
        ))
    }

    /// With `prefer`: every use of a variant other than the preferred one
    /// is flagged, even where the manuscript never writes the preferred one
    /// (a British book typed with an American spell-checker), and the fix
    /// writes the preferred spelling.
    fn report_unpreferred(
        &self,
        manuscript: &Manuscript,
        mut forms: Vec<Form>,
        (group, preferred): (u32, u32),
        ctx: &mut RuleContext,
    ) {
        let spec = self.spec();
        let Some(preferred_text) = spec
            .phrases
            .iter()
            .find(|p| p.group == Some((group, preferred)))
            .map(|p| p.text.clone())
        else {
            return;
        };
        let preferred_name = &spec.variant_names[preferred as usize];
        for form in &mut forms {
            form.places.sort_by_key(|(c, s)| (*c, s.start));
        }
        let used = forms
            .iter()
            .find(|f| f.key == preferred)
            .map(|f| (f.places[0], f.places.len()));
        // Further variants, past the named ones (“tranquilliser” beside
        // “tranquilizer” and “tranquiliser”), belong to no one dialect and
        // are left alone.
        let named = |f: &&Form| f.key != preferred && (f.key as usize) < spec.variant_names.len();
        for form in forms.iter().filter(named) {
            let name = &spec.variant_names[form.key as usize];
            for &(c, span) in &form.places {
                let text = manuscript.chapter(c).slice(span).to_string();
                let message = format!(
                    "“{}” is the {name} spelling; the manuscript keeps to {preferred_name} spelling (“{preferred_text}”)",
                    display(&text)
                );
                let mut finding = Finding::new(c, span, message)
                    .label(format!("{name} spelling"))
                    .help(format!(
                        "`prefer = \"{preferred_name}\"` in [rules.{}] sets the house spelling; proper nouns keep their own and can be allowed",
                        self.meta.id
                    ));
                if let Some(((mc, mspan), count)) = used {
                    finding = finding.related(Label::new(mc, mspan).with_message(format!(
                        "“{}” used here first ({count}× in the manuscript)",
                        display(manuscript.chapter(mc).slice(mspan))
                    )));
                }
                if let Some(applicability) = spec.fix {
                    let with = fix::match_case(&text, &preferred_text.to_lowercase());
                    finding = finding.fix(Fix {
                        description: format!("write “{with}”, the {preferred_name} spelling"),
                        edits: vec![Edit::replace(span, with)],
                        applicability,
                    });
                }
                ctx.report(finding);
            }
        }
    }
}

/// The error for the first option in `[rules.<id>]` that no pack rule
/// takes (a misspelt `alow`), listing those a rule of this kind takes, in
/// serde's words (the config error adds `level` and a “did you mean”): a
/// consistency rule listed the occurrence rules' `max` and `per`. An
/// option of another kind of rule gets its own error after this.
fn unknown_option(spec: &RuleSpec, setup: &RuleSetup) -> Option<String> {
    const ANY_KIND: [&str; 4] = ["allow", "max", "per", "prefer"];
    let key = setup
        .options
        .keys()
        .find(|k| !ANY_KIND.contains(&k.as_str()))?;
    let mut taken = vec!["allow"];
    match spec.kind {
        PackKind::Occurrence => taken.extend(["max", "per"]),
        PackKind::Consistency if !spec.variant_names.is_empty() => taken.push("prefer"),
        _ => {}
    }
    let listed: Vec<String> = taken.iter().map(|t| format!("`{t}`")).collect();
    Some(match listed.as_slice() {
        [one] => format!("unknown field `{key}`, expected {one}"),
        [a, b] => format!("unknown field `{key}`, expected {a} or {b}"),
        _ => format!(
            "unknown field `{key}`, expected one of {}",
            listed.join(", ")
        ),
    })
}

/// The position in each group of the variant `name` stands for (its
/// `variant_names`, case ignored). Errors name the choices.
fn preferred_variant(spec: &RuleSpec, name: &str) -> Result<u32, String> {
    if spec.variant_names.is_empty() {
        return Err(format!(
            "`prefer` needs a consistency rule whose pack names its variants (`variant_names`); `{}` does not",
            spec.id
        ));
    }
    let choices = || {
        spec.variant_names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    spec.variant_names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(name.trim()))
        .map(|i| i as u32)
        .ok_or_else(|| format!("\"{name}\" is not one of its variants; use {}", choices()))
}

/// What the manuscript and the config say about names.
struct Names<'a> {
    capitalisation: &'a Capitalisation,
    declared: &'a HashSet<String>,
}

impl Names<'_> {
    /// A capitalized word used as a name is not a spelling choice: one
    /// inside a sentence (“Mr. Gray”, “Harbor Street”); one the manuscript
    /// uses as a name elsewhere, even at the start of a sentence (“Gray
    /// came in.” in a book with a Mr. Gray; see [`Case::used_as_name`]);
    /// one written before another capitalized word (“Gray Boy ran.”); and a
    /// word of a name in `[names]`.
    ///
    /// A word in capitals is not a capitalized word. Alone in a sentence
    /// (“The COLOURS were bright”, “I REALIZED”) or in a heading, it is
    /// emphasis or the writer's own typography, and a spelling: a name only
    /// after a title (“MR. GRAY”), by `[names]` or by the manuscript's use
    /// of it as a name elsewhere, capitalised inside sentences twice at
    /// least (a title mentioned once, “The Color Purple”, is not such a
    /// use), as at the start of a sentence. Beside
    /// another word in capitals in a paragraph, it is lettering the story
    /// quotes — a sign, a headline, a banner (“COLOR TELEVISION”, “PEARL
    /// HARBOR BOMBED”, “GRAY AND SONS”) — which keeps its own spelling and
    /// is full of names: never flagged, as spell-checkers leave words in
    /// capitals alone. Words in capitals in speech with a dialogue tag
    /// (“THE COLOR IS ALL WRONG!” he shouted) are shouting, not lettering:
    /// the writer's spelling.
    ///
    /// [`Case::used_as_name`]: capitals::Case::used_as_name
    fn is_name(&self, chapter: &Chapter, span: Span) -> bool {
        let text = chapter.slice(span);
        if !text.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        let first = text
            .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’'))
            .next()
            .unwrap_or("");
        // `None` for a word that begins with a capital: all capitals.
        let in_capitals = capitals::capitalisation(capitals::base(first).0).is_none();
        if after_title(chapter, span)
            || (!in_capitals && capitalized_in_sentence(chapter, span))
            || (in_capitals && in_lettering(chapter, span) && !shouted(chapter, span))
        {
            return true;
        }
        let mut key = String::new();
        capitals::form_key(capitals::base(first).0, &mut key);
        let case = self.capitalisation.get(&key);
        // A word in capitals needs the manuscript to capitalise it inside
        // sentences twice: one mention of a title (“read The Color
        // Purple”) makes no name of “COLOR” shouted elsewhere.
        let used_as_name = match in_capitals {
            true => case.used_as_name() && case.mid_sentence >= 2,
            false => case.used_as_name(),
        };
        self.declared.contains(&key) || used_as_name || before_capitalized_word(chapter, span)
    }
}

/// What comes before the word at `span` in its own heading or paragraph,
/// without the spaces, opening marks and dashes just before it (the first
/// word after a heading starts a sentence, whatever the heading ends with).
fn text_before(chapter: &Chapter, span: Span) -> &str {
    let blocks = &chapter.blocks;
    let block = blocks.partition_point(|b| b.span.end <= span.start);
    let from = blocks
        .get(block)
        .filter(|b| b.span.start <= span.start)
        .map_or(0, |b| b.span.start as usize);
    chapter.prose[from..span.start as usize]
        .trim_end_matches(|c: char| c.is_whitespace() || "\"“‘'(_*[—–-".contains(c))
}

/// The word in capitals at `span` stands, in a paragraph, next to another
/// word in capitals of two letters or more, with only spaces or
/// punctuation between (`COLOR TELEVISION`, `GRAY AND SONS,
/// UNDERTAKERS`): quoted lettering (see `Names::is_name`).
fn in_lettering(chapter: &Chapter, span: Span) -> bool {
    let blocks = &chapter.blocks;
    let Some(block) = blocks
        .get(blocks.partition_point(|b| b.span.end <= span.start))
        .filter(|b| b.is_paragraph())
    else {
        return false;
    };
    let words = &chapter.words;
    let i = words.partition_point(|w| w.start < span.start);
    let in_capitals = |word: Span| {
        let text = chapter.slice(word);
        text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && text.chars().all(|c| !c.is_lowercase())
    };
    let beside = |a: Span, b: Span| {
        let between = &chapter.prose[a.end as usize..b.start as usize];
        between.len() <= 4 && !between.contains(char::is_alphanumeric)
    };
    let before = i
        .checked_sub(1)
        .map(|j| words[j])
        .filter(|w| w.start >= block.span.start && beside(*w, words[i]));
    let after = words
        .get(i + 1)
        .copied()
        .filter(|w| w.end <= block.span.end && beside(words[i], *w));
    words.get(i).is_some_and(|w| w.start == span.start)
        && before.into_iter().chain(after).any(in_capitals)
}

/// The word at `span` is in quoted speech with a dialogue tag, a speech
/// verb among the four words after its closing mark (“… WRONG!” he
/// shouted) or before its opening one (he shouted, “…”): shouting. The
/// verb must be a loud one, or the speech hold an exclamation mark: a sign
/// or a headline can “say” its lettering too.
fn shouted(chapter: &Chapter, span: Span) -> bool {
    let dialogue = &chapter.dialogue;
    let Some(quote) = dialogue
        .get(dialogue.partition_point(|q| q.end <= span.start))
        .filter(|q| q.start <= span.start)
    else {
        return false;
    };
    let prose = &chapter.prose;
    // The words up to the next sentence end or quotation mark.
    let end = quote.end as usize;
    let mut to = prose.len().min(end + 60);
    while !prose.is_char_boundary(to) {
        to -= 1;
    }
    let after = prose[end..to]
        .split(['\n', '.', '!', '?', '“', '”', '"'])
        .next()
        .unwrap_or("");
    let exclaimed = chapter.slice(*quote).contains('!');
    let tag =
        |word: &str| is_speech_verb(word) && (exclaimed || LOUD.contains_ascii_lowercased(word));
    if words_of(after).take(4).any(tag) {
        return true;
    }
    let start = quote.start as usize;
    let mut from = start.saturating_sub(60);
    while !prose.is_char_boundary(from) {
        from += 1;
    }
    let before = prose[from..start].trim_end();
    let before = before
        .rsplit(['\n', '.', '!', '?', '”', '"'])
        .next()
        .unwrap_or("");
    before.ends_with([',', ':']) && words_of(before).rev().take(4).any(tag)
}

/// Speech verbs that say the words were loud.
static LOUD: crate::word_set::WordSet = crate::word_set::WordSet::new(&[
    "called",
    "calls",
    "cried",
    "cries",
    "exclaimed",
    "exclaims",
    "screamed",
    "screams",
    "shouted",
    "shouts",
    "yelled",
    "yells",
]);

fn words_of(text: &str) -> impl DoubleEndedIterator<Item = &str> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
}

fn is_speech_verb(word: &str) -> bool {
    crate::text::sentences::SPEECH_VERBS.contains_ascii_lowercased(word)
}

/// The word at `span` follows a title and its full stop (“Mr. Gray”, “MR.
/// GRAY”).
fn after_title(chapter: &Chapter, span: Span) -> bool {
    text_before(chapter, span)
        .strip_suffix('.')
        .and_then(|b| b.rsplit(|c: char| !c.is_alphabetic()).next())
        .is_some_and(|w| TITLES.iter().any(|t| t.eq_ignore_ascii_case(w)))
}

/// A capitalized word inside a sentence: after any character but a
/// sentence end, in its own heading or paragraph (see [`text_before`]).
fn capitalized_in_sentence(chapter: &Chapter, span: Span) -> bool {
    match text_before(chapter, span).chars().next_back() {
        None => false,
        Some(c) => !".!?…:".contains(c),
    }
}

/// The word after `span` is capitalized and follows it with only spaces
/// between: the two are one name (“Gray Boy”). “I” does not count.
fn before_capitalized_word(chapter: &Chapter, span: Span) -> bool {
    let i = chapter.words.partition_point(|w| w.start < span.end);
    let Some(&next) = chapter.words.get(i) else {
        return false;
    };
    let between = &chapter.prose[span.end as usize..next.start as usize];
    let word = chapter.slice(next);
    !between.is_empty()
        && between.chars().all(char::is_whitespace)
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && capitals::capitalisation(capitals::base(word).0) == Some(true)
}

const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Mme", "Mlle", "Capt", "Col", "Gen", "Rev", "Prof", "Sgt", "Lt",
];
