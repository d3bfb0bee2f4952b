"""`make bench`: every benchmark, one after the other, results into docs/BENCHMARKS.md."""
from bench import bench_ingest, bench_label

if __name__ == "__main__":
    bench_ingest.main()
    bench_label.main()
