//! A store of analyses by type and key, built on a miss and kept: what a
//! [`super::Manuscript`] holds for the manuscript-wide analyses and each
//! [`super::Chapter`] for its own.
//!
//! Nothing ever waits for a build on another thread. The lock guards only
//! the map; a lookup that misses builds on the calling thread, and should two
//! threads miss at once both build and the first stored value wins. Building
//! twice wastes time; waiting could deadlock the rayon pool (a thread blocked
//! on an initialiser may hold, lower on its stack, work the initialiser
//! needs).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

type Map = HashMap<(TypeId, String), Arc<dyn Any + Send + Sync>>;

/// Analyses of one text (a chapter) or of many (the manuscript), each stored
/// under its type and a key that tells apart analyses of one type built with
/// different settings.
#[derive(Default)]
pub struct Analyses {
    map: Mutex<Map>,
}

impl fmt::Debug for Analyses {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Analyses({} stored)", self.lock().len())
    }
}

impl Analyses {
    /// The analysis of type `T` under `key`, building it with `build` when
    /// it is not there yet.
    pub fn get_or_build<T: Any + Send + Sync>(
        &self,
        key: &str,
        build: impl FnOnce() -> T,
    ) -> Arc<T> {
        let map_key = (TypeId::of::<T>(), key.to_string());
        if let Some(found) = self.lock().get(&map_key) {
            return downcast(Arc::clone(found));
        }
        let built: Arc<dyn Any + Send + Sync> = Arc::new(build());
        let stored = Arc::clone(self.lock().entry(map_key).or_insert(built));
        downcast(stored)
    }

    /// Drops the store's hold on the analysis of type `T` under `key`, if
    /// it is there: it is freed once no reader holds it, and built again if
    /// asked for later.
    pub fn remove<T: Any + Send + Sync>(&self, key: &str) {
        let removed = self.lock().remove(&(TypeId::of::<T>(), key.to_string()));
        // Freed outside the lock.
        drop(removed);
    }

    /// How many analyses are stored.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// True when the analysis of type `T` under `key` has been built.
    pub fn contains<T: Any + Send + Sync>(&self, key: &str) -> bool {
        self.lock()
            .contains_key(&(TypeId::of::<T>(), key.to_string()))
    }

    fn lock(&self) -> MutexGuard<'_, Map> {
        lock(&self.map)
    }
}

/// Locks `mutex` even if a thread panicked while holding it. For the locks
/// of analyses and caches, whose slot or map is changed by single calls
/// that a panic cannot leave half-written.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

fn downcast<T: Any + Send + Sync>(value: Arc<dyn Any + Send + Sync>) -> Arc<T> {
    match value.downcast::<T>() {
        Ok(value) => value,
        Err(_) => unreachable!("analyses are keyed by TypeId"),
    }
}

/// A chapter's analysis that also reads manuscript-wide inputs `I` (the
/// whole book's vocabulary, say): kept with the inputs it was built from,
/// and built again only when a check's inputs differ. Stored with
/// [`super::Chapter::memo`], so only chapters that keep their analyses
/// reuse anything.
///
/// Inputs are compared by address: a check first asks
/// [`WithInputs::shared_inputs`] for the previous check's inputs and, when
/// they are equal to its own, passes that same `Arc` to every chapter, so
/// the comparison by value happens once per check and not per chapter.
pub struct WithInputs<I, T> {
    slot: Mutex<Option<(Arc<I>, Arc<T>)>>,
}

impl<I, T> Default for WithInputs<I, T> {
    fn default() -> Self {
        WithInputs {
            slot: Mutex::new(None),
        }
    }
}

impl<I: PartialEq, T> WithInputs<I, T> {
    /// The analysis built from `inputs`, from the slot when it was built
    /// from these very inputs, else from `build` (and then kept).
    pub fn get_or_build(&self, inputs: &Arc<I>, build: impl FnOnce() -> T) -> Arc<T> {
        if let Some((built_from, value)) = &*self.lock()
            && Arc::ptr_eq(built_from, inputs)
        {
            return Arc::clone(value);
        }
        // Built without the lock held: nothing ever waits on a build.
        let value = Arc::new(build());
        *self.lock() = Some((Arc::clone(inputs), Arc::clone(&value)));
        value
    }

    /// `inputs`, or the equal inputs a slot among `slots` was last built
    /// from (the previous check's), so that the slots recognise them.
    pub fn shared_inputs<'s>(inputs: I, slots: impl IntoIterator<Item = &'s Self>) -> Arc<I>
    where
        I: 's,
        T: 's,
    {
        let previous = slots
            .into_iter()
            .find_map(|slot| slot.lock().as_ref().map(|(i, _)| Arc::clone(i)));
        match previous {
            Some(previous) if *previous == inputs => previous,
            _ => Arc::new(inputs),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<(Arc<I>, Arc<T>)>> {
        lock(&self.slot)
    }
}

impl<I, T> WithInputs<I, T>
where
    I: PartialEq + Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    /// Every chapter's analysis from `inputs`, one per chapter in order,
    /// each kept in the chapter under `key` (see [`super::Chapter::memo`])
    /// and built in parallel only where the chapter's kept one was built
    /// from other inputs.
    pub fn per_chapter(
        manuscript: &super::Manuscript,
        key: &str,
        inputs: I,
        build: impl Fn(&super::Chapter, &I) -> T + Sync,
    ) -> Vec<Arc<T>> {
        use rayon::prelude::*;
        let slots: Vec<Arc<Self>> = manuscript
            .chapters
            .iter()
            .map(|chapter| chapter.memo(key, |_| Self::default()))
            .collect();
        let inputs = Self::shared_inputs(inputs, slots.iter().map(Arc::as_ref));
        manuscript
            .chapters
            .par_iter()
            .zip(&slots)
            .map(|(chapter, slot)| slot.get_or_build(&inputs, || build(chapter, &inputs)))
            .collect()
    }
}

/// How a manuscript-wide total is made of per-chapter parts (counts per
/// word, say): what [`Summed`] keeps up to date.
pub trait Sum<P>: Clone + Default + Send + Sync {
    /// Adds one chapter's part.
    fn add(&mut self, part: &P);
    /// Takes away a part added before: the total is then what adding the
    /// other parts alone gives (no entry left at zero).
    fn subtract(&mut self, part: &P);
    /// Adds another total (of other parts).
    fn absorb(&mut self, other: Self);
}

/// A manuscript-wide total of the chapters' parts (each chapter's kept
/// with it, see [`super::Chapter::memo`]), kept from one check of the
/// manuscript to the next (see [`super::Manuscript::with_kept`]) and
/// brought up to date there: the parts of changed chapters taken away, their
/// new ones added. A language server's re-check after an edit so adds two
/// chapters' parts instead of all of them.
///
/// Parts are told apart by address: a chapter that kept its part hands the
/// same `Arc` again.
pub struct Summed<P, T> {
    /// The parts of the last total, and the total.
    slot: Mutex<Option<Totalled<P, T>>>,
}

type Totalled<P, T> = (Vec<Arc<P>>, Arc<T>);

impl<P, T> Default for Summed<P, T> {
    fn default() -> Self {
        Summed {
            slot: Mutex::new(None),
        }
    }
}

impl<P, T> Summed<P, T>
where
    P: Send + Sync + 'static,
    T: Sum<P> + 'static,
{
    /// The total of every chapter's part (`part` gives it, a chapter's
    /// memo): kept under `key` and brought up to date when the manuscript
    /// keeps analyses across checks and fewer parts changed than there are.
    ///
    /// A manuscript that keeps nothing across checks (a single run) never
    /// sees a part: `add_chapter` adds each chapter's straight into a
    /// running total, in parallel, the result [`Sum::add`] of its part
    /// would give. Building each part first cost a table per chapter, and
    /// adding it a second look-up per entry (about 3% of a corpus run).
    pub fn total(
        manuscript: &super::Manuscript,
        key: &str,
        part: impl Fn(&super::Chapter) -> Arc<P> + Send + Sync,
        add_chapter: impl Fn(&mut T, &super::Chapter) + Send + Sync,
    ) -> Arc<T> {
        use rayon::prelude::*;
        let chapters = manuscript.chapters.par_iter();
        match manuscript.kept::<Self>(key) {
            Some(summed) => summed.update(chapters.map(part).collect()),
            None => Arc::new(
                chapters
                    .fold(T::default, |mut total, chapter| {
                        add_chapter(&mut total, chapter);
                        total
                    })
                    .reduce(T::default, |mut a, b| {
                        a.absorb(b);
                        a
                    }),
            ),
        }
    }

    fn update(&self, parts: Vec<Arc<P>>) -> Arc<T> {
        // Taken out while it is brought up to date, so no lock is held over
        // parallel work: an update that finds it taken adds up afresh.
        let previous = self.lock().take();
        let kept = previous.and_then(|(previous, total)| {
            let (gone, new) = changes(&previous, &parts);
            // Past half the chapters, adding every part is as quick.
            (gone.len() + new.len() < parts.len()).then(|| {
                // Copied only while the previous check's analyses hold it.
                let mut total = Arc::unwrap_or_clone(total);
                gone.into_iter().for_each(|part| total.subtract(part));
                new.into_iter().for_each(|part| total.add(part));
                total
            })
        });
        let total = kept.unwrap_or_else(|| {
            use rayon::prelude::*;
            add_up(parts.par_iter().map(Arc::clone))
        });
        let total = Arc::new(total);
        *self.lock() = Some((parts, Arc::clone(&total)));
        total
    }

    fn lock(&self) -> MutexGuard<'_, Option<Totalled<P, T>>> {
        lock(&self.slot)
    }
}

/// Every part added, in parallel.
fn add_up<P: Send + Sync, T: Sum<P>>(
    parts: impl rayon::iter::ParallelIterator<Item = Arc<P>>,
) -> T {
    use rayon::prelude::*;
    parts
        .fold(T::default, |mut total, part| {
            total.add(&part);
            total
        })
        .reduce(T::default, |mut a, b| {
            a.absorb(b);
            a
        })
}

/// The parts of `previous` not in `parts` and those of `parts` not in
/// `previous`, by address (a part listed twice counts twice).
fn changes<'a, P>(previous: &'a [Arc<P>], parts: &'a [Arc<P>]) -> (Vec<&'a P>, Vec<&'a P>) {
    let mut unmatched: HashMap<*const P, usize> = HashMap::with_capacity(previous.len());
    for part in previous {
        *unmatched.entry(Arc::as_ptr(part)).or_default() += 1;
    }
    let mut new = Vec::new();
    for part in parts {
        match unmatched.get_mut(&Arc::as_ptr(part)) {
            Some(left) if *left > 0 => *left -= 1,
            _ => new.push(&**part),
        }
    }
    let mut gone = Vec::new();
    for part in previous {
        if let Some(left) = unmatched.get_mut(&Arc::as_ptr(part))
            && *left > 0
        {
            *left -= 1;
            gone.push(&**part);
        }
    }
    (gone, new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word counts: a part is a chapter's words.
    #[derive(Clone, Debug, Default, PartialEq)]
    struct Counts(std::collections::BTreeMap<&'static str, u32>);

    /// Parts added and taken away by `Counts`, over the test.
    static ADDED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    static SUBTRACTED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    impl Sum<Vec<&'static str>> for Counts {
        fn add(&mut self, part: &Vec<&'static str>) {
            ADDED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            part.iter().for_each(|w| *self.0.entry(w).or_default() += 1);
        }
        fn subtract(&mut self, part: &Vec<&'static str>) {
            SUBTRACTED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            for w in part {
                let n = self.0.get_mut(w).unwrap();
                *n -= 1;
                if *n == 0 {
                    self.0.remove(w);
                }
            }
        }
        fn absorb(&mut self, other: Self) {
            for (w, n) in other.0 {
                *self.0.entry(w).or_default() += n;
            }
        }
    }

    #[test]
    fn a_kept_total_is_brought_up_to_date_by_the_changed_parts() {
        let summed = Summed::<_, Counts>::default();
        let part = |words: &[&'static str]| Arc::new(words.to_vec());
        let (a, b, c, d) = (
            part(&["x", "y"]),
            part(&["y"]),
            part(&["z"]),
            part(&["x", "w"]),
        );
        // Counted without `Sum`, so its calls are the kept total's alone.
        let fresh = |parts: &[Arc<Vec<&'static str>>]| {
            let mut total = Counts::default();
            for word in parts.iter().flat_map(|p| p.iter()) {
                *total.0.entry(word).or_default() += 1;
            }
            total
        };
        // Each total equals a fresh sum; gives the parts added and taken
        // away to get it.
        let total = |parts: Vec<Arc<Vec<&'static str>>>| -> (Counts, usize, usize) {
            use std::sync::atomic::Ordering::Relaxed;
            let expected = fresh(&parts);
            let (added, subtracted) = (ADDED.load(Relaxed), SUBTRACTED.load(Relaxed));
            let got = summed.update(parts);
            assert_eq!(*got, expected);
            let added = ADDED.load(Relaxed) - added;
            (
                Counts::clone(&got),
                added,
                SUBTRACTED.load(Relaxed) - subtracted,
            )
        };
        let (_, added, _) = total(vec![a.clone(), b.clone(), c.clone()]);
        assert_eq!(added, 3);
        // One part replaced: one taken away, one added.
        let (_, added, subtracted) = total(vec![a.clone(), d.clone(), c.clone()]);
        assert_eq!((added, subtracted), (1, 1));
        // One added; then one listed twice.
        assert_eq!(total(vec![a.clone(), d.clone(), c.clone(), b.clone()]).1, 1);
        let (_, added, subtracted) =
            total(vec![a.clone(), d.clone(), c.clone(), b.clone(), b.clone()]);
        assert_eq!((added, subtracted), (1, 0));
        // One gone, with no word left at zero.
        let (last, added, subtracted) = total(vec![a.clone(), c.clone(), b.clone(), b.clone()]);
        assert_eq!((added, subtracted), (0, 1));
        assert_eq!(last.0.get("w"), None);
        assert_eq!(last.0.get("y"), Some(&3));
        // Every part changed: added up afresh.
        let (_, added, subtracted) = total(vec![d.clone()]);
        assert_eq!((added, subtracted), (1, 0));
    }

    #[test]
    fn with_inputs_reuses_only_what_equal_inputs_built() {
        let slots: Vec<WithInputs<Vec<&str>, usize>> =
            (0..3).map(|_| WithInputs::default()).collect();
        let builds = std::sync::atomic::AtomicUsize::new(0);
        let check = |inputs: Vec<&'static str>| -> Vec<usize> {
            let inputs = WithInputs::shared_inputs(inputs, &slots);
            slots
                .iter()
                .map(|slot| {
                    *slot.get_or_build(&inputs, || {
                        builds.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        inputs.len()
                    })
                })
                .collect()
        };
        assert_eq!(check(vec!["a", "b"]), [2, 2, 2]);
        // Equal inputs (another allocation): nothing built again.
        assert_eq!(check(vec!["a", "b"]), [2, 2, 2]);
        assert_eq!(builds.load(std::sync::atomic::Ordering::Relaxed), 3);
        // Different inputs: every slot built again, from them.
        assert_eq!(check(vec!["a", "b", "c"]), [3, 3, 3]);
        assert_eq!(builds.load(std::sync::atomic::Ordering::Relaxed), 6);
    }
}
