//! Third-party parsers (tract, parquet, arrow-ipc) can panic on malformed input instead of
//! returning an error; the fuzz targets found such inputs. Their calls run inside
//! [`catch_panic`], so a bad file or request body is an error that names what failed, never a
//! crash of the CLI or of a server worker. The fuzz targets run the same calls: a panic the
//! guard catches is handled, one that escapes it still stops the fuzzer.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch_panic`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, a panic hook that stays silent for panics [`catch_panic`] catches and
/// hands every other panic to the hook that was there before (the default one printing the
/// message, or a fuzzer's that aborts).
fn install_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it becomes `Err` with the panic's message, and is not printed
/// (the caller reports it as an error). Panics elsewhere are reported as before.
pub fn catch_panic<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    install_hook();
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|panic| panic_message(panic.as_ref()).unwrap_or_else(|| "no message".into()))
}

/// The message of a panic payload (`panic!`'s text), if it has one.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> Option<String> {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message() {
        assert_eq!(catch_panic(|| 7), Ok(7));
        assert_eq!(
            catch_panic(|| -> () { panic!("range end index 9 out of range") }),
            Err("range end index 9 out of range".to_string())
        );
        assert_eq!(
            catch_panic(|| -> () { panic!("{} of {}", 9, 4) }),
            Err("9 of 4".to_string())
        );
        assert_eq!(
            catch_panic(|| -> () { std::panic::panic_any(3u8) }),
            Err("no message".to_string())
        );
    }
}
