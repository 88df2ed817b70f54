#!/usr/bin/env python3
"""Regenerate the derived anachronism tables from the staged knowledge base.

Usage (from the repository root):

    python3 rules/anachronisms/build_kb.py [KB_DIR]

KB_DIR defaults to ``../shared/kb`` relative to the repository root.  The
script reads only files under KB_DIR and writes, next to itself:

    books.tsv     year, title, author, aliases   (goodbooks-10k, CC BY-SA 4.0)
    films.tsv     year, title                    (wikipedia-movie-data, CC BY-SA)
    products.tsv  year, kind, title, maker       (YAGO via random-items, CC BY 3.0)
    emoji.tsv     emoji, name, year              (unicode-emoji-json, MIT + Unicode)

Python 3.11, standard library only.  Output is deterministic (sorted).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
DEFAULT_KB = REPO_ROOT / ".." / "shared" / "kb"

# Latest year we accept as a real publication / release year.
MAX_YEAR = 2025

# Series suffix as used by Goodreads: "Title (Series Name, #1)", "(#2.5)", "(Series, #1-3)"
SERIES_SUFFIX = re.compile(r"\s*\([^()]*#\s*[\d.]+(?:\s*[-\u2013]\s*[\d.]+)?\)\s*$")

# Emoji version -> year of its first public release (Unicode/Emoji release dates).
# 0.6 and 0.7 are the retroactive labels for emoji first encoded in
# Unicode 6.0 (Oct 2010) and Unicode 7.0 (Jun 2014).  Emoji 1.0 (Aug 2015) and
# 2.0 (Nov 2015) also cover some code points encoded in Unicode 6.1-8.0
# (2012-2015); for those the year is when they became recommended emoji.
EMOJI_VERSION_YEAR = {
    "0.6": 2010,
    "0.7": 2014,
    "1.0": 2015,
    "2.0": 2015,
    "3.0": 2016,
    "4.0": 2016,
    "5.0": 2017,
    "11.0": 2018,
    "12.0": 2019,
    "12.1": 2019,
    "13.0": 2020,
    "13.1": 2020,
    "14.0": 2021,
    "15.0": 2022,
    "15.1": 2023,
    "16.0": 2024,
    "17.0": 2025,
}

PRODUCT_KIND = {
    "book": "novel",
    "movie": "film",
    "album": "album",
    "video game": "video-game",
}

# Plausible first years per kind (anything earlier is a data error or not a
# release year in the modern sense).
MIN_YEAR = {
    "novel": 1450,       # printed books
    "film": 1888,        # first motion pictures
    "album": 1900,       # recorded albums
    "video-game": 1950,
    "car": 1885,         # first petrol automobiles
}

# Upstream rows known to carry a wrong date (the random-items README warns that
# some values are incorrect).  Maps (kind, title) -> corrected year, or None to drop.
PRODUCT_FIXES: dict[tuple[str, str], int | None] = {
    # The BMW 1 Series hatchback was launched in 2004 (upstream says 1931).
    ("car", "BMW 1 Series"): 2004,
}


def clean(s: str | None) -> str:
    """Collapse whitespace; tabs/newlines would break the TSV output."""
    return " ".join((s or "").split())


def parse_year(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    if value != int(value):
        return None
    return int(value)


def read_tsv(path: Path):
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def write_tsv(path: Path, header: list[str], rows: list[list]) -> int:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("\t".join(header) + "\n")
        for row in rows:
            fh.write("\t".join(str(c) for c in row) + "\n")
    return len(rows)


def build_books(kb: Path) -> int:
    rows = []
    for rec in read_tsv(kb / "books" / "goodbooks10k_title_year.tsv"):
        year = parse_year(rec.get("original_publication_year"))
        if year is None or year > MAX_YEAR:
            continue
        listed = SERIES_SUFFIX.sub("", clean(rec.get("title")))
        original = SERIES_SUFFIX.sub("", clean(rec.get("original_title")))
        title = original or listed
        if len(title) < 2:
            continue
        aliases = []
        if listed and len(listed) >= 2 and listed.casefold() != title.casefold():
            aliases.append(listed)
        author = clean((rec.get("authors") or "").split(",")[0])
        rows.append([year, title, author, "|".join(aliases)])
    rows.sort(key=lambda r: (r[0], r[1].casefold(), r[2]))
    return write_tsv(HERE / "books.tsv", ["year", "title", "author", "aliases"], rows)


def build_films(kb: Path) -> int:
    earliest: dict[str, tuple[int, str]] = {}
    for rec in read_tsv(kb / "films" / "wikipedia_american_films_1900_2023.tsv"):
        year = parse_year(rec.get("year"))
        title = clean(rec.get("title"))
        if year is None or year < 1888 or year > MAX_YEAR or len(title) < 3:
            continue
        key = title.casefold()
        if key not in earliest or year < earliest[key][0]:
            earliest[key] = (year, title)
    rows = [[y, t] for y, t in earliest.values()]
    rows.sort(key=lambda r: (r[0], r[1].casefold()))
    return write_tsv(HERE / "films.tsv", ["year", "title"], rows)


def build_products(kb: Path) -> int:
    seen = set()
    rows = []

    def add(year, kind, title, maker):
        fix_key = (kind, title)
        if fix_key in PRODUCT_FIXES:
            year = PRODUCT_FIXES[fix_key]
            if year is None:
                return
        if year is None or year < MIN_YEAR[kind] or year > MAX_YEAR or len(title) < 2:
            return
        key = (kind, title.casefold(), maker.casefold())
        if key in seen:
            return
        seen.add(key)
        rows.append([year, kind, title, maker])

    ydir = kb / "yago_random_items"
    for rec in read_tsv(ydir / "products_title_date.tsv"):
        kind = PRODUCT_KIND.get(clean(rec.get("type")).lower())
        if kind is None:
            continue
        add(parse_year(rec.get("date")), kind, clean(rec.get("title")), clean(rec.get("author")))
    for rec in read_tsv(ydir / "cars_model_date.tsv"):
        add(parse_year(rec.get("date")), "car", clean(rec.get("model")), clean(rec.get("manufacturer")))
    rows.sort(key=lambda r: (r[0], r[1], r[2].casefold()))
    return write_tsv(HERE / "products.tsv", ["year", "kind", "title", "maker"], rows)


def build_emoji(kb: Path) -> int:
    rows = []
    unknown = set()
    for rec in read_tsv(kb / "emoji" / "unicode_emoji_versions.tsv"):
        version = clean(rec.get("emoji_version"))
        year = EMOJI_VERSION_YEAR.get(version)
        if year is None:
            unknown.add(version)
            continue
        emoji = (rec.get("emoji") or "").strip()
        if not emoji:
            continue
        rows.append([emoji, clean(rec.get("name")), year])
    if unknown:
        print(f"warning: unmapped emoji versions skipped: {sorted(unknown)}", file=sys.stderr)
    return write_tsv(HERE / "emoji.tsv", ["emoji", "name", "year"], rows)


def main(argv: list[str]) -> int:
    kb = Path(argv[1]) if len(argv) > 1 else DEFAULT_KB
    kb = kb.resolve()
    if not kb.is_dir():
        print(f"error: knowledge-base directory not found: {kb}", file=sys.stderr)
        return 2
    counts = {
        "books.tsv": build_books(kb),
        "films.tsv": build_films(kb),
        "products.tsv": build_products(kb),
        "emoji.tsv": build_emoji(kb),
    }
    for name, n in counts.items():
        print(f"{name}: {n} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
