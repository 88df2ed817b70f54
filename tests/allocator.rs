//! The binary allocates with jemalloc, set up as `src/main.rs` says: one
//! arena for all threads, and blocks of 2 MiB or more apart, handed back to
//! the system when freed; on Linux, huge pages asked for. Without the first
//! two a 100 MiB chapter and the corpus peak higher (figures in
//! `src/main.rs`), and without the third a corpus run takes ten times the
//! page faults, so this
//! checks they are the ones jemalloc read (its statistics, printed at exit,
//! list its options), and that jemalloc accepted them without a complaint.

#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[test]
fn jemalloc_runs_with_one_arena_and_large_blocks_apart() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_manulint"))
        .args(["check", "-q", "--fail-on", "never", "fixtures/sample-novel"])
        .env("_RJEM_MALLOC_CONF", "stats_print:true")
        .output()
        .expect("run manulint");
    assert_eq!(output.status.code(), Some(0));
    let stats = String::from_utf8_lossy(&output.stderr);
    assert!(stats.contains("opt.narenas: 1\n"), "{stats}");
    assert!(
        stats.contains("opt.oversize_threshold: 2097152\n"),
        "{stats}"
    );
    // Elsewhere jemalloc reports huge pages as not supported.
    if cfg!(target_os = "linux") {
        assert!(stats.contains("opt.thp: \"always\"\n"), "{stats}");
    }
}

/// A setting jemalloc cannot use is reported on stderr as `<jemalloc>:
/// ...` at start-up, in every run: none may be.
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[test]
fn jemalloc_reads_its_settings_without_a_complaint() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_manulint"))
        .args(["check", "-q", "--fail-on", "never", "fixtures/sample-novel"])
        .env_remove("_RJEM_MALLOC_CONF")
        .output()
        .expect("run manulint");
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("<jemalloc>"), "{stderr}");
}
