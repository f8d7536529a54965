"""The ``clues`` command as a user runs it: a real process, its output, its exit code."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from clue_miner.config import project_root
from clue_miner.nlp.classify.corpus import load_corpus
from tests.conftest import SEED_PAGE

COMMANDS = [
    [],
    ["demo"],
    ["run"],
    ["crawl"],
    ["analyze"],
    ["classify"],
    ["train"],
    ["evaluate"],
    ["calibrate"],
    ["docs"],
    ["docs", "list"],
    ["leads"],
    ["leads", "list"],
    ["leads", "show"],
    ["sample", "serve"],
    ["db", "upgrade"],
    ["snapshot"],
    ["sources"],
    ["sources", "list"],
    ["sources", "health"],
    ["docs", "search"],
    ["orgs"],
    ["orgs", "review"],
    ["users"],
    ["users", "add"],
    ["users", "list"],
    ["web"],
    ["leads", "decide"],
    ["packet"],
    ["packet", "export"],
    ["packet", "verify"],
    ["schedule"],
    ["runs"],
    ["backup"],
    ["restore"],
]


def clues(
    *args: str,
    var: Path,
    check: bool = True,
    timeout: float = 300,
    database_url: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``clues ARGS`` in a subprocess with its own var folder and store (default: the
    var folder's SQLite file)."""
    environment = {**os.environ, "CLUES_VAR": str(var), **env}
    environment.pop("CLUES_DATABASE_URL", None)
    if database_url:
        environment["CLUES_DATABASE_URL"] = database_url
    proc = subprocess.run(
        [sys.executable, "-m", "clue_miner.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        cwd=project_root(),
    )
    if check:
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "clues")
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    proc = clues(*command, "--help", var=tmp_path)
    assert "Usage" in proc.stdout


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="../shared/seed is absent")
def test_analyze_the_seed_page_as_json(tmp_path: Path) -> None:
    data = json.loads(clues("analyze", str(SEED_PAGE), "--json", var=tmp_path).stdout)
    leads = {lead["category"]: lead for lead in data["leads"]}
    assert sorted(leads) == ["hazmat_unlicensed", "minors_livestream"]
    assert leads["hazmat_unlicensed"]["facts"]["chemicals"] == ["盐酸", "硫酸"]
    assert leads["hazmat_unlicensed"]["agency"] == "张家口市行政审批局"
    assert leads["minors_livestream"]["facts"]["minor_count"] == 13
    assert leads["minors_livestream"]["agency"] == "丰南区人力资源和社会保障局"
    assert all(flag["rule_id"] and flag["evidence"] for flag in data["flags"])


def test_analyze_an_html_page_shows_crawled_text_as_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><h1>行政处罚决定书</h1><script>document.write('x')</script><div><p>"
        "当事人：张家口市宣化区顺通能源科技有限公司。经查，当事人未取得危险化学品经营许可证，"
        "在租用的民房内储存醇基燃料约6.8吨并对外销售。</p></div></body></html>",
        encoding="utf-8",
    )
    data = json.loads(clues("analyze", str(page), "--json", var=tmp_path).stdout)
    [lead] = data["leads"]
    assert lead["category"] == "hazmat_unlicensed"
    assert lead["organization"] == "张家口市宣化区顺通能源科技有限公司"
    assert lead["region_adcode"] == "130705"


def test_classify_writes_probabilities_per_category(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    rows = [
        {
            "id": "a",
            "title": "直播公会招募在校生",
            "text": "某传媒公司招募十五六岁的在校学生做主播，签约后每天直播六小时。",
        },
        {
            "id": "b",
            "title": "加油站检查",
            "text": "县商务局检查加油站，证照齐全，未发现违法经营行为。",
        },
    ]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    out = tmp_path / "out.jsonl"
    clues("classify", "--in", str(source), "--out", str(out), var=tmp_path)
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == ["a", "b"]
    for result in results:
        assert set(result["scores"]) == {"minors_livestream", "hazmat_unlicensed"}
        assert all(0 <= p <= 1 for p in result["scores"].values())
    assert "minors_livestream" in results[0]["labels"]
    assert results[1]["labels"] == []


def test_analyze_and_classify_make_one_decision(tmp_path: Path) -> None:
    docs = load_corpus(project_root() / "clue_miner" / "nlp" / "corpus" / "eval")
    picked = [d for d in docs if d.labels][:3] + [d for d in docs if not d.labels][:2]
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            json.dumps({"id": d.id, "title": d.title, "text": d.text}, ensure_ascii=False)
            for d in picked
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    clues("classify", "--in", str(source), "--out", str(out), var=tmp_path)
    classified = {row["id"]: row for row in map(json.loads, out.read_text().splitlines())}
    for doc in picked:
        page = tmp_path / f"{doc.id}.txt"
        page.write_text(doc.content, encoding="utf-8")
        analysed = json.loads(clues("analyze", str(page), "--json", var=tmp_path).stdout)
        assert analysed["labels"] == classified[doc.id]["labels"], doc.id
        assert sorted({f["category"] for f in analysed["flags"]}) == analysed["labels"]
        assert analysed["scores"] == pytest.approx(classified[doc.id]["scores"], abs=1e-3)
    assert any(row["labels"] for row in classified.values())


def test_malformed_inputs_fail_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": 1}\n')
    proc = clues(
        "classify", "--in", str(bad), "--out", str(tmp_path / "o"), var=tmp_path, check=False
    )
    assert proc.returncode == 2 and "in.jsonl:1" in proc.stderr
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "broken.yml").write_text("id: broken\nname: 坏的\n", encoding="utf-8")
    proc = clues("run", "--sources", str(sources), var=tmp_path, check=False)
    assert proc.returncode == 2
    assert "broken.yml" in proc.stderr and "field 'publisher'" in proc.stderr


@pytest.mark.parametrize(
    ("database_url", "said"),
    [
        ("sqlite-but-not-a-url", "is not a database URL"),
        ("sqlite:////nonexistent-folder/clues.db", "unable to open database file"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/clues", "connection failed"),
    ],
    ids=["malformed", "sqlite-folder-missing", "postgresql-down"],
)
def test_a_database_that_cannot_be_used_is_one_clear_line(
    database_url: str, said: str, tmp_path: Path
) -> None:
    for command in (["leads", "list"], ["run", "--serve-sample"]):
        proc = clues(*command, var=tmp_path, database_url=database_url, check=False)
        assert proc.returncode == 4, proc.stderr
        assert said in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_run_while_another_night_holds_the_store_exits_3_and_says_who(
    tmp_path: Path, other_night: Callable[[str], subprocess.Popen[str]]
) -> None:
    holder = other_night(f"sqlite:///{tmp_path / 'clues.db'}")  # the var folder's store
    proc = clues("run", "--serve-sample", var=tmp_path, check=False)
    assert proc.returncode == 3, proc.stderr
    assert "another night is running" in proc.stderr and f"pid {holder.pid}" in proc.stderr
    assert not (tmp_path / "prefect").exists()  # refused before Prefect started


@pytest.mark.slow
def test_demo_twice_then_read_the_store(tmp_path: Path, new_store: Callable[[Path], str]) -> None:
    url = new_store(tmp_path)
    first = clues("demo", var=tmp_path, database_url=url, timeout=600)
    assert "fengnan-rsj-penalties" in first.stdout and "线索 Leads" in first.stdout
    assert (tmp_path / "clues.db").exists() == url.startswith("sqlite")
    assert (tmp_path / "prefect").is_dir()
    docs = json.loads(clues("docs", "list", "--json", var=tmp_path, database_url=url).stdout)
    leads = json.loads(clues("leads", "list", "--json", var=tmp_path, database_url=url).stdout)
    assert len(docs) == 89
    assert {
        "id",
        "category",
        "status",
        "score",
        "organization",
        "region",
        "agency",
        "title",
    } <= set(leads[0])

    fresh = json.loads(
        clues(
            "leads", "list", "--new-since-last-run", "--json", var=tmp_path, database_url=url
        ).stdout
    )
    assert {row["id"] for row in fresh} == {row["id"] for row in leads}
    hazmat = json.loads(
        clues(
            "leads",
            "list",
            "--category",
            "hazmat_unlicensed",
            "--region",
            "130700",
            "--json",
            var=tmp_path,
            database_url=url,
        ).stdout
    )
    assert hazmat and all(row["category"] == "hazmat_unlicensed" for row in hazmat)
    assert all(row["region_adcode"].startswith("1307") for row in hazmat)
    assert (
        json.loads(
            clues(
                "leads", "list", "--status", "accepted", "--json", var=tmp_path, database_url=url
            ).stdout
        )
        == []
    )

    clues("demo", var=tmp_path, database_url=url, timeout=600)
    assert (
        len(json.loads(clues("docs", "list", "--json", var=tmp_path, database_url=url).stdout))
        == 89
    )
    assert (
        json.loads(
            clues(
                "leads", "list", "--new-since-last-run", "--json", var=tmp_path, database_url=url
            ).stdout
        )
        == []
    )
    assert (
        json.loads(clues("leads", "list", "--json", var=tmp_path, database_url=url).stdout) == leads
    )
    nights = json.loads(clues("runs", "--json", var=tmp_path, database_url=url).stdout)
    assert [n["status"] for n in nights] == ["finished", "finished"]  # newest first
    assert [n["documents_new"] for n in nights] == [0, 89] and nights[1]["leads_new"] == len(leads)
    assert "夜间运行" in clues("runs", var=tmp_path, database_url=url).stdout

    shown = json.loads(
        clues("leads", "show", str(leads[0]["id"]), "--json", var=tmp_path, database_url=url).stdout
    )
    assert shown["evidence"] and all(e["quote"] and e["url"] for e in shown["evidence"])
    missing = clues("leads", "show", "99999", var=tmp_path, database_url=url, check=False)
    assert missing.returncode == 2 and "no lead with id 99999" in missing.stderr

    health = json.loads(clues("sources", "health", "--json", var=tmp_path, database_url=url).stdout)
    assert len(health) == 5 and all(h["healthy"] for h in health), health
    assert all(len(h["recent_documents_seen"]) == 2 for h in health)

    found = json.loads(
        clues("docs", "search", "恒盛", "--json", var=tmp_path, database_url=url).stdout
    )
    assert any(d["source"] == "zhangjiakou-spj-permits" for d in found)
    assert all("恒盛" in d["excerpt"] for d in found)

    doc = docs[0]
    out = tmp_path / "snapshot.html"
    clues("snapshot", str(doc["id"]), "--out", str(out), var=tmp_path, database_url=url)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == doc["raw_sha256"]
    assert doc["title"].encode() in out.read_bytes() or doc["source"].startswith("zhangjiakou")


def test_the_crawl_stage_is_a_scrapy_project(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "scrapy"), "list"],
        capture_output=True,
        text=True,
        cwd=project_root(),
        timeout=120,
        env={**os.environ, "CLUES_VAR": str(tmp_path)},
    )
    assert proc.stdout.split() == ["listing", "table"]


def test_bad_inputs_to_analyze_and_classify_give_clear_results(tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(bytes(range(256)) * 40)
    proc = clues("analyze", str(binary), var=tmp_path, check=False)
    assert proc.returncode == 2 and "binary file" in proc.stderr

    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(
        "某商贸有限公司未取得危险化学品经营许可证，\n".encode()
        + "在民房内储存醇基燃料并对外销售，被应急管理局查处。".encode("gbk")
    )
    proc = clues("analyze", str(mixed), "--json", var=tmp_path)
    assert "mixed encodings" in proc.stderr
    assert [f["category"] for f in json.loads(proc.stdout)["flags"]] == ["hazmat_unlicensed"]

    big = tmp_path / "big.txt"
    big.write_text(("某县人社局开展劳动保障监察宣传活动，向企业发放资料。" * 40 + "\n") * 3300)
    assert big.stat().st_size > 10_000_000
    data = json.loads(clues("analyze", str(big), "--json", var=tmp_path).stdout)
    assert data["flags"] == []  # its repeated lines are read once

    rows = tmp_path / "in.jsonl"
    rows.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"id": 1, "title": "", "text": ""},
                {"id": "big", "title": "长文", "text": "危险化学品" * 2_000_000},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    proc = clues("classify", "--in", str(rows), "--out", str(out), var=tmp_path)
    assert "big: 文本过长，只分析了前 200000 字" in proc.stderr
    results = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in results] == [1, "big"]
    assert all(0 <= p <= 1 for r in results for p in r["scores"].values())


def test_calibrate_fits_a_domain_calibration_and_activates_a_model_with_it(
    tmp_path: Path,
) -> None:
    from clue_miner.nlp.classify.model import load_or_train, models_dir

    active = load_or_train()  # the session's model, copied so that it stays the active one
    models = tmp_path / "models"
    shutil.copytree(models_dir() / active.version, models / active.version)
    (models / "ACTIVE").write_text(active.version)
    nothing = clues("calibrate", var=tmp_path, check=False, CLUES_MODELS=str(models))
    assert nothing.returncode == 2 and "--in FILE" in nothing.stderr
    undecided = clues(
        "calibrate", "--with-decisions", var=tmp_path, check=False, CLUES_MODELS=str(models)
    )
    assert undecided.returncode == 2 and "还没有研判记录" in undecided.stderr

    heldout = project_root() / "clue_miner" / "nlp" / "corpus" / "eval" / "heldout.jsonl"
    proc = clues("calibrate", "--in", str(heldout), var=tmp_path, CLUES_MODELS=str(models))
    assert "cross-validated" in proc.stdout and "已启用" in proc.stdout
    written = models / "domain_calibration.yml"
    assert "heldout.jsonl" in written.read_text(encoding="utf-8")
    version = (models / "ACTIVE").read_text().strip()
    assert version != active.version
    metrics = json.loads((models / version / "metrics.json").read_text())["metrics"]
    assert metrics["hazmat_unlicensed"]["domain_calibration"]["documents"] == 130


@pytest.mark.slow
def test_train_then_evaluate_on_the_held_out_split(tmp_path: Path) -> None:
    trained = clues("train", var=tmp_path, timeout=600)
    assert "combined_cv" in trained.stdout and "weights" in trained.stdout
    heldout = project_root() / "clue_miner" / "nlp" / "corpus" / "eval" / "heldout.jsonl"
    report = json.loads(clues("evaluate", "--in", str(heldout), "--json", var=tmp_path).stdout)
    model, baseline = report["systems"]["model"], report["systems"]["keyword_baseline"]
    assert report["documents"] >= 120
    assert model["macro_f1"] > baseline["macro_f1"]
    assert model["macro_f1"] >= 0.9, model
    assert set(model["categories"]) == {"minors_livestream", "hazmat_unlicensed"}
    assert "neither" in model["confusion"]


def test_orgs_review_lists_a_doubtful_name_and_an_analyst_decides_it(
    tmp_path: Path, new_store: Callable[[Path], str]
) -> None:
    from clue_miner.db import init_db, session_scope
    from clue_miner.leads.org_matching import resolve_organization

    url = new_store(tmp_path)
    init_db(url)
    with session_scope(url) as session:
        resolve_organization(
            session, "张家口市万全区利民气体有限公司", "91130708MA0QQJE702", "130708"
        )
        resolve_organization(session, "利民气体有限公司", None, "130000")

    [match] = json.loads(clues("orgs", "review", "--json", var=tmp_path, database_url=url).stdout)
    assert match["name"] == "利民气体有限公司"
    assert match["candidate"] == "张家口市万全区利民气体有限公司"
    assert [f["name"] for f in match["features"]] == ["same_core_name", "region_within_province"]
    table = clues("orgs", "review", var=tmp_path, database_url=url).stdout
    assert "same_core_name(+0.5)" in table and "1 条待核对" in table

    anonymous = clues(
        "orgs", "review", "--accept", str(match["id"]), var=tmp_path, database_url=url, check=False
    )
    assert anonymous.returncode != 0 and "--as" in anonymous.stderr
    decided = clues(
        "orgs",
        "review",
        "--accept",
        str(match["id"]),
        "--as",
        "李某",
        var=tmp_path,
        database_url=url,
    )
    assert "accepted" in decided.stdout
    assert (
        json.loads(clues("orgs", "review", "--json", var=tmp_path, database_url=url).stdout) == []
    )
    again = clues(
        "orgs",
        "review",
        "--reject",
        str(match["id"]),
        "--as",
        "李某",
        var=tmp_path,
        database_url=url,
        check=False,
    )
    assert again.returncode != 0 and "already accepted" in again.stderr


def test_users_and_scripted_decisions(tmp_path: Path, new_store: Callable[[Path], str]) -> None:
    from clue_miner.db import init_db
    from tests.triage_store import PASSWORD, build_triage_store

    url = new_store(tmp_path)
    init_db(url)
    store = build_triage_store(url)
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "clue_miner.cli",
            "users",
            "add",
            "王检",
            "--role",
            "supervisor",
            "--region",
            "130700",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CLUES_VAR": str(tmp_path), "CLUES_DATABASE_URL": url},
        cwd=project_root(),
    )
    assert added.returncode == 0, added.stderr
    listed = clues("users", "list", var=tmp_path, database_url=url).stdout
    assert "王检" in listed and "130700" in listed and PASSWORD not in listed

    decided = clues(
        "leads",
        "decide",
        str(store.qiaodong),
        "hold",
        "--reason",
        "待核实",
        "--as",
        "王检",
        var=tmp_path,
        database_url=url,
    )
    assert "new → held" in decided.stdout
    refused = clues(
        "leads",
        "decide",
        str(store.fengnan),
        "accept",
        "--as",
        "王检",
        var=tmp_path,
        database_url=url,
        check=False,
    )
    assert refused.returncode != 0 and "无权" in refused.stderr
    unknown = clues(
        "leads",
        "decide",
        str(store.fengnan),
        "accept",
        "--as",
        "nobody",
        var=tmp_path,
        database_url=url,
        check=False,
    )
    assert unknown.returncode != 0 and "clues users add" in unknown.stderr
    history = json.loads(
        clues("leads", "show", str(store.qiaodong), "--json", var=tmp_path, database_url=url).stdout
    )["history"]
    assert [(h["actor"], h["action"], h["to"], h["reason"]) for h in history] == [
        ("王检", "hold", "held", "待核实")
    ]
