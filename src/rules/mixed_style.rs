//! Shared by the typography rules: a manuscript that uses two styles of the
//! same mark (straight and curly quotes, `...` and `…`) gets findings at the
//! minority style only, one per paragraph, each pointing at where the
//! majority style is used.

use crate::diagnostic::{Finding, Label};
use crate::rule::RuleContext;
use crate::text::{Manuscript, Span};

/// One style of a mark and where the manuscript uses it, in reading order.
pub struct StyleUse {
    /// “straight double quotes (\")”
    pub name: &'static str,
    pub places: Vec<(usize, Span)>,
}

/// Reports the minority style when both are used. Ties go to the style used
/// first (the other one is flagged).
pub fn report_minority(
    manuscript: &Manuscript,
    ctx: &mut RuleContext,
    a: StyleUse,
    b: StyleUse,
    help: &str,
) {
    if a.places.is_empty() || b.places.is_empty() {
        return;
    }
    let a_first = a.places[0];
    let b_first = b.places[0];
    let a_wins =
        a.places.len() > b.places.len() || (a.places.len() == b.places.len() && a_first <= b_first);
    let (major, minor) = if a_wins { (a, b) } else { (b, a) };
    let (mc, mspan) = major.places[0];
    let mut last_block: Option<(usize, usize)> = None;
    let mut pending: Option<(usize, Span, usize)> = None;
    let flush = |pending: Option<(usize, Span, usize)>, ctx: &mut RuleContext| {
        let Some((chapter, span, count)) = pending else {
            return;
        };
        let times = if count == 1 {
            String::new()
        } else {
            format!(" ({count}× in this paragraph)")
        };
        ctx.report(
            Finding::new(
                chapter,
                span,
                format!(
                    "{}{times} in a manuscript that otherwise uses {} ({}×)",
                    minor.name,
                    major.name,
                    major.places.len()
                ),
            )
            .label("minority style")
            .related(Label::new(mc, mspan).with_message(format!("{} used here", major.name)))
            .help(help.to_string()),
        );
    };
    for &(chapter, span) in &minor.places {
        let blocks = &manuscript.chapter(chapter).blocks;
        let block = blocks.partition_point(|b| b.span.end <= span.start);
        if last_block == Some((chapter, block)) {
            if let Some(p) = pending.as_mut() {
                p.2 += 1;
            }
            continue;
        }
        flush(pending.take(), ctx);
        last_block = Some((chapter, block));
        pending = Some((chapter, span, 1));
    }
    flush(pending, ctx);
}

/// Every mark `find` reports in the prose of headings and paragraphs, as
/// `(range in the block, style index)`; returns the places per style index
/// (`styles` of them), in reading order.
pub fn find_all(
    manuscript: &Manuscript,
    styles: usize,
    find: impl Fn(&str) -> Vec<(std::ops::Range<usize>, usize)> + Sync,
) -> Vec<Vec<(usize, Span)>> {
    use rayon::prelude::*;
    let per_chapter: Vec<Vec<(usize, Span, usize)>> = manuscript
        .chapters
        .par_iter()
        .map(|chapter| {
            let mut out = Vec::new();
            for block in chapter.blocks.iter().filter(|b| !b.sentences.is_empty()) {
                let base = block.span.start as usize;
                for (r, style) in find(chapter.prose_slice(block.span)) {
                    out.push((
                        chapter.index,
                        Span::new(base + r.start, base + r.end),
                        style,
                    ));
                }
            }
            out
        })
        .collect();
    let mut result = vec![Vec::new(); styles];
    for (chapter, span, style) in per_chapter.into_iter().flatten() {
        if let Some(places) = result.get_mut(style) {
            places.push((chapter, span));
        }
    }
    result
}
