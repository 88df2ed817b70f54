//! The page header and the overview: totals, story years, the heat strip
//! of findings per chapter and rule, the chapter table and the rule table.

use super::escape::Esc;
use super::views::Views;
use super::{Model, SEVERITIES, counted, sev_index, w};
use crate::diagnostic::Severity;
use crate::report::thousands;

/// Title, totals and the section navigation.
pub fn header(out: &mut String, model: &Model, views: &Views) {
    let report = model.report;
    let summary = &report.summary;
    let chapters = model.chapters().count();
    w!(
        out,
        "<header class=\"top\">\n<p class=\"kicker\">manulint report</p>\n<h1>{}</h1>\n\
         <p class=\"lede\">{} · {} words · {} checked</p>\n<dl class=\"totals\">\n",
        Esc(&model.title),
        counted(chapters, "chapter"),
        thousands(summary.words),
        counted(report.rules.len(), "rule"),
    );
    let total = summary.errors + summary.warnings + summary.infos;
    for (class, label, count) in [
        ("error", "Errors", summary.errors),
        ("warning", "Warnings", summary.warnings),
        ("info", "Infos", summary.infos),
        ("all", "Findings", total),
    ] {
        w!(
            out,
            "<div class=\"total {class}\"><dt>{label}</dt><dd data-count=\"{class}\">{}</dd></div>\n",
            thousands(count)
        );
    }
    w!(out, "</dl>\n");
    if let Some(hidden) = summary.baselined.filter(|&n| n > 0) {
        w!(
            out,
            "<p class=\"note\">{} hidden by the baseline are not counted here.</p>\n",
            counted(hidden, "finding")
        );
    }
    // The run failed for these (exit 2): a page that left them out looked
    // complete and clean.
    if !report.unchecked.is_empty() {
        w!(
            out,
            "<div class=\"note\" role=\"alert\"><p>{} could not be checked, so the counts leave \
             {} out:</p>\n<ul>\n",
            counted(report.unchecked.len(), "file"),
            if report.unchecked.len() == 1 {
                "it"
            } else {
                "them"
            },
        );
        for file in &report.unchecked {
            w!(
                out,
                "<li><code>{}</code>: {}</li>\n",
                Esc(&file.path),
                Esc(&file.message)
            );
        }
        w!(out, "</ul></div>\n");
    }
    w!(
        out,
        "<nav aria-label=\"Sections\"><ul>\n<li><a href=\"#overview\">Overview</a></li>\n"
    );
    if !report.quiet {
        for (id, name) in views.sections() {
            w!(out, "<li><a href=\"#{id}\">{name}</a></li>\n");
        }
        w!(out, "<li><a href=\"#findings\">Findings</a></li>\n");
    }
    w!(out, "</ul></nav>\n</header>\n");
}

/// The overview section.
pub fn overview(out: &mut String, model: &Model) {
    w!(
        out,
        "<section id=\"overview\" aria-labelledby=\"overview-h\">\n<h2 id=\"overview-h\">Overview</h2>\n"
    );
    story_years(out, model);
    w!(
        out,
        "<h3>Findings across the book</h3>\n<p class=\"hint\">One column per chapter: the grey bar \
         is its length, each row a rule; the darker the cell, the more findings. Select a column \
         to go to the chapter.</p>\n"
    );
    strip(out, model);
    chapter_table(out, model);
    rule_table(out, model);
    w!(out, "</section>\n");
}

/// Runs of chapters with the same story year and source.
fn story_years(out: &mut String, model: &Model) {
    let years = &model.report.story_years;
    if years.is_empty() {
        return;
    }
    let key = |i: usize| match years.get(i) {
        Some(Ok(y)) => Some((y.first, y.last, y.source.as_str())),
        _ => None,
    };
    let chapters: Vec<usize> = model.chapters().collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (k, &i) in chapters.iter().enumerate() {
        match runs.last_mut() {
            Some((_, end)) if key(chapters[*end]) == key(i) => *end = k,
            _ => runs.push((k, k)),
        }
    }
    w!(
        out,
        "<h3>Story year</h3>\n<p class=\"hint\">The year each chapter is set in, against which \
         the <code>anachronism</code> rule checks the books, films, products and words it names.</p>\n\
         <div class=\"table-wrap\"><table class=\"years\">\n<thead><tr><th scope=\"col\">Chapters</th>\
         <th scope=\"col\">Story year</th><th scope=\"col\">Where it comes from</th></tr></thead>\n<tbody>\n"
    );
    for (from, to) in runs {
        let (first, last) = (chapters[from], chapters[to]);
        let span = if from == to {
            format!("<a href=\"#ch-{first}\">{}</a>", Esc(&model.names[first]))
        } else {
            format!(
                "<a href=\"#ch-{first}\">{}</a> – <a href=\"#ch-{last}\">{}</a> <span class=\"sub\">{} chapters</span>",
                Esc(&model.names[first]),
                Esc(&model.names[last]),
                to - from + 1
            )
        };
        match years.get(first) {
            Some(Ok(year)) => w!(
                out,
                "<tr><td>{span}</td><td class=\"year\">{}</td><td>{}</td></tr>\n",
                year_text(year.first, year.last),
                Esc(&year.source)
            ),
            Some(Err(reason)) => w!(
                out,
                "<tr class=\"none\"><td>{span}</td><td class=\"year\">none</td><td>{}</td></tr>\n",
                Esc(reason)
            ),
            None => {}
        }
    }
    w!(out, "</tbody></table></div>\n");
}

fn year_text(first: i32, last: i32) -> String {
    use crate::config::shown_year;
    if first == last {
        shown_year(first)
    } else {
        format!("{}–{}", shown_year(first), shown_year(last))
    }
}

/// 1 → 1, 2–3 → 2, 4–7 → 3, 8–15 → 4, 16+ → 5.
fn bucket(count: usize) -> usize {
    match count {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        8..=15 => 4,
        _ => 5,
    }
}

fn sev_class(severity: Severity) -> char {
    match severity {
        Severity::Error => 'e',
        Severity::Warning => 'w',
        Severity::Info => 'i',
    }
}

/// The heat strip: an SVG with one column per chapter (a link to it), the
/// chapter's length as a bar on top and one row per rule below.
fn strip(out: &mut String, model: &Model) {
    const LABEL: usize = 176;
    const WORDS_H: usize = 44;
    const ROW_H: usize = 14;
    const ROW_GAP: usize = 3;
    const AXIS_H: usize = 18;
    let chapters: Vec<usize> = model.chapters().collect();
    let rows: Vec<_> = model.rules.iter().filter(|r| r.total() > 0).collect();
    let n = chapters.len().max(1);
    let col = (880 / n).clamp(3, 56);
    let gap = match col {
        8.. => 2,
        5..=7 => 1,
        _ => 0,
    };
    let body_h = WORDS_H + 6 + rows.len() * (ROW_H + ROW_GAP);
    let (width, height) = (LABEL + n * col + 4, body_h + AXIS_H);
    let manuscript = model.report.manuscript;
    let max_words = chapters
        .iter()
        .map(|&i| manuscript.chapter(i).word_count())
        .max()
        .unwrap_or(0)
        .max(1);
    w!(
        out,
        "<div class=\"strip-wrap\"><svg class=\"strip\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Words and findings per chapter\">\n\
         <text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"end\">words</text>\n",
        LABEL - 8,
        WORDS_H - 4
    );
    let row_y = |r: usize| WORDS_H + 6 + r * (ROW_H + ROW_GAP);
    for (r, row) in rows.iter().enumerate() {
        w!(
            out,
            "<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
             <rect class=\"lane\" x=\"{LABEL}\" y=\"{}\" width=\"{}\" height=\"{ROW_H}\"/>\n",
            LABEL - 8,
            row_y(r) + ROW_H - 3,
            Esc(row.id),
            row_y(r),
            n * col
        );
    }
    for (k, &i) in chapters.iter().enumerate() {
        let x = LABEL + k * col;
        let words = manuscript.chapter(i).word_count();
        let bar = ((words * WORDS_H) / max_words).max(usize::from(words > 0));
        let mut title = format!("{} — {} words", model.names[i], thousands(words));
        let found: Vec<String> = rows
            .iter()
            .filter(|row| row.per_chapter[i] > 0)
            .map(|row| format!("{} {}", row.per_chapter[i], row.id))
            .collect();
        if found.is_empty() {
            title.push_str(": no findings");
        } else {
            title.push_str(": ");
            title.push_str(&found.join(", "));
        }
        w!(
            out,
            "<a href=\"#ch-{i}\"><title>{}</title><rect class=\"hit\" x=\"{x}\" y=\"0\" width=\"{col}\" height=\"{body_h}\"/>\
             <rect class=\"words\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{bar}\"/>",
            Esc(&title),
            x + gap / 2,
            WORDS_H - bar,
            col - gap
        );
        for (r, row) in rows.iter().enumerate() {
            let count = row.per_chapter[i];
            if count > 0 {
                w!(
                    out,
                    "<rect class=\"{}{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{ROW_H}\"/>",
                    sev_class(row.worst()),
                    bucket(count),
                    x + gap / 2,
                    row_y(r),
                    col - gap
                );
            }
        }
        w!(out, "</a>\n");
    }
    // Chapter numbers under the columns: 1, then every 1st, 2nd, 5th, 10th …
    // as room allows.
    let every = [1, 2, 5, 10, 20, 50, 100, 200, 500]
        .into_iter()
        .find(|e| e * col >= 24)
        .unwrap_or(1000);
    for number in (1..=n).filter(|&c| c == 1 || c % every == 0) {
        if number == 1 && every > 1 && (every - 1) * col < 24 {
            continue;
        }
        w!(
            out,
            "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{number}</text>",
            LABEL + (number - 1) * col + col / 2,
            height - 4,
        );
    }
    w!(
        out,
        "</svg></div>\n<p class=\"legend\" aria-hidden=\"true\"><span>findings per chapter:</span>\
         <i class=\"sw b1\"></i>1 <i class=\"sw b2\"></i>2–3 <i class=\"sw b3\"></i>4–7 \
         <i class=\"sw b4\"></i>8–15 <i class=\"sw b5\"></i>16+ \
         <span class=\"sevkey\"><i class=\"sw e3\"></i>error <i class=\"sw w3\"></i>warning \
         <i class=\"sw i3\"></i>info</span></p>\n"
    );
}

/// One row per chapter: words, findings by severity, story year.
fn chapter_table(out: &mut String, model: &Model) {
    let manuscript = model.report.manuscript;
    let years = &model.report.story_years;
    let max_words = model
        .chapters()
        .map(|i| manuscript.chapter(i).word_count())
        .max()
        .unwrap_or(0)
        .max(1);
    w!(
        out,
        "<h3>Chapters</h3>\n<div class=\"table-wrap\"><table class=\"chapters\">\n<thead><tr>\
         <th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Chapter</th>\
         <th scope=\"col\" class=\"num\">Words</th><td></td><th scope=\"col\" class=\"num\">Errors</th>\
         <th scope=\"col\" class=\"num\">Warnings</th><th scope=\"col\" class=\"num\">Infos</th>"
    );
    if !years.is_empty() {
        w!(out, "<th scope=\"col\">Story year</th>");
    }
    w!(out, "</tr></thead>\n<tbody>\n");
    for (k, i) in model.chapters().enumerate() {
        let words = manuscript.chapter(i).word_count();
        w!(
            out,
            "<tr data-chapter=\"{i}\"><td class=\"num\">{}</td><th scope=\"row\"><a href=\"#ch-{i}\">{}</a>",
            k + 1,
            Esc(&model.names[i])
        );
        if let Some(heading) = &model.headings[i] {
            w!(out, "<span class=\"sub\">{}</span>", Esc(heading));
        }
        w!(
            out,
            "</th><td class=\"num\">{}</td><td class=\"wbar\"><svg width=\"64\" height=\"6\" aria-hidden=\"true\">\
             <rect width=\"{}\" height=\"6\"/></svg></td>",
            thousands(words),
            (words * 64).div_ceil(max_words)
        );
        for severity in SEVERITIES {
            let count = model.chapter_counts[i][sev_index(severity)];
            if count == 0 {
                w!(out, "<td class=\"num zero\">0</td>");
            } else {
                w!(
                    out,
                    "<td class=\"num {}\">{}</td>",
                    severity.as_str(),
                    thousands(count)
                );
            }
        }
        if !years.is_empty() {
            match years.get(i) {
                Some(Ok(y)) => w!(
                    out,
                    "<td title=\"{}\">{}</td>",
                    Esc(&y.source),
                    year_text(y.first, y.last)
                ),
                _ => w!(out, "<td class=\"zero\">none</td>"),
            }
        }
        w!(out, "</tr>\n");
    }
    w!(out, "</tbody></table></div>\n");
}

/// Every rule that ran, with its counts by severity; rules with findings
/// get a button that filters the findings to them.
fn rule_table(out: &mut String, model: &Model) {
    w!(
        out,
        "<h3>Rules</h3>\n<div class=\"table-wrap\"><table class=\"rules\">\n<thead><tr>\
         <th scope=\"col\">Rule</th><th scope=\"col\">What it finds</th>\
         <th scope=\"col\" class=\"num\">Errors</th><th scope=\"col\" class=\"num\">Warnings</th>\
         <th scope=\"col\" class=\"num\">Infos</th><th scope=\"col\" class=\"num\">Total</th>\
         <th scope=\"col\" class=\"js-only\"><span class=\"vh\">Filter</span></th></tr></thead>\n<tbody>\n"
    );
    for row in &model.rules {
        let total = row.total();
        w!(
            out,
            "<tr data-rule=\"{id}\" data-total=\"{total}\"{zero}><th scope=\"row\"><code>{id}</code>",
            id = Esc(row.id),
            zero = if total == 0 { " class=\"zero\"" } else { "" }
        );
        if let Some(meta) = row.meta {
            w!(
                out,
                "<span class=\"sub\">{}</span></th><td>{}</td>",
                meta.category.as_str(),
                Esc(&meta.summary)
            );
        } else {
            w!(out, "</th><td></td>");
        }
        for severity in SEVERITIES {
            let count = row.counts[sev_index(severity)];
            let class = if count == 0 {
                "zero"
            } else {
                severity.as_str()
            };
            w!(
                out,
                "<td class=\"num {class}\" data-severity=\"{}\">{}</td>",
                severity.as_str(),
                thousands(count)
            );
        }
        w!(out, "<td class=\"num\">{}</td>", thousands(total));
        if total > 0 {
            w!(
                out,
                "<td class=\"js-only\"><button type=\"button\" class=\"show\" data-rule=\"{id}\" \
                 aria-label=\"Show the {} of {id}\">Show</button></td></tr>\n",
                counted(total, "finding"),
                id = Esc(row.id),
            );
        } else {
            w!(out, "<td class=\"js-only\"></td></tr>\n");
        }
    }
    w!(out, "</tbody></table></div>\n");
}
