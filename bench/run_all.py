"""`make bench`: the quick benchmarks, one after the other, results into docs/BENCHMARKS.md.
The long ones run on their own: `python -m bench.bench_reuse 10000`, `python -m bench.bench_batch 1000`."""
from bench import bench_align, bench_ingest, bench_label, bench_render

if __name__ == "__main__":
    bench_ingest.main()
    bench_label.main()
    bench_render.main()
    bench_align.main()
