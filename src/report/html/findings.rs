//! The findings list: the filter form, then one section per chapter with
//! each finding's rule, severity, message, context, related locations and
//! help. Copies of a passage are shown side by side with the words that
//! differ marked.

use std::collections::BTreeMap;

use super::escape::{Emph, Esc};
use super::snippet::{self, Piece};
use super::{Detail, Model, SEVERITIES, counted, sev_index, w};
use crate::diagnostic::{Applicability, Diagnostic, Facts, Label};
use crate::report::thousands;
use crate::text::floor_boundary;

/// Rules whose finding and first related label are two copies of one
/// passage: shown side by side with a word diff.
const SIDE_BY_SIDE: &[&str] = &["duplicate-paragraph", "repeated-sentence"];

/// Most related locations listed under one finding.
const MAX_RELATED: usize = 12;

pub fn findings(out: &mut String, model: &Model, detail: &Detail, shown: &[bool]) {
    let total = model.total();
    let on_page = shown.iter().filter(|&&s| s).count();
    w!(
        out,
        "<section id=\"findings\" aria-labelledby=\"findings-h\">\n<h2 id=\"findings-h\">Findings</h2>\n"
    );
    if on_page < total {
        w!(
            out,
            "<p class=\"note trimmed\" data-trimmed=\"{}\">This page shows {} of the {} findings, \
             at most {} of each rule per chapter, so that it stays under 2 MB. The overview counts \
             them all; <code>manulint check --format json</code> lists every one.</p>\n",
            total - on_page,
            thousands(on_page),
            thousands(total),
            detail.per_group
        );
    }
    filter_form(out, model, shown, on_page);
    for i in model.chapters() {
        chapter_section(out, model, detail, shown, i);
    }
    w!(out, "</section>\n");
}

/// Filters by severity, rule, chapter and text. Hidden until the script
/// runs (without it there is nothing to filter with).
fn filter_form(out: &mut String, model: &Model, shown: &[bool], on_page: usize) {
    let diagnostics = model.report.diagnostics;
    let mut by_severity = [0usize; 3];
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for (d, _) in diagnostics.iter().zip(shown).filter(|(_, s)| **s) {
        by_severity[sev_index(d.severity)] += 1;
        *by_rule.entry(d.rule.as_str()).or_default() += 1;
    }
    w!(
        out,
        "<form id=\"filters\" class=\"filters\" hidden aria-label=\"Filter the findings\">\n\
         <fieldset class=\"sev\"><legend>Severity</legend><div class=\"boxes\">\n"
    );
    for severity in SEVERITIES {
        let name = severity.as_str();
        w!(
            out,
            "<label class=\"{name}\"><input type=\"checkbox\" name=\"severity\" value=\"{name}\" checked> \
             {name} <span class=\"n\">{}</span></label>\n",
            thousands(by_severity[sev_index(severity)])
        );
    }
    w!(
        out,
        "</div></fieldset>\n<label class=\"pick\">Rule <select name=\"rule\">\
         <option value=\"\">all rules ({})</option>",
        thousands(on_page)
    );
    for (rule, count) in &by_rule {
        w!(
            out,
            "<option value=\"{0}\">{0} ({1})</option>",
            Esc(rule),
            thousands(*count)
        );
    }
    w!(
        out,
        "</select></label>\n<label class=\"pick\">Chapter <select name=\"chapter\">\
         <option value=\"\">all chapters</option>"
    );
    for i in model.chapters() {
        let count = model.by_chapter[i].iter().filter(|&&d| shown[d]).count();
        w!(
            out,
            "<option value=\"{i}\">{} ({})</option>",
            Esc(&model.names[i]),
            thousands(count)
        );
    }
    w!(
        out,
        "</select></label>\n<label class=\"pick search\">Text <input type=\"search\" name=\"q\" \
         placeholder=\"word or phrase\" autocomplete=\"off\"></label>\n\
         <button type=\"reset\">Reset</button>\n\
         <p id=\"shown\" class=\"shown\" role=\"status\" aria-live=\"polite\">Showing all {} findings</p>\n</form>\n",
        thousands(on_page)
    );
}

fn chapter_section(out: &mut String, model: &Model, detail: &Detail, shown: &[bool], i: usize) {
    let chapter = model.report.manuscript.chapter(i);
    let counts = model.chapter_counts[i];
    let all: usize = counts.iter().sum();
    w!(
        out,
        "<section class=\"chapter{}\" id=\"ch-{i}\" data-chapter=\"{i}\" aria-labelledby=\"ch-{i}-h\">\n\
         <h3 id=\"ch-{i}-h\"><a href=\"#ch-{i}\">{}</a>",
        if all == 0 { " clean" } else { "" },
        Esc(&model.names[i])
    );
    if let Some(heading) = &model.headings[i] {
        w!(out, " <span class=\"heading\">{}</span>", Esc(heading));
    }
    let mut facts = vec![format!("{} words", thousands(chapter.word_count()))];
    for severity in SEVERITIES {
        let count = counts[sev_index(severity)];
        if count > 0 {
            facts.push(counted(count, severity.as_str()));
        }
    }
    w!(
        out,
        " <span class=\"meta\">{}</span></h3>\n",
        Esc(&facts.join(" · "))
    );
    if all == 0 {
        w!(out, "<p class=\"none\">No findings.</p>\n");
    }
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    for &d in &model.by_chapter[i] {
        let diagnostic = &model.report.diagnostics[d];
        if shown[d] {
            finding(out, model, detail, d, diagnostic);
        } else {
            *left_out.entry(diagnostic.rule.as_str()).or_default() += 1;
        }
    }
    if !left_out.is_empty() {
        let list: Vec<String> = left_out
            .iter()
            .map(|(rule, n)| format!("{} {rule}", thousands(*n)))
            .collect();
        let hidden: usize = left_out.values().sum();
        w!(
            out,
            "<p class=\"note trimmed\">{} more in this chapter not shown on this page: {}.</p>\n",
            counted(hidden, "finding"),
            Esc(&list.join(", "))
        );
    }
    w!(out, "</section>\n");
}

fn finding(out: &mut String, model: &Model, detail: &Detail, index: usize, d: &Diagnostic) {
    let sev = d.severity.as_str();
    w!(
        out,
        "<article class=\"finding {sev}\" id=\"f-{index}\" data-rule=\"{rule}\" data-severity=\"{sev}\" \
         data-chapter=\"{}\">\n<header><span class=\"sev {sev}\">{sev}</span> <code class=\"rule\">{rule}</code> \
         <a class=\"loc\" href=\"#f-{index}\">{}</a></header>\n<p class=\"msg\">{}</p>\n",
        d.primary.chapter,
        Esc(&model.location(&d.primary)),
        Emph(&d.message),
        rule = Esc(&d.rule),
    );
    let side_by_side = SIDE_BY_SIDE.contains(&d.rule.as_str()) && !d.related.is_empty();
    if side_by_side {
        copies(out, model, detail, d);
    } else {
        context(out, model, detail, &d.primary, "ctx");
    }
    related(out, model, detail, index, d, side_by_side);
    if let Some(help) = &d.help {
        let (first, rest) = help.split_once('\n').unwrap_or((help, ""));
        w!(
            out,
            "<p class=\"help\"><b>Help</b> {}</p>\n",
            Esc(first.trim())
        );
        if !rest.trim().is_empty() {
            w!(
                out,
                "<details class=\"more\"><summary>More help</summary><pre>{}</pre></details>\n",
                Esc(rest)
            );
        }
    }
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            Applicability::Safe => "safe fix, applied by <code>--fix</code>",
            Applicability::Unsafe => "fix to review, applied by <code>--unsafe-fixes</code>",
        };
        w!(
            out,
            "<p class=\"fix\"><b>Fix</b> {} <span class=\"sub\">({how})</span></p>\n",
            Esc(&fix.description)
        );
    }
    w!(out, "</article>\n");
}

/// The span in its paragraph, highlighted, with the label's message.
fn context(out: &mut String, model: &Model, detail: &Detail, label: &Label, class: &str) {
    let chapter = model.report.manuscript.chapter(label.chapter);
    let s = snippet::snippet(chapter, label.span, detail.context, detail.marked);
    w!(
        out,
        "<figure class=\"{class}\"><blockquote>{}{}<mark>{}</mark>{}{}</blockquote>",
        if s.cut_start { "…" } else { "" },
        Esc(&s.before),
        Esc(&s.marked),
        Esc(&s.after),
        if s.cut_end { "…" } else { "" }
    );
    if let Some(message) = &label.message {
        w!(out, "<figcaption>{}</figcaption>", Emph(message));
    }
    w!(out, "</figure>\n");
}

/// Two copies side by side: the first written on the left, this one on
/// the right, words only in one of them marked.
fn copies(out: &mut String, model: &Model, detail: &Detail, d: &Diagnostic) {
    let manuscript = model.report.manuscript;
    let first = &d.related[0];
    let text = |label: &Label| {
        let chapter = manuscript.chapter(label.chapter);
        let (shown, range) = (chapter.shown_text(), chapter.shown_range(label.span));
        let start = floor_boundary(shown, range.start);
        let end = floor_boundary(shown, range.end).max(start);
        shown[start..end].to_string()
    };
    let (old, new) = (text(first), text(&d.primary));
    let diff = snippet::word_diff(&old, &new, detail.diff_words);
    let summary = match &diff {
        Some((_, _, 0)) => "The copies are identical.".to_string(),
        Some((_, _, changed)) => format!(
            "{} differ; they are marked in each copy.",
            counted(*changed, "word")
        ),
        None => "The copies are too long to compare word by word here.".to_string(),
    };
    w!(
        out,
        "<p class=\"diffnote\">{}</p>\n<div class=\"copies\">\n",
        Esc(&summary)
    );
    let max_chars = detail.diff_words * 8;
    let sides = [
        (first, "First written", diff.as_ref().map(|d| &d.0), &old),
        (&d.primary, "This copy", diff.as_ref().map(|d| &d.1), &new),
    ];
    for (label, caption, pieces, plain) in sides {
        w!(
            out,
            "<figure><figcaption>{caption} · <a href=\"#ch-{}\">{}</a></figcaption><blockquote>",
            label.chapter,
            Esc(&model.location(label))
        );
        match pieces {
            Some(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Same(text) => w!(out, "{}", Esc(text)),
                        Piece::Changed(text) => {
                            w!(out, "<mark class=\"diff\">{}</mark>", Esc(text))
                        }
                    }
                }
            }
            None => w!(
                out,
                "{}",
                Esc(&snippet::shorten(&snippet::collapse(plain), max_chars))
            ),
        }
        w!(out, "</blockquote></figure>\n");
    }
    w!(out, "</div>\n");
}

/// The other locations of a finding: the first few with their context, the
/// rest as links. Repeated phrases link to their concordance instead.
fn related(
    out: &mut String,
    model: &Model,
    detail: &Detail,
    index: usize,
    d: &Diagnostic,
    side_by_side: bool,
) {
    let labels: &[Label] = if side_by_side {
        &d.related[1..]
    } else {
        &d.related
    };
    if labels.is_empty() {
        return;
    }
    let phrase = matches!(d.facts.as_deref(), Some(Facts::Repetition { .. }));
    w!(out, "<ul class=\"related\">\n");
    for (n, label) in labels.iter().enumerate().take(MAX_RELATED) {
        w!(
            out,
            "<li><a href=\"#ch-{}\">{}</a>",
            label.chapter,
            Esc(&model.location(label))
        );
        if n < detail.related_snippets && !phrase {
            w!(out, "\n");
            context(out, model, detail, label, "rel");
        } else if let Some(message) = &label.message {
            w!(out, " <span class=\"sub\">{}</span>", Emph(message));
        }
        w!(out, "</li>\n");
    }
    if labels.len() > MAX_RELATED {
        w!(
            out,
            "<li class=\"sub\">and {} more</li>\n",
            thousands(labels.len() - MAX_RELATED)
        );
    }
    w!(out, "</ul>\n");
    if phrase {
        w!(
            out,
            "<p class=\"sub\"><a href=\"#phrase-{index}\">Every occurrence in context</a></p>\n"
        );
    }
}
