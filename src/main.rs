use std::process::ExitCode;

fn main() -> ExitCode {
    keep_large_blocks_mapped();
    // jemalloc asks for huge pages (below); only a run that reads enough
    // text lets them in (see `manulint::memory`).
    #[cfg(all(feature = "jemalloc", not(target_env = "msvc"), target_os = "linux"))]
    manulint::memory::hold_back_huge_pages();
    manulint::cli::main()
}

/// jemalloc rather than the system's allocator: a run makes millions of
/// small allocations (word forms, hash table entries, findings), and with
/// glibc's allocator a corpus run took about 9% more CPU time than with
/// jemalloc. Not on Windows' MSVC toolchain, where jemalloc
/// does not build, nor without the `jemalloc` feature (on by default).
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read when it starts (a C string; the
/// `_RJEM_MALLOC_CONF` environment variable is read after it):
///
/// - `narenas:1`: one arena for all threads. By default each core gets
///   four, and memory one thread frees stays in its arena for that arena's
///   threads: the corpus peaked at 148 MiB (174 MiB with 16 threads)
///   against 126 MiB with glibc, and a 100 MiB chapter at 526,928 KiB, more
///   than five times its size. With one arena the corpus peaked at 128 MiB
///   (before huge pages, below) and is no slower; each thread still keeps a cache of small blocks, so
///   threads seldom wait on the arena's lock.
/// - `oversize_threshold:2097152`: blocks of 2 MiB or more (a long
///   chapter's word lists and indices) come from an arena of their own that
///   hands their memory back to the system as soon as they are freed (as
///   glibc does for mapped blocks). With jemalloc's default (8 MiB) a
///   100 MiB chapter peaked at 494,292 KiB; from 1 MiB or 2 MiB at 470,000
///   to 475,000 (with `-q`; 529,000 to 535,000 writing JSON), from 4 MiB at
///   541,000 to 546,000 writing JSON. From 1 MiB, the blocks of 1–2 MiB a
///   run frees and allocates again came back as fresh pages each time, each
///   one zeroed by the system (2–5 µs a page on the development machine, a
///   virtual one): the corpus took 38,300 to 39,000 page faults, against
///   34,600 to 35,900 from 2 MiB. Its time did not move beyond the
///   machine's noise either way in alternated rounds.
/// - `thp:always` (Linux only: elsewhere jemalloc would print an error for
///   it): jemalloc asks the system for huge pages (2 MiB) for all its
///   memory. Where the kernel's setting is `madvise` (as on the
///   development machine), only memory asked for in this way gets them;
///   with `always` all memory does, with `never` none. Each page of fresh
///   memory costs the system a fault and zeroing: with 4 KiB pages the
///   corpus took 29,000 to 31,000 page faults and 36–48 ms of system time,
///   a tenth of its CPU time; with huge pages 3,000 (as many as `typos`
///   takes) and 12–20 ms, and fewer misses in the address translation
///   cache took its user time from 460–472 to 435–454 ms: the run went
///   from 255–264 to 229–239 ms of wall time in alternated rounds. The
///   cost is memory: the corpus peaks at 134–140 MiB rather than 123, a
///   100 MiB chapter at 500,000–507,000 KiB rather than 482,000 (with
///   `-q`). The hazard: where no free
///   2 MiB block is at hand, the kernel compacts memory for one, which on
///   earlier days cost the development machine up to half a second of
///   system time (not seen again on 2026-12-07 with its memory held or
///   fragmented on purpose; see `benches/HISTORY.md`). So a run starts with
///   huge pages held back and lets them in only once it has read a novel's
///   worth of chapters (`manulint::memory`): a pre-commit hook checking one
///   chapter neither risks the stall nor pays the memory. Where huge pages are
///   off (`never`), nothing changes. `_RJEM_MALLOC_CONF=thp:default` stops
///   jemalloc asking for them.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc"), target_os = "linux"))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 48] = b"narenas:1,oversize_threshold:2097152,thp:always\0";

/// jemalloc's settings outside Linux: as above, without huge pages.
#[cfg(all(
    feature = "jemalloc",
    not(target_env = "msvc"),
    not(target_os = "linux")
))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 37] = b"narenas:1,oversize_threshold:2097152\0";

/// Without jemalloc, on glibc: glibc's allocator raises its mmap threshold
/// to the size of each large block freed (up to 32 MB), so once a run's
/// first big list is freed, the lists of a few megabytes after it come from
/// the heap, and the memory they free stays with the process, spread over
/// one heap per thread: at a long chapter's peak, a fifth of the resident
/// memory (a 25 MB chapter peaked at 303 MB, and at 235 MB with the
/// threshold fixed). A fixed threshold keeps every block of 1 MB or more
/// mapped on its own and handed back when freed, as jemalloc's
/// `oversize_threshold` does above.
#[cfg(all(not(feature = "jemalloc"), target_os = "linux", target_env = "gnu"))]
fn keep_large_blocks_mapped() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(not(feature = "jemalloc"), target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_mapped() {}
