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

    /// True when the analysis of type `T` under `key` has been built.
    pub fn contains<T: Any + Send + Sync>(&self, key: &str) -> bool {
        self.lock()
            .contains_key(&(TypeId::of::<T>(), key.to_string()))
    }

    fn lock(&self) -> MutexGuard<'_, Map> {
        // A panic while the lock was held cannot leave the map half-written
        // (inserts are single calls), so a poisoned lock is still usable.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }
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
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
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

#[cfg(test)]
mod tests {
    use super::*;

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
