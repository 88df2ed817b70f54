use std::process::ExitCode;

fn main() -> ExitCode {
    keep_large_blocks_mapped();
    manulint::cli::main()
}

/// glibc's allocator raises its mmap threshold to the size of each large
/// block freed (up to 32 MB), so once a run's first big list is freed, the
/// lists of a few megabytes after it come from the heap, and the memory
/// they free stays with the process, spread over one heap per thread: at a
/// long chapter's peak, a fifth of the resident memory (a 25 MB chapter
/// peaked at 303 MB, and at 235 MB with the threshold fixed). A fixed
/// threshold keeps every block of 1 MB or more mapped on its own and
/// handed back when freed; a few hundred such blocks in a run cost no
/// measurable time.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_blocks_mapped() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_blocks_mapped() {}
