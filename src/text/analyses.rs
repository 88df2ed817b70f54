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
