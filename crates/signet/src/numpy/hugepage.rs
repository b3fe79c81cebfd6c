//! numpy's allocation rule for large arrays on Linux: memory of 4 MiB or more is advised to
//! the kernel as backed by transparent huge pages (`madvise(MADV_HUGEPAGE)` from the first
//! page boundary on, as numpy's `alloc.c` does). Most distributions run THP in `madvise` mode,
//! where only advised memory gets 2 MiB pages; without the advice, filling a fresh 8 MB
//! result faults 2,048 pages in, one by one, which costs more than computing it.

/// Allocations from this size on are advised (numpy's threshold, `1 << 22` bytes).
const LARGE: usize = 1 << 22;

/// An empty `Vec` with room for `len` values; its memory advised for huge pages when it is
/// large (see the module doc). The advice is a hint: on other systems, or when the kernel
/// refuses it, the memory is the same, only slower to fault in.
pub(super) fn vec_with_capacity<T>(len: usize) -> Vec<T> {
    let v = Vec::with_capacity(len);
    advise(
        v.as_ptr() as usize,
        len.saturating_mul(std::mem::size_of::<T>()),
    );
    v
}

#[cfg(target_os = "linux")]
fn advise(address: usize, bytes: usize) {
    const PAGE: usize = 4096;
    if bytes < LARGE {
        return;
    }
    let offset = address.next_multiple_of(PAGE) - address;
    // SAFETY: the range lies inside one live allocation (page-aligned start, `bytes - offset`
    // long); MADV_HUGEPAGE changes how the kernel backs it, never its contents. Errors (an
    // older kernel, THP disabled) are ignored, as numpy ignores them.
    unsafe {
        libc::madvise(
            (address + offset) as *mut libc::c_void,
            bytes - offset,
            libc::MADV_HUGEPAGE,
        );
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_address: usize, _bytes: usize) {}

#[cfg(test)]
mod tests {
    use super::vec_with_capacity;

    /// Small and large requests give vectors of the asked capacity that hold what is written.
    #[test]
    fn advised_vectors_hold_their_values() {
        for len in [0, 1, 1000, (1 << 22) / 8 + 3] {
            let mut v: Vec<u64> = vec_with_capacity(len);
            assert!(v.capacity() >= len);
            v.extend((0..len as u64).map(|i| i * 3));
            assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64 * 3));
        }
    }
}
