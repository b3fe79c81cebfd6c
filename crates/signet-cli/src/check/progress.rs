//! A progress bar on stderr, drawn only when stderr is a terminal and the input is large.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// Inputs smaller than this are checked without a progress bar.
const LARGE: u64 = 64 << 20;

/// Redraw at most this often.
const EVERY: Duration = Duration::from_millis(200);

/// The progress of a check through its input bytes.
pub struct Progress {
    enabled: bool,
    total: u64,
    done_before: u64,
    last: Option<Instant>,
}

impl Progress {
    /// A progress bar over `total` input bytes; drawn only if stderr is a terminal and the
    /// input is large.
    pub fn new(total: u64) -> Progress {
        Progress {
            enabled: total >= LARGE && std::io::stderr().is_terminal(),
            total,
            done_before: 0,
            last: None,
        }
    }

    /// Reports `position` bytes read of the current file `name`.
    pub fn update(&mut self, name: &str, position: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last.is_some_and(|t| now.duration_since(t) < EVERY) {
            return;
        }
        self.last = Some(now);
        let done = (self.done_before + position).min(self.total);
        let fraction = done as f64 / self.total.max(1) as f64;
        let width = 30;
        let filled = ((fraction * width as f64) as usize).min(width);
        let bar = format!("{}{}", "#".repeat(filled), "-".repeat(width - filled));
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r\x1b[2K[{bar}] {:>3}% {} / {}  {name}",
            (fraction * 100.0) as u32,
            human(done),
            human(self.total)
        );
        let _ = err.flush();
    }

    /// Marks a file of `size` bytes as done.
    pub fn file_done(&mut self, size: u64) {
        self.done_before += size;
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if self.enabled && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

/// Bytes for people: `512 B`, `1.5 MB`, `1.0 GB`.
fn human(bytes: u64) -> String {
    let b = bytes as f64;
    if b < 1e3 {
        format!("{bytes} B")
    } else if b < 1e6 {
        format!("{:.1} kB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}
