//! A counting allocator for memory profiles (feature `alloc-stats`, never
//! in a shipped build): it passes every call to the system allocator and
//! counts the bytes held and the most held. A binary that wants it declares
//! it, `#[global_allocator] static A: Counting = Counting;` (the app's
//! benchmark build in `src/perf.rs`, `examples/memory_profile.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The counting allocator.
pub struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn allocated(size: usize) {
    let held = HELD.fetch_add(size, Relaxed) + size;
    PEAK.fetch_max(held, Relaxed);
}

// SAFETY: every call goes to the system allocator unchanged; only two
// counters are updated besides, and only for what it did allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        if !p.is_null() {
            allocated(l.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(l);
        if !p.is_null() {
            allocated(l.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        HELD.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }

    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = System.realloc(p, l, new);
        if !q.is_null() {
            // The old block and the new one may both be held while copying.
            PEAK.fetch_max(HELD.load(Relaxed) + new, Relaxed);
            HELD.fetch_add(new, Relaxed);
            HELD.fetch_sub(l.size(), Relaxed);
        }
        q
    }
}

/// Bytes held now (through [`Counting`]).
pub fn held() -> usize {
    HELD.load(Relaxed)
}

/// The most bytes held since the call before; counting starts again from
/// what is held now.
pub fn take_peak() -> usize {
    PEAK.swap(HELD.load(Relaxed), Relaxed)
}
