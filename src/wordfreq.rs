//! Background English word frequencies (Zipf scale), embedded in the binary.
//!
//! Data: `rules/wordfreq/en-zipf.tsv` from the `wordfreq` package, CC BY-SA 4.0
//! (see `rules/wordfreq/README.md`). The table is parsed on first use, so runs
//! whose rules never ask pay nothing.

use std::collections::HashMap;
use std::sync::LazyLock;

static DATA: &str = include_str!("../rules/wordfreq/en-zipf.tsv");

static TABLE: LazyLock<HashMap<&'static str, f32>> = LazyLock::new(|| {
    let mut table = HashMap::with_capacity(100_000);
    for line in DATA.lines().skip(1) {
        if let Some((word, zipf)) = line.split_once('\t')
            && let Ok(zipf) = zipf.parse::<f32>()
        {
            table.insert(word, zipf);
        }
    }
    table
});

/// Zipf frequency of a lowercase word: about 7.7 for “the”, 3 for a word
/// met once per million words, 0 for words outside the top 100,000.
pub fn zipf(lowercase_word: &str) -> f32 {
    TABLE.get(lowercase_word).copied().unwrap_or(0.0)
}

/// Zipf frequency of any word form: lowercased, with a curly apostrophe
/// read as a straight one (the table uses straight apostrophes).
pub fn zipf_of(word: &str) -> f32 {
    let mut lower = word.to_lowercase();
    if lower.contains('’') {
        lower = lower.replace('’', "'");
    }
    zipf(&lower)
}

/// Occurrences per million words, from a Zipf value.
pub fn per_million(zipf: f32) -> f64 {
    10f64.powf(zipf as f64 - 3.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_rank_above_rare_ones() {
        assert!(zipf("the") > 7.5);
        assert!(zipf("metallic") > 2.5 && zipf("metallic") < 4.5);
        assert!(zipf("tang") < zipf("metallic"));
        assert_eq!(zipf("qzxv-not-a-word"), 0.0);
        assert_eq!(zipf_of("Don’t"), zipf("don't"));
        assert!((per_million(3.0) - 1.0).abs() < 1e-9);
    }
}
