//! Runs read group by group of equal keys, without copying them into one
//! list: the shingles and word windows that may repeat are listed chapter
//! by chapter (see [`super::seen_twice`]), each chapter's ordered by hash,
//! and the whole manuscript's are read only for the hashes found twice or
//! more.
//!
//! The hashes are spread evenly over `u64`, so the key space is cut into
//! stripes by their top bits: each stripe's items are a contiguous slice
//! of every run, gathered and sorted on their own (small, in cache) and on
//! every core, and the stripes' results joined in key order. The output is
//! the one a single sorted pass over all runs would give, whatever the
//! thread count. (A k-way merge through a binary heap did this in order on
//! one core: a sixth of a language server's re-check.)
//!
//! Since each stripe is sorted whole, a run need only be in order of its
//! keys' top [`RUN_ORDER_BITS`] bits (see [`order_by_top_bits`]).

use rayon::prelude::*;

/// Items per stripe to aim at: enough that gathering a stripe costs more
/// than finding its slices, few enough that its sort stays in cache.
const STRIPE_ITEMS: usize = 4096;

/// The top bits of a key by which a run of [`groups_by_key`] must be in
/// order: stripes are cut by at most these bits.
pub(super) const RUN_ORDER_BITS: u32 = 10;

/// Calls `group` with the values of each key that two or more items across
/// `runs` hold, values in ascending order; returns what the calls push, in
/// key order. Each run must be in order of its keys' top
/// [`RUN_ORDER_BITS`] bits (a run sorted by key is).
///
/// `lift(run, item)` turns an item of run `run` into its value in the
/// whole sequence (or drops it). Lifted values must be distinct within a
/// key, as paragraph ids and word places are: then the order is a total
/// one and equals a stable merge of the runs.
pub(super) fn groups_by_key<T, V, R>(
    runs: &[&[(u64, T)]],
    lift: impl Fn(usize, T) -> Option<V> + Sync,
    group: impl Fn(&[V], &mut Vec<R>) + Sync,
) -> Vec<R>
where
    T: Copy + Sync,
    V: Ord + Copy + Send,
    R: Send,
{
    let total: usize = runs.iter().map(|r| r.len()).sum();
    let bits = stripe_bits(total, runs.len());
    let stripe_of = |key: u64| if bits == 0 { 0 } else { key >> (64 - bits) };
    let stripes = 1u64 << bits;
    // A few tasks per thread, each a range of stripes read with a cursor in
    // every run: one binary search per run and task, then the runs are read
    // front to back. (A search per run and stripe missed the cache at every
    // step: slower than the heap.)
    let tasks = (rayon::current_num_threads() as u64 * 4).min(stripes);
    let per_task: Vec<Vec<R>> = (0..tasks)
        .into_par_iter()
        .map(|task| {
            let (first, last) = (task * stripes / tasks, (task + 1) * stripes / tasks);
            let mut cursors: Vec<usize> = runs
                .iter()
                .map(|run| run.partition_point(|x| stripe_of(x.0) < first))
                .collect();
            let mut items: Vec<(u64, V)> = Vec::new();
            let mut values: Vec<V> = Vec::new();
            let mut out = Vec::new();
            for stripe in first..last {
                for (run, (items_of_run, cursor)) in runs.iter().zip(&mut cursors).enumerate() {
                    while let Some(&(key, item)) = items_of_run.get(*cursor)
                        && stripe_of(key) == stripe
                    {
                        *cursor += 1;
                        if let Some(value) = lift(run, item) {
                            items.push((key, value));
                        }
                    }
                }
                // By key, then value: each group's values come in order.
                sort_by_hash(&mut items, bits);
                for same_key in items.chunk_by(|a, b| a.0 == b.0) {
                    if same_key.len() < 2 {
                        continue;
                    }
                    values.clear();
                    values.extend(same_key.iter().map(|&(_, value)| value));
                    group(&values, &mut out);
                }
                items.clear();
            }
            out
        })
        .collect();
    // Sized once: collecting the flattened parts grew the list by doubling,
    // and the paragraph pairs joined here are a run's peak memory.
    let mut joined = Vec::with_capacity(per_task.iter().map(Vec::len).sum());
    for part in per_task {
        joined.extend(part);
    }
    joined
}

/// Lists up to this long are sorted by [`sort_by_hash`]'s buckets (its
/// copy of the list is 16 MB at most); longer ones, as in a chapter of
/// millions of words, in place, where the copy would raise the peak.
const BUCKETED_ITEMS: usize = 1 << 20;

/// Sorts `items` as `sort_unstable` would (by key, then value), for keys
/// spread evenly over the values their top `skip` bits leave (hashes;
/// within one stripe of [`groups_by_key`], its bits): a counting pass into
/// about one bucket per two items by the next bits, then each bucket sorted
/// on its own (one or two items, mostly). Linear where a comparison sort
/// takes n log n: each stripe of the duplicate detection's listed shingles
/// and word windows is sorted this way in [`groups_by_key`] (their sorts
/// were a tenth of its time when all were listed). A bucket
/// that many equal or close keys fill is sorted by comparison (n log n at
/// worst); a list over [`BUCKETED_ITEMS`] is sorted in place.
pub(super) fn sort_by_hash<V: Copy + Ord>(items: &mut Vec<(u64, V)>, skip: u32) {
    let n = items.len();
    if !(64..=BUCKETED_ITEMS).contains(&n) || skip >= 63 {
        items.sort_unstable();
        return;
    }
    // About n / 2 buckets, within the bits left below the top `skip`.
    let bits = (usize::BITS - 1 - n.leading_zeros()).min(64 - skip) - 1;
    bucket_sort(items, 1 << bits, |item| {
        ((item.0 << skip) >> (64 - bits)) as usize
    });
}

/// Closes each group in the list [`count_pairs`] reads.
pub(super) const GROUP_END: u32 = u32::MAX;

/// Calls `pair(a, b, shared)` for every two members `a < b` of
/// `min_shared` or more of `groups` (at least one), with `shared` the
/// number of groups that hold both, in ascending order of `(a, b)`.
/// `groups` lists each group's members (paragraph indices below
/// `paragraphs`, ascending, distinct) one group after another, each closed
/// by [`GROUP_END`].
///
/// The later members each paragraph meets in its groups are listed by
/// paragraph (a counting pass and one copy, 4 bytes a pair), then each
/// paragraph in turn counts its list in a table by paragraph and hands out
/// the ones it met, in order. The corpus's groups make 787,000 pairs: as
/// `a << 32 | b` keys (8 bytes each, and as many again for their sort's
/// copy), sorted and then counted run by run, they were twice the memory.
pub(super) fn count_pairs(
    groups: &[u32],
    paragraphs: usize,
    min_shared: u32,
    mut pair: impl FnMut(u32, u32, u32),
) {
    let each_group = || {
        groups
            .split(|&m| m == GROUP_END)
            .filter(|members| members.len() >= 2)
    };
    // By paragraph, where its list of later members starts, then the end.
    let mut starts = vec![0usize; paragraphs + 1];
    for members in each_group() {
        for (i, &a) in members.iter().enumerate() {
            starts[a as usize + 1] += members.len() - 1 - i;
        }
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut later = vec![0u32; starts[paragraphs]];
    let mut next = starts.clone();
    for members in each_group() {
        for (i, &a) in members.iter().enumerate() {
            let at = next[a as usize];
            later[at..at + members.len() - 1 - i].copy_from_slice(&members[i + 1..]);
            next[a as usize] = at + members.len() - 1 - i;
        }
    }
    drop(next);
    let mut counts = vec![0u32; paragraphs];
    let mut met: Vec<u32> = Vec::new();
    for a in 0..paragraphs {
        for &b in &later[starts[a]..starts[a + 1]] {
            let count = &mut counts[b as usize];
            if *count == 0 {
                met.push(b);
            }
            *count += 1;
        }
        // Most pairs share one group: only those sharing enough are sorted.
        met.retain(|&b| {
            let enough = counts[b as usize] >= min_shared;
            if !enough {
                counts[b as usize] = 0;
            }
            enough
        });
        met.sort_unstable();
        for &b in &met {
            pair(a as u32, b, std::mem::take(&mut counts[b as usize]));
        }
        met.clear();
    }
}

/// Sorts `items`, whose order agrees with `bucket` (an item in a lower
/// bucket is lower; `bucket` below `buckets`): a counting pass, a copy of
/// each item to its bucket's place in a new list, which takes the old
/// one's place, then each bucket sorted on its own. Linear in the items
/// and buckets when the buckets hold a few each.
fn bucket_sort<T: Copy + Ord>(items: &mut Vec<T>, buckets: usize, bucket: impl Fn(&T) -> usize) {
    let starts = scatter(items, buckets, bucket);
    for range in starts.windows(2) {
        let bucket = &mut items[range[0] as usize..range[1] as usize];
        if bucket.len() > 1 {
            bucket.sort_unstable();
        }
    }
}

/// Orders `items` by the top [`RUN_ORDER_BITS`] bits of their keys, items
/// of equal top bits in the order they came (beyond `u32::MAX` items, in no
/// set order): what [`groups_by_key`] needs of a run, for a counting pass
/// and one copy. (The word windows were sorted whole, and then each stripe
/// of them again: the first sort was a sixteenth of the duplicate
/// detection's instructions.)
pub(super) fn order_by_top_bits<V: Copy>(items: &mut Vec<(u64, V)>) {
    if items.len() > u32::MAX as usize {
        items.sort_unstable_by_key(|item| item.0 >> (64 - RUN_ORDER_BITS));
        return;
    }
    scatter(items, 1 << RUN_ORDER_BITS, |item| {
        (item.0 >> (64 - RUN_ORDER_BITS)) as usize
    });
}

/// Moves each of `items` (at most `u32::MAX`) to its bucket's place, the
/// buckets (`bucket` below `buckets`) in ascending order and each in the
/// items' order: a counting pass and a copy into a new list, which takes
/// the old one's place. Returns where each bucket starts, then the end.
fn scatter<T: Copy>(items: &mut Vec<T>, buckets: usize, bucket: impl Fn(&T) -> usize) -> Vec<u32> {
    let mut starts = vec![0u32; buckets + 1];
    let Some(&first) = items.first() else {
        return starts;
    };
    for item in items.iter() {
        starts[bucket(item) + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut scattered = vec![first; items.len()];
    let mut next = starts.clone();
    for &item in items.iter() {
        let b = bucket(&item);
        scattered[next[b] as usize] = item;
        next[b] += 1;
    }
    // Moved, not copied back: the copy was a hundredth of a corpus run's
    // instructions.
    *items = scattered;
    starts
}

/// How many top bits of the key choose a stripe: about [`STRIPE_ITEMS`]
/// items each, and no more stripes than keep the look at every run's cursor
/// for every stripe a small part of the work, as with thousands of
/// chapters.
fn stripe_bits(total: usize, runs: usize) -> u32 {
    let by_items = total / STRIPE_ITEMS;
    let by_searches = (total / 8) / runs.max(1);
    let stripes = by_items.min(by_searches).max(1);
    // The largest power of two not above `stripes`, at most the bits by
    // which the runs are in order.
    (usize::BITS - 1 - stripes.leading_zeros()).min(RUN_ORDER_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups of two or more of all runs' lifted items, from one sort of
    /// them all.
    fn expected(
        runs: &[Vec<(u64, u32)>],
        lift: impl Fn(usize, u32) -> Option<u32>,
    ) -> Vec<Vec<u32>> {
        let mut all: Vec<(u64, u32)> = Vec::new();
        for (r, run) in runs.iter().enumerate() {
            all.extend(run.iter().filter_map(|&(k, v)| Some((k, lift(r, v)?))));
        }
        all.sort();
        all.chunk_by(|a, b| a.0 == b.0)
            .filter(|same_key| same_key.len() >= 2)
            .map(|same_key| same_key.iter().map(|&(_, v)| v).collect())
            .collect()
    }

    #[test]
    fn sorting_by_hash_sorts_as_a_comparison_sort() {
        let mut random = crate::testing::Xorshift(11);
        let mut next = || random.next();
        // Spread keys, keys under a stripe's top bits, and many ties (a
        // few distinct keys in one bucket, as in text pasted over and over).
        for (len, skip, distinct) in [
            (0, 0, 0),
            (63, 0, 0),
            (64, 0, 0),
            (5_000, 0, 0),
            (5_000, 7, 0),
            (5_000, 16, 0),
            (5_000, 62, 0),
            (5_000, 0, 3),
            (40_000, 3, 50),
        ] {
            let stripe = next() >> (64 - skip.max(1)) << (64 - skip.max(1));
            let keys: Vec<u64> = (0..7).map(|_| next()).collect();
            let items: Vec<(u64, u32)> = (0..len as u32)
                .map(|i| {
                    let key = if distinct > 0 {
                        keys[i as usize % distinct.min(keys.len())]
                    } else {
                        next()
                    };
                    let key = if skip == 0 {
                        key
                    } else {
                        stripe | (key >> skip)
                    };
                    (key, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_unstable();
            let mut sorted = items;
            sort_by_hash(&mut sorted, skip);
            assert_eq!(sorted, expected, "{len} items, skip {skip}");
        }
    }

    #[test]
    fn ordering_by_top_bits_keeps_each_bucket_as_it_came() {
        let mut random = crate::testing::Xorshift(3);
        for len in [0, 1, 5, 5_000] {
            let items: Vec<(u64, u32)> = (0..len).map(|i| (random.next(), i)).collect();
            let mut ordered = items.clone();
            order_by_top_bits(&mut ordered);
            // A stable sort by the top bits gives the same list.
            let mut expected = items;
            expected.sort_by_key(|item| item.0 >> (64 - RUN_ORDER_BITS));
            assert_eq!(ordered, expected, "{len} items");
        }
    }

    #[test]
    fn pairs_are_counted_as_the_list_of_every_pair_a_group_makes() {
        let mut random = crate::testing::Xorshift(5);
        let mut next = || random.next();
        // How many groups the pairs were shared by (4 for four or more).
        let mut shared_by = std::collections::BTreeSet::new();
        // No groups; one paragraph; groups of two only; large groups over
        // few paragraphs (pairs shared many times); many small groups over
        // many paragraphs.
        for (groups, paragraphs, largest) in [
            (0, 10, 2),
            (5, 1, 2),
            (300, 40, 2),
            (300, 25, 20),
            (5_000, 20_000, 6),
        ] {
            let mut list: Vec<u32> = Vec::new();
            let mut expected: Vec<u64> = Vec::new();
            for _ in 0..groups {
                let size = 1 + next() as usize % largest;
                let mut members: Vec<u32> =
                    (0..size).map(|_| (next() % paragraphs) as u32).collect();
                members.sort_unstable();
                members.dedup();
                for (i, &a) in members.iter().enumerate() {
                    for &b in &members[i + 1..] {
                        expected.push(u64::from(a) << 32 | u64::from(b));
                    }
                }
                list.extend(&members);
                list.push(GROUP_END);
            }
            expected.sort_unstable();
            let expected: Vec<(u32, u32, u32)> = expected
                .chunk_by(|x, y| x == y)
                .map(|same| ((same[0] >> 32) as u32, same[0] as u32, same.len() as u32))
                .collect();
            for min_shared in [0, 1, 2, 3] {
                let mut got = Vec::new();
                count_pairs(&list, paragraphs as usize, min_shared, |a, b, shared| {
                    got.push((a, b, shared))
                });
                let wanted: Vec<(u32, u32, u32)> = expected
                    .iter()
                    .copied()
                    .filter(|&(_, _, shared)| shared >= min_shared)
                    .collect();
                assert_eq!(
                    got, wanted,
                    "{groups} groups, {paragraphs} paragraphs, {min_shared}"
                );
            }
            shared_by.extend(expected.iter().map(|&(_, _, shared)| shared.min(4)));
        }
        // Pairs of one group, of a few, and of many were all counted.
        assert_eq!(shared_by.into_iter().collect::<Vec<_>>(), [1, 2, 3, 4]);
    }

    #[test]
    fn stripes_grow_with_the_items_and_shrink_with_the_runs() {
        assert_eq!(stripe_bits(0, 0), 0);
        assert_eq!(stripe_bits(4095, 1), 0);
        assert_eq!(stripe_bits(4096 * 8, 1), 3);
        assert_eq!(stripe_bits(4096 * 9, 1), 3);
        assert_eq!(stripe_bits(usize::MAX / 2, 1), RUN_ORDER_BITS);
        // 10,000 runs of 100 items: 244 stripes by items, 12 by searches.
        assert_eq!(stripe_bits(1_000_000, 10_000), 3);
    }

    #[test]
    fn any_runs_give_the_groups_of_one_sorted_list_on_any_pool() {
        // Runs of uneven lengths (some empty), keys with many ties, spread
        // over the whole u64 range so that large runs use many stripes.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            seed >> 16
        };
        for (k, len) in [
            (0, 0),
            (1, 0),
            (1, 40),
            (3, 9000),
            (19, 40),
            (7, 30_000),
            (300, 200),
        ] {
            let runs: Vec<Vec<(u64, u32)>> = (0..k)
                .map(|r| {
                    let n = if len == 0 {
                        0
                    } else {
                        next() as usize % (2 * len)
                    };
                    (0..n)
                        // Few distinct keys (ties across runs), spread out.
                        .map(|i| {
                            (
                                (next() % 5000).wrapping_mul(0x9e37_79b9_7f4a_7c15),
                                (r * 100_000 + i) as u32,
                            )
                        })
                        .collect()
                })
                .collect();
            let lift = |run: usize, v: u32| (!v.is_multiple_of(7)).then_some(v + run as u32);
            let want = expected(&runs, lift);
            // Runs sorted whole, and runs in order of their keys' top bits
            // only (each bucket in the order the items came).
            let sorted: Vec<Vec<(u64, u32)>> = runs
                .iter()
                .map(|run| {
                    let mut run = run.clone();
                    run.sort();
                    run
                })
                .collect();
            let ordered: Vec<Vec<(u64, u32)>> = runs
                .iter()
                .map(|run| {
                    let mut run = run.clone();
                    order_by_top_bits(&mut run);
                    run
                })
                .collect();
            for (how, runs) in [("sorted", &sorted), ("ordered", &ordered)] {
                let slices: Vec<&[(u64, u32)]> = runs.iter().map(Vec::as_slice).collect();
                for threads in [1, 2, 8] {
                    let pool = rayon::ThreadPoolBuilder::new()
                        .num_threads(threads)
                        .build()
                        .unwrap();
                    let got: Vec<Vec<u32>> = pool
                        .install(|| groups_by_key(&slices, lift, |g, out| out.push(g.to_vec())));
                    assert_eq!(
                        got, want,
                        "{k} {how} runs of about {len}, {threads} threads"
                    );
                }
            }
        }
    }
}
