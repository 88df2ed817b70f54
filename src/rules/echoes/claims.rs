//! Which reported phrase each token belongs to, while `repeated-phrase`
//! merges its candidates: runs of tokens, not one entry per token.
//!
//! The merge claims every token of every occurrence it keeps. A map entry
//! per token was 25 bytes a claimed word (and twice that while the table
//! grew): 157 MB on a 100 MB chapter of one paragraph. Claims come in runs
//! (an occurrence is a run of tokens), so they are kept as runs.

use std::collections::BTreeMap;
use std::ops::Range;

/// The claim of a token: (group index, occurrence index in the group).
pub(super) type Claim = (usize, usize);

/// Claimed runs of tokens by chapter slot. Each token has at most one
/// claim; a later claim over a token replaces the earlier one, as a map
/// from token to claim would.
#[derive(Default)]
pub(super) struct Claims {
    /// Per slot: run start → (run end, exclusive; claim). Runs never
    /// overlap.
    slots: Vec<BTreeMap<u32, (u32, Claim)>>,
}

impl Claims {
    /// The claim of the first claimed token in `tokens` of chapter `slot`,
    /// if any.
    pub fn first_in(&self, slot: u32, tokens: Range<u32>) -> Option<Claim> {
        if tokens.is_empty() {
            return None;
        }
        let runs = self.slots.get(slot as usize)?;
        // The run holding the first token, else the first run that starts
        // inside the range.
        if let Some((_, &(end, claim))) = runs.range(..=tokens.start).next_back()
            && end > tokens.start
        {
            return Some(claim);
        }
        let next = runs.range(tokens.start..tokens.end).next();
        next.map(|(_, &(_, claim))| claim)
    }

    /// Claims every token of `tokens` in chapter `slot` for `claim`,
    /// replacing what claimed them before.
    pub fn claim(&mut self, slot: u32, tokens: Range<u32>, claim: Claim) {
        if tokens.is_empty() {
            return;
        }
        let slot = slot as usize;
        if self.slots.len() <= slot {
            self.slots.resize_with(slot + 1, BTreeMap::new);
        }
        let runs = &mut self.slots[slot];
        let Range { start, end } = tokens;
        // A run that begins before the range keeps its head, and its tail
        // when it reaches past the range.
        if let Some((&before, &(before_end, before_claim))) = runs.range(..start).next_back()
            && before_end > start
        {
            runs.insert(before, (start, before_claim));
            if before_end > end {
                runs.insert(end, (before_end, before_claim));
            }
        }
        // Runs that begin inside the range lose what the range covers.
        let inside: Vec<u32> = runs.range(start..end).map(|(&s, _)| s).collect();
        for s in inside {
            let (run_end, run_claim) = runs.remove(&s).expect("listed just now");
            if run_end > end {
                runs.insert(end, (run_end, run_claim));
            }
        }
        runs.insert(start, (end, claim));
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn a_later_claim_replaces_the_middle_of_an_earlier_run() {
        let mut claims = Claims::default();
        claims.claim(0, 10..20, (0, 0));
        claims.claim(0, 13..15, (1, 1));
        assert_eq!(claims.first_in(0, 10..11), Some((0, 0)));
        assert_eq!(claims.first_in(0, 13..20), Some((1, 1)));
        assert_eq!(claims.first_in(0, 15..16), Some((0, 0)));
        assert_eq!(claims.first_in(0, 5..10), None);
        assert_eq!(claims.first_in(0, 20..30), None);
        assert_eq!(claims.first_in(0, 5..12), Some((0, 0)));
        assert_eq!(claims.first_in(1, 10..20), None);
    }

    /// Against a map from token to claim, on many random claims.
    #[test]
    fn runs_answer_as_a_map_of_tokens_would() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as u32
        };
        let mut claims = Claims::default();
        let mut tokens: HashMap<(u32, u32), Claim> = HashMap::new();
        for n in 0..5_000 {
            let slot = next(3);
            let start = next(200);
            let end = start + next(12);
            if next(2) == 0 {
                claims.claim(slot, start..end, (n, n + 1));
                for t in start..end {
                    tokens.insert((slot, t), (n, n + 1));
                }
            } else {
                let expected = (start..end).find_map(|t| tokens.get(&(slot, t)).copied());
                assert_eq!(
                    claims.first_in(slot, start..end),
                    expected,
                    "{slot} {start}..{end}"
                );
            }
        }
    }
}
