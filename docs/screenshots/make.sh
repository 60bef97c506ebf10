#!/usr/bin/env bash
# Re-make the screenshots of docs/screenshots/README.md from the project's own examples.
# Needs poppler-utils (pdftoppm) and LibreOffice Calc (soffice); neither is needed by the tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for fmt in pdf xlsx; do
    .venv/bin/jixiao export examples/2024-self-evaluation-tabbed.txt examples/2023-declarations-tabbed.txt \
        --to "$fmt" --out-dir "$out" -q
done
for book in "$out"/*.xlsx; do
    # LibreOffice prints each sheet with the workbook's own page setup (A4, fitted to the page width)
    soffice --headless --convert-to pdf --outdir "$out/calc" "$book" >/dev/null 2>&1
done
shot() { # shot PDF PAGE NAME
    pdftoppm -r 100 -png -f "$2" -l "$2" -singlefile "$1" "docs/screenshots/$3"
}
# page 1 of each file is the 汇总表; page 2 the first form
shot "$out/2024-self-evaluation-tabbed.pdf" 2 self-evaluation-2024-pdf
shot "$out/calc/2024-self-evaluation-tabbed.pdf" 2 self-evaluation-2024-xlsx
shot "$out/2023-declarations-tabbed.pdf" 2 declaration-pdf
shot "$out/calc/2023-declarations-tabbed.pdf" 2 declaration-xlsx
