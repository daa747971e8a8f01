//! Benchmark kernels: the hot computations of each lab, named, so that `make bench` can time
//! the same code natively and as wasm under Node and print the ratio. A leaf module: labs
//! register their kernels through [`crate::lab::LabInfo::kernels`].

/// A named kernel: `setup` builds the state and returns the closure timed per iteration.
pub struct Kernel {
    pub name: &'static str,
    /// What one iteration does, and the budget the issue sets for it in wasm.
    pub what: &'static str,
    pub setup: fn() -> Box<dyn FnMut() -> f64>,
}

/// Times `kernel` with `now()` (milliseconds): runs it for a warm-up of a third of `min_ms`
/// (at least once), then until at least `min_ms` have passed (and at least 3 times); returns
/// milliseconds per iteration and a checksum. The warm-up is for wasm: V8 first runs a
/// function in its baseline tier and swaps in optimised code compiled in the background, so a
/// single warm-up call left the first kernel of a run timed partly in baseline code (up to 1.5×
/// its steady time).
pub fn time(kernel: &Kernel, now: &dyn Fn() -> f64, min_ms: f64) -> (f64, f64) {
    let mut f = (kernel.setup)();
    let w0 = now();
    let mut sum = f();
    while now() - w0 < min_ms / 3.0 {
        sum += f();
    }
    let t0 = now();
    let mut n = 0u64;
    loop {
        sum += f();
        n += 1;
        let dt = now() - t0;
        if n >= 3 && dt >= min_ms {
            return (dt / n as f64, sum);
        }
    }
}
