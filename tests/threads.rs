//! Output is identical, and no run blocks, whatever the thread count.
//!
//! Writers' machines have 8–16 cores; rayon starts one thread per CPU, so a
//! run that deadlocks only with many threads would hang for them while CI on
//! two cores never sees it. Each run here has a timeout, and every JSON
//! output must match the single-threaded one byte for byte.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Thread counts to try: one, this machine's usual two, a laptop's eight and
/// more threads than any laptop has.
const THREADS: [usize; 4] = [1, 2, 8, 32];

/// Runs `manulint check <path> --format json` with `threads` rayon threads,
/// killing it after `timeout`. Returns stdout, or panics naming the hang.
fn run_json(path: &Path, threads: usize, timeout: Duration) -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_manulint"))
        .args(["check", "--format", "json", "--year", "1900"])
        .arg(path)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start manulint");
    let stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut stdout = stdout;
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).expect("read stdout");
        out
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for manulint") {
            assert!(
                matches!(status.code(), Some(0 | 1)),
                "{} with {threads} threads exited with {status}",
                path.display()
            );
            break;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{} with RAYON_NUM_THREADS={threads} did not finish within {timeout:?}: a hang",
                path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    reader.join().expect("stdout reader")
}

/// Every thread count, `rounds` times, against the one-thread output.
fn assert_same_output(path: &Path, rounds: usize, timeout: Duration) {
    let expected = run_json(path, 1, timeout);
    assert!(
        expected.starts_with(b"{"),
        "{}: not JSON output",
        path.display()
    );
    for round in 0..rounds {
        for threads in THREADS {
            let got = run_json(path, threads, timeout);
            assert!(
                got == expected,
                "{}: output with {threads} threads (round {round}) differs from one thread",
                path.display()
            );
        }
    }
}

#[test]
fn fixtures_give_identical_output_with_any_thread_count() {
    for fixture in [
        "fixtures/sample-novel",
        "fixtures/duplicates/planted",
        "fixtures/echoes/planted",
        "fixtures/anachronisms/bestsellers-1996",
    ] {
        assert_same_output(Path::new(fixture), 2, Duration::from_secs(60));
    }
}

/// The hang this guards against showed on Emma in about a third of runs with
/// eight threads (shared analyses waiting on each other inside the pool).
#[test]
fn corpus_novels_give_identical_output_with_any_thread_count() {
    let corpus = Path::new("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIP: ../shared/corpus not found");
        return;
    }
    for novel in ["emma", "the-time-machine"] {
        assert_same_output(&corpus.join(novel), 2, Duration::from_secs(120));
    }
}
