use std::process::ExitCode;

fn main() -> ExitCode {
    keep_large_blocks_mapped();
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
///   than five times its size. With one arena the corpus peaks at 128 MiB
///   and is no slower; each thread still keeps a cache of small blocks, so
///   threads seldom wait on the arena's lock.
/// - `oversize_threshold:1048576`: blocks of 1 MiB or more (a long
///   chapter's word lists and indices) come from an arena of their own that
///   hands their memory back to the system as soon as they are freed (as
///   glibc does for mapped blocks): the 100 MiB chapter peaks at 479,288
///   KiB rather than 494,292 KiB.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[allow(non_upper_case_globals)]
#[unsafe(export_name = "_rjem_malloc_conf")]
pub static malloc_conf: &[u8; 37] = b"narenas:1,oversize_threshold:1048576\0";

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
