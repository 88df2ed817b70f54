//! The recall table: plain-text sentences written for manulint, each with
//! the anachronisms it must give (`fixtures/anachronisms/recall/sentences.txt`
//! says how it is laid out). Run with `--nocapture` to see recall by kind
//! and the known misses.

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;
use crate::diagnostic::Facts;
use crate::testing::run_rule_with_config;

const TABLE: &str = include_str!("../../../fixtures/anachronisms/recall/sentences.txt");

struct Row {
    line: usize,
    kind: String,
    context: String,
    year: i32,
    sentence: String,
    /// `Name@year`, sorted; empty for none.
    expected: Vec<String>,
    /// Why the rule does not find it yet.
    miss: Option<String>,
}

fn rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in TABLE.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split(" | ").map(str::trim).collect();
        assert!(cols.len() >= 5, "line {}: {line}", i + 1);
        let mut expected: Vec<String> = if cols[4] == "-" {
            Vec::new()
        } else {
            cols[4].split(';').map(|s| s.trim().to_string()).collect()
        };
        expected.sort();
        rows.push(Row {
            line: i + 1,
            kind: cols[0].to_string(),
            context: cols[1].to_string(),
            year: cols[2].parse().expect("a year"),
            sentence: cols[3].to_string(),
            expected,
            miss: cols
                .get(5)
                .and_then(|m| m.strip_prefix("miss:"))
                .map(|m| m.trim().to_string()),
        });
    }
    rows
}

/// What the rule finds in each sentence, checked at the row's year.
fn found(rows: &[Row]) -> Vec<Vec<String>> {
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        by_year.entry(row.year).or_default().push(i);
    }
    let mut out = vec![Vec::new(); rows.len()];
    for (year, indices) in by_year {
        let config = Config::parse(
            Path::new("manulint.toml"),
            format!("[story]\nyear = {year}\n"),
        )
        .expect("config parses");
        let names: Vec<String> = indices.iter().map(|i| format!("s{i}.txt")).collect();
        let texts: Vec<String> = indices
            .iter()
            .map(|&i| format!("{}\n", rows[i].sentence))
            .collect();
        let chapters: Vec<(&str, &str)> = names
            .iter()
            .zip(&texts)
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let (manuscript, diagnostics) =
            run_rule_with_config("anachronism", &config, &toml::Table::new(), &chapters)
                .expect("rule builds");
        for d in diagnostics {
            let Some(Facts::Anachronism { name, year, .. }) = d.facts.as_deref() else {
                panic!("no facts on {}", d.message);
            };
            let chapter = manuscript.chapter(d.primary.chapter);
            let text = chapter.slice(d.primary.span);
            let row = indices[d.primary.chapter];
            // The name as written, or the title meant by a near-miss.
            let shown = if d.message.contains("did you mean") {
                name.clone()
            } else {
                text.to_string()
            };
            let expected_name = rows[row]
                .expected
                .iter()
                .find(|e| e.starts_with(&format!("{name}@")))
                .map(|_| name.clone());
            out[row].push(format!("{}@{year}", expected_name.unwrap_or(shown)));
        }
    }
    for found in &mut out {
        found.sort();
    }
    out
}

#[test]
fn recall_table_by_kind_and_context() {
    let rows = rows();
    assert!(rows.len() >= 200, "{} sentences", rows.len());
    let found = found(&rows);
    // kind -> (expected findings, found, rows with nothing to find, false alarms)
    let mut by_kind: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    let mut wrong = Vec::new();
    let mut misses = Vec::new();
    for (row, got) in rows.iter().zip(&found) {
        let stats = by_kind.entry(&row.kind).or_default();
        stats.0 += row.expected.len();
        stats.1 += row.expected.iter().filter(|e| got.contains(e)).count();
        if row.expected.is_empty() {
            stats.2 += 1;
        }
        stats.3 += got.iter().filter(|g| !row.expected.contains(g)).count();
        let right = *got == row.expected;
        match (&row.miss, right) {
            (None, false) => wrong.push(format!(
                "line {} ({}, {}, {}): {:?}\n    expected {:?}, found {:?}",
                row.line, row.kind, row.context, row.year, row.sentence, row.expected, got
            )),
            (Some(_), true) => wrong.push(format!(
                "line {}: {:?} is now found; remove its `miss:` note",
                row.line, row.sentence
            )),
            (Some(why), false) => misses.push(format!(
                "{} ({}): {} — {why}",
                row.kind, row.context, row.sentence
            )),
            (None, true) => {}
        }
    }
    println!("kind          found/expected  recall  sentences with none  false alarms");
    let (mut all_expected, mut all_found) = (0, 0);
    for (kind, (expected, hit, none, false_alarms)) in &by_kind {
        all_expected += expected;
        all_found += hit;
        println!(
            "{kind:<13} {hit:>5}/{expected:<8} {:>6.1}%  {none:>19}  {false_alarms:>12}",
            100.0 * *hit as f64 / (*expected).max(1) as f64
        );
    }
    println!(
        "all           {all_found:>5}/{all_expected:<8} {:>6.1}%",
        100.0 * all_found as f64 / all_expected.max(1) as f64
    );
    println!("known misses:");
    for miss in &misses {
        println!("  {miss}");
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
