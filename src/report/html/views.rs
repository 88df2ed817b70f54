//! The views writers ask for, drawn from the findings' [`Facts`]: overused
//! words as bars against ordinary prose, every occurrence of each repeated
//! phrase, and the anachronisms on a timeline against the story year.
//! Plain inline SVG; every mark links to its finding.

use super::escape::Esc;
use super::snippet::{self, shorten};
use super::{Detail, Model, w};
use crate::diagnostic::{Diagnostic, Facts};
use crate::report::thousands;

/// Most rows in the overuse chart and the timeline; the rest are in the
/// findings list.
const MAX_ROWS: usize = 200;

/// The findings (indices into the diagnostics) each view draws.
pub struct Views {
    overuse: Vec<usize>,
    phrases: Vec<usize>,
    anachronisms: Vec<usize>,
}

impl Views {
    /// Sorts the shown findings with facts into the views.
    pub fn collect(model: &Model, shown: &[bool]) -> Views {
        let mut views = Views {
            overuse: Vec::new(),
            phrases: Vec::new(),
            anachronisms: Vec::new(),
        };
        for (i, d) in model.report.diagnostics.iter().enumerate() {
            if !shown[i] {
                continue;
            }
            match d.facts.as_deref() {
                Some(Facts::Overuse { .. }) => views.overuse.push(i),
                Some(Facts::Repetition { .. }) => views.phrases.push(i),
                Some(Facts::Anachronism { .. }) => views.anachronisms.push(i),
                Some(Facts::Copies { .. }) | None => {}
            }
        }
        let diagnostics = model.report.diagnostics;
        views.overuse.sort_by(|&a, &b| {
            let (ka, kb) = (overuse_key(&diagnostics[a]), overuse_key(&diagnostics[b]));
            kb.0.cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(a.cmp(&b))
        });
        views
            .phrases
            .sort_by_key(|&i| match diagnostics[i].facts.as_deref() {
                Some(Facts::Repetition { count, .. }) => (usize::MAX - count, i),
                _ => (usize::MAX, i),
            });
        views
            .anachronisms
            .sort_by_key(|&i| match diagnostics[i].facts.as_deref() {
                Some(Facts::Anachronism { year, name, .. }) => (*year, name.to_lowercase(), i),
                _ => (i32::MAX, String::new(), i),
            });
        views
    }

    /// The views with something to show, as (anchor, heading).
    pub fn sections(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if !self.overuse.is_empty() {
            out.push(("overused", "Overused words"));
        }
        if !self.phrases.is_empty() {
            out.push(("phrases", "Repeated phrases"));
        }
        if !self.anachronisms.is_empty() {
            out.push(("anachronisms", "Anachronisms"));
        }
        out
    }

    pub fn render(&self, out: &mut String, model: &Model, detail: &Detail) {
        if !self.overuse.is_empty() {
            overuse_chart(out, model, &self.overuse);
        }
        if !self.phrases.is_empty() {
            phrases(out, model, detail, &self.phrases);
        }
        if !self.anachronisms.is_empty() {
            timeline(out, model, &self.anachronisms);
        }
    }
}

/// Whole-manuscript findings first, then by how far above ordinary prose.
fn overuse_key(d: &Diagnostic) -> (bool, f64) {
    match d.facts.as_deref() {
        Some(Facts::Overuse {
            per_10k,
            ordinary_per_10k,
            chapter,
            ..
        }) => (!chapter, ratio(*per_10k, *ordinary_per_10k)),
        _ => (false, 0.0),
    }
}

/// How many times ordinary prose; words ordinary prose never uses count as
/// rarer than one in a million.
fn ratio(per_10k: f64, ordinary: f64) -> f64 {
    per_10k / ordinary.max(0.01)
}

fn section_start(out: &mut String, id: &str, heading: &str, hint: &str) {
    w!(
        out,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{heading}</h2>\n<p class=\"hint\">{hint}</p>\n"
    );
}

fn more_rows(out: &mut String, left: usize, rule: &str) {
    if left > 0 {
        w!(
            out,
            "<p class=\"note\">{} more: filter the findings by <code>{rule}</code>.</p>\n",
            thousands(left)
        );
    }
}

fn overuse_chart(out: &mut String, model: &Model, rows: &[usize]) {
    const LABEL: usize = 230;
    const PLOT: f64 = 400.0;
    const ROW: usize = 36;
    section_start(
        out,
        "overused",
        "Overused words",
        "Uses per 10,000 words in this manuscript (or chapter) against ordinary prose. \
         Select a bar to see the finding.",
    );
    w!(
        out,
        "<p class=\"legend\" aria-hidden=\"true\"><i class=\"sw mine\"></i>this manuscript \
         <i class=\"sw ordinary\"></i>ordinary prose</p>\n"
    );
    let diagnostics = model.report.diagnostics;
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let max = shown
        .iter()
        .filter_map(|&i| match diagnostics[i].facts.as_deref() {
            Some(Facts::Overuse { per_10k, .. }) => Some(*per_10k),
            _ => None,
        })
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let (width, height) = (LABEL + PLOT as usize + 300, shown.len() * ROW + 8);
    w!(
        out,
        "<div class=\"chart-wrap\"><svg class=\"chart overuse\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Overused words\">\n"
    );
    for (r, &i) in shown.iter().enumerate() {
        let d = &diagnostics[i];
        let Some(Facts::Overuse {
            words,
            count,
            per_10k,
            ordinary_per_10k,
            chapter,
        }) = d.facts.as_deref()
        else {
            continue;
        };
        let y = r * ROW + 4;
        let word = shorten(
            &words
                .iter()
                .take(3)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("/"),
            28,
        );
        let scope = if *chapter {
            model.names[d.primary.chapter].clone()
        } else {
            "whole manuscript".to_string()
        };
        let times = ratio(*per_10k, *ordinary_per_10k);
        let ordinary_text = rate(*ordinary_per_10k);
        let title = format!(
            "“{word}”: {count} uses in {scope}, {per_10k:.1} per 10,000 words; ordinary prose {ordinary_text} ({times:.0}×)"
        );
        let bar = |v: f64| ((v / max) * PLOT).max(1.0);
        let (mine, ordinary) = (bar(*per_10k), bar(*ordinary_per_10k));
        w!(
            out,
            "<a href=\"#f-{i}\"><title>{title}</title><rect class=\"hit\" x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{ROW}\"/>\
             <text class=\"word\" x=\"{lx}\" y=\"{}\" text-anchor=\"end\">{word}</text>\
             <text class=\"scope\" x=\"{lx}\" y=\"{}\" text-anchor=\"end\">{scope}</text>\
             <rect class=\"mine\" x=\"{LABEL}\" y=\"{}\" width=\"{mine:.1}\" height=\"13\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{}\">{count} uses · {per_10k:.1} per 10k · {times:.0}× ordinary prose</text>\
             <rect class=\"ordinary\" x=\"{LABEL}\" y=\"{}\" width=\"{ordinary:.1}\" height=\"7\"/>\
             <text class=\"value small\" x=\"{:.1}\" y=\"{}\">{ordinary_label}</text></a>\n",
            y + 15,
            y + 29,
            y + 4,
            LABEL as f64 + mine + 6.0,
            y + 15,
            y + 20,
            LABEL as f64 + ordinary + 6.0,
            y + 27,
            title = Esc(&title),
            word = Esc(&word),
            scope = Esc(&scope),
            ordinary_label = Esc(&ordinary_text),
            lx = LABEL - 12,
        );
    }
    w!(out, "</svg></div>\n");
    more_rows(out, rows.len() - shown.len(), "overused-word");
    w!(out, "</section>\n");
}

/// A rate per 10,000 words: one decimal, two below 0.1, "under 0.01" for
/// words ordinary prose (almost) never uses.
fn rate(per_10k: f64) -> String {
    if per_10k >= 0.1 {
        format!("{per_10k:.1}")
    } else if per_10k >= 0.005 {
        format!("{per_10k:.2}")
    } else {
        "under 0.01".to_string()
    }
}

/// Every occurrence of each repeated phrase, as a concordance: the phrase
/// lined up in the middle, its context either side.
fn phrases(out: &mut String, model: &Model, detail: &Detail, rows: &[usize]) {
    section_start(
        out,
        "phrases",
        "Repeated phrases",
        "Each phrase the book repeats, with every occurrence in its context.",
    );
    let manuscript = model.report.manuscript;
    for &i in rows {
        let d = &model.report.diagnostics[i];
        let Some(Facts::Repetition { text, count }) = d.facts.as_deref() else {
            continue;
        };
        w!(
            out,
            "<div class=\"phrase\" id=\"phrase-{i}\"><h3>“{}” <span class=\"sub\">{} times</span> \
             <a class=\"to-finding\" href=\"#f-{i}\">finding</a></h3>\n<ol class=\"kwic\">\n",
            Esc(&shorten(text, 120)),
            thousands(*count)
        );
        for label in std::iter::once(&d.primary).chain(&d.related) {
            let s = snippet::snippet(
                manuscript.chapter(label.chapter),
                label.span,
                detail.kwic,
                120,
            );
            w!(
                out,
                "<li><a href=\"#ch-{}\">{}</a><span class=\"l\"><span>{}{}</span></span><mark>{}</mark><span class=\"r\">{}{}</span></li>\n",
                label.chapter,
                Esc(&model.location(label)),
                if s.cut_start { "…" } else { "" },
                Esc(&s.before),
                Esc(&s.marked),
                Esc(&s.after),
                if s.cut_end { "…" } else { "" },
            );
        }
        w!(out, "</ol></div>\n");
    }
    w!(out, "</section>\n");
}

/// Ticks for years `lo..=hi`: a round step giving at most eight intervals.
fn ticks(lo: i32, hi: i32) -> (i32, i32, i32) {
    let range = (hi - lo).max(1);
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
        .into_iter()
        .find(|s| range / s <= 8)
        .unwrap_or(1000);
    let first = lo.div_euclid(step) * step;
    let mut last = (hi + step - 1).div_euclid(step) * step;
    if last == first {
        last += step;
    }
    (first, last, step)
}

/// Each anachronism as a row: the story year (hollow) and the thing's year
/// (filled) joined by a line, on a shared axis of years.
fn timeline(out: &mut String, model: &Model, rows: &[usize]) {
    const LABEL: usize = 250;
    const PLOT: f64 = 420.0;
    const TOP: usize = 30;
    const ROW: usize = 26;
    section_start(
        out,
        "anachronisms",
        "Anachronisms",
        "Each dated thing the text names, against the story year of its chapter: the hollow \
         circle is the story year, the filled one the year the thing appeared.",
    );
    let diagnostics = model.report.diagnostics;
    let shown = &rows[..rows.len().min(MAX_ROWS)];
    let facts = |i: usize| match diagnostics[i].facts.as_deref() {
        Some(Facts::Anachronism {
            name,
            thing,
            year,
            story_year,
            story_year_source,
        }) => Some((name, thing, *year, *story_year, story_year_source)),
        _ => None,
    };
    let years: Vec<i32> = shown
        .iter()
        .filter_map(|&i| facts(i))
        .flat_map(|f| [f.2, f.3])
        .collect();
    let lo = years.iter().copied().min().unwrap_or(0);
    let hi = years.iter().copied().max().unwrap_or(0);
    let (first, last, step) = ticks(lo, hi);
    let x = |year: i32| LABEL as f64 + f64::from(year - first) * PLOT / f64::from(last - first);
    let (width, height) = (LABEL + PLOT as usize + 110, TOP + shown.len() * ROW + 8);
    w!(
        out,
        "<p class=\"legend\" aria-hidden=\"true\"><i class=\"sw story\"></i>story year \
         <i class=\"sw thing\"></i>year it appeared</p>\n<div class=\"chart-wrap\">\
         <svg class=\"chart timeline\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         role=\"group\" aria-label=\"Anachronisms against the story year\">\n"
    );
    let mut tick = first;
    while tick <= last {
        w!(
            out,
            "<line class=\"grid\" x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1}\" y2=\"{2}\"/>\
             <text class=\"axis\" x=\"{0:.1}\" y=\"{3}\" text-anchor=\"middle\">{tick}</text>\n",
            x(tick),
            TOP - 8,
            height - 4,
            TOP - 14,
        );
        tick += step;
    }
    for (r, &i) in shown.iter().enumerate() {
        let Some((name, thing, year, story, source)) = facts(i) else {
            continue;
        };
        let y = TOP + r * ROW + ROW / 2;
        let d = &diagnostics[i];
        let gap = year - story;
        let (sx, tx) = (x(story), x(year));
        let title = format!(
            "{name} ({thing}, {year}): {} after the story year {} ({source}) — {}",
            years_text(gap),
            crate::config::shown_year(story),
            model.location(&d.primary)
        );
        w!(
            out,
            "<a href=\"#f-{i}\"><title>{}</title><rect class=\"hit\" x=\"0\" y=\"{}\" width=\"{width}\" height=\"{ROW}\"/>\
             <text class=\"name\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}<tspan class=\"kind\"> {}</tspan></text>\
             <line class=\"gap\" x1=\"{sx:.1}\" x2=\"{tx:.1}\" y1=\"{y}\" y2=\"{y}\"/>\
             <circle class=\"story\" cx=\"{sx:.1}\" cy=\"{y}\" r=\"5\"/><circle class=\"thing\" cx=\"{tx:.1}\" cy=\"{y}\" r=\"5\"/>\
             <text class=\"value\" x=\"{:.1}\" y=\"{}\">+{}</text></a>\n",
            Esc(&title),
            y - ROW / 2,
            LABEL - 12,
            y + 4,
            Esc(&shorten(name, 28)),
            Esc(&shorten(thing, 12)),
            tx + 10.0,
            y + 4,
            years_text(gap),
        );
    }
    w!(out, "</svg></div>\n");
    more_rows(out, rows.len() - shown.len(), "anachronism");
    w!(out, "</section>\n");
}

fn years_text(gap: i32) -> String {
    if gap == 1 {
        "1 year".to_string()
    } else {
        format!("{gap} years")
    }
}

#[cfg(test)]
mod tests {
    use super::{rate, ticks};

    #[test]
    fn rates_keep_small_values_readable() {
        assert_eq!(rate(118.04), "118.0");
        assert_eq!(rate(0.07), "0.07");
        assert_eq!(rate(0.001), "under 0.01");
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(1996, 2006), (1996, 2006, 2));
        assert_eq!(ticks(1996, 1998), (1996, 1998, 1));
        assert_eq!(ticks(1813, 2011), (1800, 2025, 25));
        assert_eq!(ticks(2000, 2000), (2000, 2001, 1));
    }
}
