#!/usr/bin/env bash
# Builds and runs libFuzzer targets (swiftc -sanitize=fuzzer,address), outside `swift build`.
#
#   Tests/fuzz/run.sh [SECONDS] [TARGET...]      default: 20 s each for recipe, station and protocol
#
# A target NAME is Tests/fuzz/targets/NAME.swift (defining LLVMFuzzerTestOneInput) compiled into one
# module with the files and folders listed in NAME.sources, seeded from the files matched by the
# globs in NAME.corpus. Imports of the project's own modules are dropped, since all is one module.
# FUZZ_OPT=-O builds optimised (slower to build, faster to run). Findings (crashing or hanging
# inputs) land in .build/fuzz/NAME/findings and fail the run.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
shift || true
targets=("$@")
((${#targets[@]})) || targets=(recipe station protocol)
opt="${FUZZ_OPT:--Onone}"
status=0
for name in "${targets[@]}"; do
    dir=".build/fuzz/$name"
    mkdir -p "$dir/corpus" "$dir/findings"
    sources=("Tests/fuzz/targets/$name.swift")
    while read -r entry; do
        [ -z "$entry" ] && continue
        if [ -d "$entry" ]; then
            while IFS= read -r file; do sources+=("$file"); done < <(find "$entry" -name '*.swift' | sort)
        else
            sources+=("$entry")
        fi
    done < "Tests/fuzz/targets/$name.sources"
    # Everything compiles into one module, so imports of the project's own modules go.
    rm -rf "$dir/src" && mkdir -p "$dir/src"
    copies=()
    for index in "${!sources[@]}"; do
        copy="$dir/src/$index-$(basename "${sources[$index]}")"
        sed -E '/^(public |internal |package )?import Wok/d' "${sources[$index]}" > "$copy"
        copies+=("$copy")
    done
    sources=("${copies[@]}")
    echo "fuzz $name: building ${#sources[@]} files ($opt)" >&2
    nice -n 10 swiftc "$opt" -sanitize=fuzzer,address -parse-as-library -swift-version 6 \
        -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
        -module-name "Fuzz_$name" "${sources[@]}" -o "$dir/fuzz-$name" 2> "$dir/build.log" \
        || { cat "$dir/build.log" >&2; exit 2; }
    while read -r glob; do
        [ -z "$glob" ] && continue
        for file in $glob; do cp "$file" "$dir/corpus/"; done
    done < "Tests/fuzz/targets/$name.corpus"
    echo "fuzz $name: running ${seconds} s" >&2
    if ! nice -n 10 "$dir/fuzz-$name" -max_total_time="$seconds" -max_len=1100000 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$dir/findings/" "$dir/corpus" > "$dir/run.log" 2>&1; then
        tail -40 "$dir/run.log" >&2
        status=1
    fi
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$dir/run.log" | sed "s/^/fuzz $name: /" >&2
done
exit $status
