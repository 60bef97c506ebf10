"""Every record page of the demo data, rendered by two trees of the project in one run, compared.

    python benchmarks/pages_compare.py OLD_TREE NEW_TREE [--keep DIR]

For a change that must leave the pages as they are (issue 15: the cycle's
forms and services rebuilt): each tree gets a fresh SQLite database with the
demo data (``jixiao demo --no-serve``, the project's examples), then every
list, record page, edit form, evaluation form, history, print page and
preview is requested as each demo login (unit filer, department reviewer,
finance reviewer) through Django's test client. The HTML is saved with what
differs from run to run made equal (CSRF tokens, CSP nonces, today's date
and times, ids of sessions); the two trees' pages are then diffed. Prints
one line per page that differs and the unified diff, and exits 1 when any
page differs. Not a test: it compares old and new in the same run, never a
stored snapshot.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

# what differs between two renderings of the same data: tokens, nonces, now
NORMALISE = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken" value="CSRF"'),
    (re.compile(r'nonce="[^"]+"'), 'nonce="NONCE"'),
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?"), "DATETIME"),
    (re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}"), "DATETIME"),
    (re.compile(r"\d{1,2}:\d{2}(:\d{2})?"), "TIME"),
]


def normalise(html: str) -> str:
    """The page with its run-dependent parts replaced by fixed words."""
    for pattern, fixed in NORMALISE:
        html = pattern.sub(fixed, html)
    return html


class _Form(HTMLParser):
    """The values a page's form posts: inputs, textareas and selected options, by name."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "checkbox", "file"):
            self.data[a["name"]] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.data[a["name"]] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.data):
            self.data[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_data(html: str) -> dict[str, str]:
    """What the page's form posts as rendered."""
    parser = _Form()
    parser.feed(html)
    return parser.data


def render(out: Path, repeat: int = 0) -> None:
    """In this process's tree: build the demo database and save every page as each login sees it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jixiao.web.cycle.models import Declaration, SelfEvaluation

    setup_test_environment()  # the test client's hosts
    call_command("demo", no_serve=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=("unit", "dept", "finance")).order_by("username")
    # the unit starts the self-evaluation of each approved declaration (as it would, by its button), so
    # that draft self-evaluation forms are among the pages
    starter = Client()
    starter.force_login(users.get(username="unit"))
    for pk in Declaration.objects.filter(state__in=("approved", "published"), evaluation__isnull=True).values_list(
        "pk", flat=True
    ):
        starter.post(f"/work/declarations/{pk}/evaluate/")
    # and a new draft declaration, its form saved once as rendered with a row typed in
    starter.post("/work/declarations/new/", {"name": "页面比较用项目", "year": 2026})
    new = Declaration.objects.get(project__name="页面比较用项目")
    posted = form_data(starter.get(f"/work/declarations/{new.pk}/edit/").content.decode())
    posted |= {"ind-TOTAL_FORMS": "1", "ind-0-level1": "产出指标", "ind-0-level2": "数量指标"}
    posted |= {"ind-0-name": "培训人次", "ind-0-target": "≥100人次", "ind-0-weight": "20", "goal": "完成培训"}
    starter.post(f"/work/declarations/{new.pk}/edit/", posted)
    decls = list(Declaration.objects.order_by("pk").values_list("pk", flat=True))
    evs = list(SelfEvaluation.objects.order_by("pk").values_list("pk", flat=True))
    urls = ["/work/", "/declarations/", "/evaluations/", "/declarations/?year=2024", "/evaluations/?state=draft"]
    urls = [urls[0]] + ["/work" + u for u in urls[1:]]
    for pk in decls:
        urls += [f"/work/declarations/{pk}/{page}" for page in ("", "edit/", "delete/")]
        urls += [f"/work/declarations/{pk}/print/", f"/work/declaration/{pk}/source/", f"/work/evaluation/{pk}/source/"]
    for pk in evs:
        urls += [f"/work/evaluations/{pk}/{page}" for page in ("", "edit/", "delete/", "print/")]
    timed: dict[str, list[float]] = {}
    for user in users:
        client = Client()
        client.force_login(user)
        for url in urls:
            if repeat:
                for _ in range(repeat):
                    start = time.perf_counter()
                    if client.get(url).status_code != 200:
                        break
                    timed.setdefault(_kind(f"{user.username}{url}"), []).append(time.perf_counter() - start)
                continue
            response = client.get(url)
            name = f"{user.username}{url.replace('/', '_').replace('?', '~')}.html"
            body = response.content.decode("utf-8", "replace")
            (out / name).write_text(f"{response.status_code}\n{normalise(body)}", encoding="utf-8")
            if url.endswith("/edit/") and "/evaluations/" in url and response.status_code == 200:
                # the live preview, posted exactly as the form renders (its parsing of row-{n}-… keys)
                preview = client.post(url.replace("/edit/", "/preview/"), form_data(body))
                text = preview.content.decode("utf-8", "replace")
                (out / name.replace("_edit_", "_preview-post_")).write_text(f"{preview.status_code}\n{text}", "utf-8")

    if repeat:
        (out / "timings.json").write_text(json.dumps({k: statistics.median(v) for k, v in timed.items()}))


def _kind(page: str) -> str:
    """A page's kind: its user and address with the record ids left out."""
    return re.sub(r"\d+", "N", page)


def _run(tree: Path, out: Path, repeat: int = 0) -> None:
    out.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="pages-db-"))
    env = os.environ | {
        "PYTHONPATH": str(tree / "src"),
        "DATABASE_URL": f"sqlite:///{data / 'pages.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "jixiao.web.settings",
        # the error pages as people see them, not Django's technical pages (which name the view's module)
        "JIXIAO_DEBUG": "0",
    }
    command = [sys.executable, __file__, "--render", str(out), "--repeat", str(repeat)]
    subprocess.run(command, env=env, check=True, cwd=tree)


def main() -> int:
    """Render both trees' pages and print what differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trees", nargs="*", type=Path)
    parser.add_argument("--render", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="keep the pages in this folder (old/, new/)")
    parser.add_argument("--repeat", type=int, default=0, help="time each page this many times instead")
    parser.add_argument("--rounds", type=int, default=3, help="with --repeat: old and new in turn, this many times")
    args = parser.parse_args()
    if args.render:
        render(args.render, args.repeat)
        return 0
    old_tree, new_tree = (p.resolve() for p in args.trees)
    base = args.keep or Path(tempfile.mkdtemp(prefix="pages-"))
    if args.repeat:
        return _time(old_tree, new_tree, base, args.repeat, args.rounds)
    _run(old_tree, base / "old")
    _run(new_tree, base / "new")
    old, new = sorted((base / "old").iterdir()), sorted((base / "new").iterdir())
    differing = 0
    if [p.name for p in old] != [p.name for p in new]:
        print("the two trees rendered different pages")
        differing += 1
    for a in old:
        b = base / "new" / a.name
        if not b.exists():
            continue
        left, right = a.read_text("utf-8").splitlines(), b.read_text("utf-8").splitlines()
        if left != right:
            differing += 1
            print(f"DIFFERS {a.name}")
            sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(left, right, lineterm="", n=1))
    statuses = {}
    for a in old:
        status = a.read_text("utf-8").split("\n", 1)[0]
        statuses[status] = statuses.get(status, 0) + 1
    print(f"{len(old)} pages compared (status codes {statuses}); {differing} differ; kept in {base}")
    return 1 if differing else 0


def _time(old_tree: Path, new_tree: Path, base: Path, repeat: int, rounds: int) -> int:
    """Median time of each kind of page in each tree, the trees taking turns; prints new/old per kind."""
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for n in range(rounds):
        for name, tree in (
            (("old", old_tree), ("new", new_tree)) if n % 2 == 0 else (("new", new_tree), ("old", old_tree))
        ):
            out = base / f"{name}-{n}"
            _run(tree, out, repeat)
            runs[name].append(json.loads((out / "timings.json").read_text()))
    best = {name: {k: min(r[k] for r in rs if k in r) for k in rs[0]} for name, rs in runs.items()}
    total = {name: sum(b.values()) for name, b in best.items()}
    for kind in sorted(best["old"]):
        if kind in best["new"]:
            old, new = best["old"][kind], best["new"][kind]
            print(f"{kind:<50} old {old * 1000:7.2f} ms  new {new * 1000:7.2f} ms  ratio {new / old:5.3f}")
    print(
        f"all kinds: old {total['old'] * 1000:.1f} ms, new {total['new'] * 1000:.1f} ms,"
        f" ratio {total['new'] / total['old']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
