//! Prepares the anachronism rule's built-in knowledge base at compile time.
//!
//! Reading about 47,000 dated entities and building an automaton over their
//! 51,000 names took most of a one-chapter run when it was done at start-up.
//! Here it is done once: the tables of `src/rules/anachronism/source.rs`,
//! a serialised `daachorse` automaton of the names and a `yada` trie of the
//! same names (with the bytes a name starts with and the longest name's
//! length) are written to `OUT_DIR`, and the binary embeds them
//! (`src/rules/anachronism/kb.rs`, `src/rules/anachronism/names.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[path = "src/rules/anachronism/source.rs"]
#[allow(dead_code)]
mod source;

#[path = "src/wordfreq/slots.rs"]
mod slots;

#[path = "src/text/word_starts.rs"]
#[allow(dead_code)]
mod word_starts;

const DATA: &str = "rules/anachronisms";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/rules/anachronism/source.rs");
    println!("cargo:rerun-if-changed=rules/wordfreq/en-zipf.txt");
    println!("cargo:rerun-if-changed=src/wordfreq/slots.rs");
    println!("cargo:rerun-if-changed=src/text/word_starts.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));

    // Fixed-width records after a header: the word padded with spaces, a
    // space, the Zipf value (see rules/wordfreq/README.md).
    let zipf_table = read("rules/wordfreq/en-zipf.txt");
    let zipf_map: HashMap<&str, f32> = zipf_table
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (word, zipf) = line.trim_end().rsplit_once(' ')?;
            Some((word.trim_end(), zipf.parse().ok()?))
        })
        .collect();
    assert!(
        zipf_map.len() > 50_000,
        "rules/wordfreq/en-zipf.txt: expected fixed-width `word zipf` records"
    );
    let zipf = |word: &str| zipf_map.get(word).copied().unwrap_or(0.0);
    // The English table's hash index (src/wordfreq/slots.rs): records of
    // a 22-byte word column, a space, `d.dd` and a newline.
    let records: Vec<&[u8]> = zipf_table.as_bytes().chunks(22 + 6).collect();
    write(&out.join("en-zipf-slots.bin"), &slots::build(&records, 22));

    let mut records = Vec::new();
    for file in ["curated.toml", "titles.toml"] {
        let path = format!("{DATA}/{file}");
        let parsed = source::parse_toml(&path, &read(&path));
        records.extend(parsed.unwrap_or_else(|e| panic!("{e}")));
    }
    records.extend(source::parse_books(
        &read(&format!("{DATA}/books.tsv")),
        &zipf,
    ));
    records.extend(source::parse_films(&read(&format!("{DATA}/films.tsv"))));
    records.extend(source::parse_products(
        &read(&format!("{DATA}/products.tsv")),
        &zipf,
    ));
    records.extend(source::parse_emoji(&read(&format!("{DATA}/emoji.tsv"))));

    let prepared = source::prepare(&records, &zipf);
    // The names as the prose is read: recased (see `text::word_starts`).
    let keys: Vec<(Vec<u8>, u32)> = prepared
        .patterns
        .iter()
        .map(|(k, v)| (word_starts::recased(k).collect(), *v))
        .collect();
    let automaton = daachorse::DoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::Standard)
        .build_with_values(keys.iter().cloned())
        .unwrap_or_else(|e| panic!("cannot build the anachronism automaton: {e}"));
    let automaton: daachorse::DoubleArrayAhoCorasick<u32> = automaton;
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    let trie = yada::builder::DoubleArrayBuilder::build(&sorted)
        .unwrap_or_else(|e| panic!("cannot build the anachronism trie: {e}"));
    // One byte per byte value: 1 where some name starts with it.
    let mut first = [0u8; 256];
    for (key, _) in &keys {
        first[usize::from(key[0])] = 1;
    }
    let longest = keys.iter().map(|(k, _)| k.len()).max().unwrap_or(0);

    write(
        &out.join("anachronism-entities.tsv"),
        prepared.entities.as_bytes(),
    );
    write(
        &out.join("anachronism-forms.tsv"),
        prepared.forms.as_bytes(),
    );
    write(
        &out.join("anachronism-fuzzy.tsv"),
        prepared.fuzzy.as_bytes(),
    );
    write(&out.join("anachronism.daac"), &automaton.serialize());
    write(&out.join("anachronism.trie"), &trie);
    write(&out.join("anachronism-first.bin"), &first);
    write(
        &out.join("anachronism-counts.txt"),
        format!(
            "{} {} {longest}",
            prepared.entity_count,
            prepared.patterns.len()
        )
        .as_bytes(),
    );
}

fn read(path: &str) -> String {
    println!("cargo:rerun-if-changed={path}");
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn write(path: &Path, bytes: &[u8]) {
    // Unchanged output keeps its timestamp, so the crate is not rebuilt.
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return;
    }
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
