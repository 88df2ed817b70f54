//! Sorted runs read as one sorted sequence, without copying them into one
//! list: each chapter's shingle postings and word windows are sorted when
//! the chapter is prepared (and kept with it), and the whole manuscript's
//! are only ever read in order.

use std::cmp::Reverse;
use std::collections::binary_heap::{BinaryHeap, PeekMut};

/// The items of `runs` (each sorted) in sorted order; equal items in the
/// order of their runs, as a stable sort of the runs one after another
/// would give. A heap of the runs' next items: O(log runs) per item.
pub(super) struct Merged<T, I> {
    heads: BinaryHeap<Reverse<(T, usize)>>,
    runs: Vec<I>,
}

impl<T: Ord + Copy, I: Iterator<Item = T>> Merged<T, I> {
    pub(super) fn new(mut runs: Vec<I>) -> Self {
        let heads = runs
            .iter_mut()
            .enumerate()
            .filter_map(|(run, items)| Some(Reverse((items.next()?, run))))
            .collect();
        Merged { heads, runs }
    }
}

impl<T: Ord + Copy, I: Iterator<Item = T>> Iterator for Merged<T, I> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let mut head = self.heads.peek_mut()?;
        let Reverse((item, run)) = *head;
        match self.runs[run].next() {
            // Replaced in place: one sift down when `head` is dropped.
            Some(next) => *head = Reverse((next, run)),
            None => {
                PeekMut::pop(head);
            }
        }
        Some(item)
    }
}

/// Calls `group` with the values of each run of equal keys in `items`
/// (sorted by key, as [`Merged`] reads them), in order; never with none.
pub(super) fn for_each_group<K: PartialEq, V>(
    items: impl Iterator<Item = (K, V)>,
    mut group: impl FnMut(&[V]),
) {
    let mut values: Vec<V> = Vec::new();
    let mut current = None;
    for (key, value) in items {
        if current.as_ref() != Some(&key) {
            if !values.is_empty() {
                group(&values);
            }
            values.clear();
            current = Some(key);
        }
        values.push(value);
    }
    if !values.is_empty() {
        group(&values);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_runs_come_out_as_a_stable_sort_of_them_all() {
        let runs: Vec<Vec<(u32, u32)>> = vec![
            vec![(1, 0), (4, 0), (4, 1), (9, 0)],
            vec![],
            vec![(0, 2), (4, 0), (10, 2)],
            vec![(4, 0)],
        ];
        let merged: Vec<(u32, u32)> =
            Merged::new(runs.iter().map(|r| r.iter().copied()).collect()).collect();
        let mut sorted: Vec<(u32, u32)> = runs.concat();
        sorted.sort();
        assert_eq!(merged, sorted);
        assert_eq!(Merged::new(Vec::<std::vec::IntoIter<u8>>::new()).count(), 0);
    }

    #[test]
    fn groups_are_the_runs_of_equal_keys() {
        let mut groups: Vec<Vec<char>> = Vec::new();
        let items = [(1, 'a'), (1, 'b'), (2, 'c'), (5, 'd'), (5, 'e'), (5, 'f')];
        for_each_group(items.into_iter(), |g| groups.push(g.to_vec()));
        assert_eq!(groups, [vec!['a', 'b'], vec!['c'], vec!['d', 'e', 'f']]);
        for_each_group(std::iter::empty::<(u8, u8)>(), |_| panic!("no group"));
    }

    #[test]
    fn any_number_of_runs_of_any_length_merge_in_order() {
        // Runs of uneven lengths (some empty), values with many ties.
        let mut seed = 7u32;
        let mut next = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            seed >> 16
        };
        for k in 1..=19 {
            let runs: Vec<Vec<(u32, u32)>> = (0..k)
                .map(|_| {
                    let mut run: Vec<(u32, u32)> = (0..next() % 40)
                        .map(|_| (next() % 25, next() % 3))
                        .collect();
                    run.sort();
                    run
                })
                .collect();
            let merged: Vec<(u32, u32)> =
                Merged::new(runs.iter().map(|r| r.iter().copied()).collect()).collect();
            let mut sorted = runs.concat();
            sorted.sort();
            assert_eq!(merged, sorted, "{k} runs");
        }
    }
}
