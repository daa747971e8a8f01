#!/usr/bin/env python3
"""The independent numpy fixed-point rules at the larger sizes the lab benchmarks too.

`../shared/bench/numpy_kernels.py` times the three rules at N = m = 50 only. This wrapper runs
its very rule code, unchanged, at N = m = 100 and at the paper's N = 200, m = 100, by binding
the size arguments of its task builder, and prints JSON lines in the same format under the
project's kernel names (fixed_points/rule1_euclidean_n100, ...).

    python3 scripts/numpy_sizes.py PATH/TO/numpy_kernels.py [--quick]
"""

import functools
import importlib.util
import json
import sys


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("numpy_kernels", argv[0])
    nk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nk)  # pins BLAS to one thread before numpy is imported
    quick = "--quick" in argv[1:]
    runs, run_ms = (3, 30.0) if quick else (7, 100.0)
    task = nk._fp_task
    rules = [("rule1_euclidean", nk.setup_fp_rule1), ("rule2_reparam", nk.setup_fp_rule2),
             ("rule3_linearized", nk.setup_fp_rule3)]
    for n, m in [(100, 100), (200, 100)]:
        nk._fp_task = functools.partial(task, N=n, m=m)
        for name, setup in rules:
            fn = setup()
            with nk.np.errstate(over="ignore"):
                ms, mn, _ = nk.time_kernel(fn, runs, run_ms)
            print(json.dumps({"name": f"fixed_points/{name}_n{n}", "ms": round(ms, 6),
                              "min_ms": round(mn, 6), "what": f"N = {n}, m = {m}"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
