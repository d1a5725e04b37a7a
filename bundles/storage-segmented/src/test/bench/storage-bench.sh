#!/usr/bin/env bash
# Storage engine benchmark, as reported in docs/performance.md: dd's page-cache write and read
# bandwidth on the benchmark directory's disk (65,536 writes to a new file after a sync, as each
# append iteration does), then the JMH benchmarks, then dd again, in one run.
# Usage (from the repository root, after `mvn -pl storage-spi,bundles/storage-segmented install`):
#   bundles/storage-segmented/src/test/bench/storage-bench.sh [bench-dir] [benchmark regex] [extra JMH args]
set -euo pipefail
dir="${1:-${TMPDIR:-/tmp}/cairn-bench}"
shift || true
regex="${1:-StorageBenchmark}"
shift || true
mkdir -p "$dir"

dd_round() {
  # bs=16k: page-aligned writes, the disk's best case. bs=16205: the size of one benchmark batch,
  # so the same (unaligned) write pattern as the engine's appends.
  for bs in 16k 16205; do
    for i in 1 2 3; do
      rm -f "$dir/dd.bin"; sync
      echo "dd write 65536 x bs=$bs: $(dd if=/dev/zero of="$dir/dd.bin" bs=$bs count=65536 2>&1 | tail -1)"
    done
  done
  for i in 1 2 3; do
    echo "dd read back bs=1M:    $(dd if="$dir/dd.bin" of=/dev/null bs=1M 2>&1 | tail -1)"
  done
  rm -f "$dir/dd.bin"
}

echo "== dd before"; dd_round
echo "== JMH"
mvn -B -q -o -pl bundles/storage-segmented exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
  "-Dexec.args=-Dcairn.bench.dir=$dir -Xmx2g -cp %classpath org.openjdk.jmh.Main $regex -f 1 -wi 2 -w 2s -i 5 -r 2s $*"
echo "== dd after"; dd_round
