//! Transparent huge pages, for the runs large enough to gain by them.
//!
//! The binary's allocator asks Linux for huge pages (2 MiB) for all its
//! memory (jemalloc's `thp:always`, see `src/main.rs`). On the shared
//! corpus (7.6 MB of chapters) that takes a run from about 30,000 page
//! faults to 3,000, and its wall time from 255–264 to 229–239 ms. On one
//! novel (1 MB) it saves a millisecond of 40, and on one chapter nothing,
//! while it costs memory: a chapter with a story year peaked at 42 MiB
//! rather than 36, the novel at 33 rather than 32. And where memory is
//! fragmented, the kernel may stall a fault to compact memory for a free
//! 2 MiB block, which a pre-commit hook checking one chapter should not
//! risk for nothing.
//!
//! So the binary starts with huge pages held back ([`hold_back_huge_pages`],
//! Linux's `PR_SET_THP_DISABLE`), and the loader lets them in once the
//! chapters read reach [`HUGE_PAGES_FROM_BYTES`] ([`note_text_read`]). What
//! was touched before is in small pages (the kernel's background thread may
//! merge some later); what comes after, the bulk of a large run, gets huge
//! ones: the corpus takes 4,000 page faults rather than 2,900 and the same
//! time (228 against 227 ms, fifteen alternated rounds), and the chapter
//! with a story year peaks at 37 MiB, the novel at 31. A process whose
//! parent had already turned huge pages off, wholly or for all but advised
//! memory, keeps them as they were.
//!
//! Counted: the chapters `Workspace::load_manuscript` reads (a `.docx` once
//! parsed) and those the language server reads from disk, not the editor's
//! buffers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Bytes of chapter text (UTF-8, as decoded) from which a run lets huge
/// pages in: about a novel's worth. Below this a run's heap is a few dozen
/// megabytes at most, and huge pages would save it a millisecond.
pub const HUGE_PAGES_FROM_BYTES: usize = 1 << 20;

/// The process's gate: held back by `main`, let in by the loader.
static GATE: Gate = Gate::new();

/// Turns transparent huge pages off for this process, unless they already
/// are, wholly or in part (then they stay as they are for good). Call it
/// first thing in `main`, before the allocator has handed out much memory.
///
/// Errors: none reported. Outside Linux, or where the kernel refuses, it
/// does nothing, and [`note_text_read`] then does nothing either.
pub fn hold_back_huge_pages() {
    GATE.hold_back();
}

/// Counts `bytes` (UTF-8 bytes of a chapter's decoded text) as read, and
/// lets huge pages in once the run has read [`HUGE_PAGES_FROM_BYTES`], if
/// [`hold_back_huge_pages`] held them back. Cheap enough to call for every
/// chapter, from any thread: one atomic load while nothing is held.
///
/// Errors: none reported; if the kernel refuses, huge pages stay off.
pub fn note_text_read(bytes: usize) {
    GATE.note(bytes);
}

/// Whether huge pages were held back and how much text has been read
/// since. (Its own type so that a test can have one.)
struct Gate {
    /// Set while huge pages are off because [`Gate::hold_back`] turned
    /// them off.
    held_back: AtomicBool,
    /// Chapter text read so far, in bytes.
    read: AtomicUsize,
}

impl Gate {
    const fn new() -> Gate {
        Gate {
            held_back: AtomicBool::new(false),
            read: AtomicUsize::new(0),
        }
    }

    fn hold_back(&self) {
        if huge_pages_disabled() == Some(false) && set_huge_pages_disabled(true) {
            self.held_back.store(true, Ordering::SeqCst);
        }
    }

    fn note(&self, bytes: usize) {
        if !self.held_back.load(Ordering::Relaxed) {
            return;
        }
        let read = self
            .read
            .fetch_add(bytes, Ordering::Relaxed)
            .saturating_add(bytes);
        // Only the thread that takes the flag down lets them in.
        if read >= HUGE_PAGES_FROM_BYTES && self.held_back.swap(false, Ordering::SeqCst) {
            set_huge_pages_disabled(false);
        }
    }
}

/// Whether huge pages are off for this process, wholly or for all but
/// advised memory (`PR_GET_THP_DISABLE` gives 0 when they are on, 1 when
/// off, and since Linux 6.18 3 when off except where advised); `None`
/// where that cannot be asked.
#[cfg(target_os = "linux")]
fn huge_pages_disabled() -> Option<bool> {
    // SAFETY: `PR_GET_THP_DISABLE` takes no pointers and only reads a flag
    // of the process. The unused arguments are the `unsigned long` zeros
    // the kernel expects.
    let flag = unsafe {
        libc::prctl(
            libc::PR_GET_THP_DISABLE,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        )
    };
    (flag >= 0).then_some(flag != 0)
}

#[cfg(not(target_os = "linux"))]
fn huge_pages_disabled() -> Option<bool> {
    None
}

/// Sets whether huge pages are off for this process; `false` if the
/// system refused.
#[cfg(target_os = "linux")]
fn set_huge_pages_disabled(disabled: bool) -> bool {
    // SAFETY: `PR_SET_THP_DISABLE` takes no pointers; it only sets a flag
    // that the kernel reads when it backs the process's memory. The kernel
    // refuses unused arguments that are not `unsigned long` zeros.
    unsafe {
        libc::prctl(
            libc::PR_SET_THP_DISABLE,
            libc::c_ulong::from(disabled),
            0 as libc::c_ulong,
            0 as libc::c_ulong,
            0 as libc::c_ulong,
        ) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn set_huge_pages_disabled(_disabled: bool) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Turns huge pages back on when the test ends, even by a failed
    /// assertion: the flag is the whole test process's.
    struct Restore;

    impl Drop for Restore {
        fn drop(&mut self) {
            set_huge_pages_disabled(false);
        }
    }

    /// Held back, still held one byte short of the threshold, let in at
    /// it; and left off when they were off before the gate was held (as a
    /// parent process may leave them). The flag is the process's, as the
    /// kernel reports it, so this is one test: two would race on it. (The
    /// loads of other tests count in the process's gate, not in these.)
    #[test]
    fn huge_pages_are_held_back_until_enough_text_is_read() {
        if huge_pages_disabled() != Some(false) {
            eprintln!("skipping: huge pages are already off for this process");
            return;
        }
        let _restore = Restore;
        let gate = Gate::new();
        gate.hold_back();
        assert_eq!(huge_pages_disabled(), Some(true));
        gate.note(40_000);
        gate.note(HUGE_PAGES_FROM_BYTES - 40_001);
        assert_eq!(huge_pages_disabled(), Some(true));
        gate.note(1);
        assert_eq!(huge_pages_disabled(), Some(false));
        // Once let in, they stay in.
        gate.note(HUGE_PAGES_FROM_BYTES);
        assert_eq!(huge_pages_disabled(), Some(false));

        assert!(set_huge_pages_disabled(true));
        let gate = Gate::new();
        gate.hold_back();
        gate.note(HUGE_PAGES_FROM_BYTES * 2);
        assert_eq!(huge_pages_disabled(), Some(true));
    }
}
