//! Native timings of the lab kernels (`make bench` compares them with wasm under Node).
//! Prints one JSON line per kernel: {"name", "ms"}.

fn main() {
    let t0 = std::time::Instant::now();
    let now = move || t0.elapsed().as_secs_f64() * 1e3;
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for k in lde::labs::kernels() {
        if filter.as_deref().is_some_and(|f| !k.name.contains(f)) {
            continue;
        }
        let (ms, sum) = lde::kernels::time(&k, &now, 300.0);
        println!(
            "{{\"name\":\"{}\",\"ms\":{ms:.6},\"check\":{sum:.6e},\"what\":\"{}\"}}",
            k.name, k.what
        );
    }
}
