"""``clues analyze``, ``clues classify`` and ``clues train``: analysis without the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from clue_miner.cli.output import console, err_console, fail, print_json, safe

if TYPE_CHECKING:
    from clue_miner.nlp.classify.corpus import LabelledDoc

MAX_INPUT_BYTES = 20_000_000


def _decode_line(line: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("utf-8", errors="replace")


def read_document(path: Path) -> str:
    """Text of a .txt/.md or .html file: wrapped lines re-joined, HTML reduced to its text.

    This prepared text is what ``clues analyze`` reports offsets into (``--json`` prints it).
    """
    from charset_normalizer import from_bytes

    from clue_miner.crawlers.encoding import UndecodableError, decide_encoding
    from clue_miner.crawlers.html_text import html_to_text
    from clue_miner.nlp.text import join_wrapped_lines

    if not path.is_file():
        fail(f"{path}: no such file")
    raw = path.read_bytes()
    if len(raw) > MAX_INPUT_BYTES:
        fail(f"{path}: {len(raw)} bytes is over the {MAX_INPUT_BYTES}-byte limit")
    if not raw.strip():
        fail(f"{path}: the file is empty")
    control = sum(raw.count(bytes([b])) for b in (*range(0, 9), *range(14, 32)))
    if control > len(raw) // 50:
        fail(f"{path}: a binary file, not a text or HTML document")
    try:
        decoded = raw.decode(decide_encoding(raw, None).encoding)
    except UndecodableError:
        best = from_bytes(raw).best()
        if best is not None:
            decoded = str(best)
        else:  # mixed encodings: decode line by line, mark what nothing decodes
            decoded = "\n".join(_decode_line(line) for line in raw.split(b"\n"))
            err_console.print(f"{path}: mixed encodings, decoded line by line")
    if path.suffix.lower() in {".html", ".htm", ".xhtml"}:
        from lxml import etree
        from lxml import html as lxml_html

        try:
            tree = lxml_html.document_fromstring(
                decoded.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8")
            )
        except (etree.ParserError, ValueError) as exc:
            fail(f"{path}: not readable as HTML: {exc}")
            raise
        body = tree.find("body")
        fragment = lxml_html.tostring(body if body is not None else tree, encoding="unicode")
        return html_to_text(fragment)
    return join_wrapped_lines(decoded)


def analyze(
    file: Annotated[Path, typer.Argument(help="A .txt, .md or .html file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print flags and leads as JSON.")] = False,
) -> None:
    """Flag one document as the night would and show the candidate leads (no database).

    The decision is the night's own: rules and the text model weighed by the active model
    (trained first if there is none). Offsets point into the prepared text (HTML reduced to
    text, wrapped lines re-joined), which ``--json`` includes as ``text``; near misses are
    rules that scored but did not fire, vetoed flags are rules that fired but that the
    model scored below the threshold.
    """
    from clue_miner.nlp.classify.decision import DocumentInput, decide
    from clue_miner.nlp.classify.model import load_or_train
    from clue_miner.nlp.penalty_decision import parse_decisions

    text = read_document(file)
    with console.status("加载模型 loading the model…"):
        model = load_or_train()
    decision = decide(model, [DocumentInput(text)])[0]
    result = decision.analysis
    if result.truncated_at:
        err_console.print(
            f"{file}: 文本过长，只分析了前 {result.truncated_at} 字 (the rest was not read)"
        )
    leads: dict[str, dict[str, Any]] = {}
    for flag in result.flags:
        lead = leads.setdefault(
            flag.lead_key(),
            {
                "key": flag.lead_key(),
                "category": flag.category,
                "title": flag.title,
                "organization": flag.organization,
                "agency": flag.agency,
                "region": flag.region_name,
                "region_adcode": flag.region_adcode,
                "score": flag.score,
                "legal_basis": flag.legal_basis,
                "facts": flag.facts,
                "rule_ids": [],
            },
        )
        lead["rule_ids"].append(flag.rule_id)
        lead["score"] = max(lead["score"], flag.score)
    if as_json:
        print_json(
            {
                "file": str(file),
                "characters": len(text),
                "articles": len(result.sections),
                "model": model.version,
                "labels": decision.labels,
                "scores": decision.scores,
                "flags": [f.to_dict() for f in result.flags],
                "vetoed": [f.to_dict() for f in decision.vetoed],
                "leads": list(leads.values()),
                "near_misses": result.near_misses,
                "penalty_decisions": [d.values() for d in parse_decisions(text)],
                "text": text,
            }
        )
        return
    console.print(
        f"{file}: {len(text)} 字, {len(result.sections)} 篇, {len(result.flags)} 个标记 flags"
        f"（模型 model {model.version}）"
    )
    console.print(
        "各类别概率 scores: " + "，".join(f"{c} {p:.2f}" for c, p in decision.scores.items())
    )
    for flag in result.flags:
        console.rule(f"{flag.rule_id} {flag.category} · {flag.score:.2f}")
        console.print(f"[bold]{safe(flag.title)}[/]")
        console.print(
            f"单位 organization: {safe(flag.organization or '—')}  "
            f"被监督行政机关 agency: {safe(flag.agency or '—')}  "
            f"地区 region: {safe(flag.region_name or '—')} ({flag.region_adcode})"
        )
        console.print(
            "特征 features: " + "，".join(f"{f['name']} {f['weight']:+.2f}" for f in flag.features)
        )
        for ev in flag.evidence:
            console.print(
                f"  · {ev.start}-{ev.end} 「{safe(ev.quote)}」 ← {', '.join(ev.features)}"
            )
    for flag in decision.vetoed:
        console.print(
            f"未采纳 vetoed: {flag.rule_id} fired, but the model scores it {flag.score:.2f}"
        )


def classify(
    in_file: Annotated[Path, typer.Option("--in", help="JSON lines: {id, title, text}.")],
    out_file: Annotated[Path, typer.Option("--out", help="JSON lines: {id, labels, scores}.")],
) -> None:
    """Decide each input document as the night would: ``labels`` are the categories it
    would be flagged for, ``scores`` the calibrated probability per category."""
    from clue_miner.nlp.classify.corpus import CorpusError, read_jsonl
    from clue_miner.nlp.classify.decision import DocumentInput, decide
    from clue_miner.nlp.classify.model import load_or_train

    if not in_file.is_file():
        fail(f"{in_file}: no such file")
    try:
        docs = read_jsonl(in_file)
    except CorpusError as exc:
        fail(f"not a JSON object with id and text: {exc}")
        return
    model = load_or_train()
    decisions = decide(model, [DocumentInput(d.content) for d in docs])
    for doc, decision in zip(docs, decisions, strict=True):
        if decision.analysis.truncated_at:
            err_console.print(
                f"{doc.id}: 文本过长，只分析了前 {decision.analysis.truncated_at} 字 "
                "(the rest was not read)"
            )
    with out_file.open("w", encoding="utf-8") as out:
        for doc, decision in zip(docs, decisions, strict=True):
            row = {"id": doc.id, "labels": decision.labels, "scores": decision.scores}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    console.print(f"{len(docs)} 篇已分类 classified with model {model.version} → {out_file}")


def train(
    with_decisions: Annotated[
        bool,
        typer.Option(
            "--with-decisions",
            help="Add analysts' accepted and dismissed leads as labelled examples; keep the "
            "active model if the new one measures worse on the held-out evaluation set.",
        ),
    ] = False,
) -> None:
    """Train the classifiers on the bundled corpus, print cross-validated metrics, activate."""
    from clue_miner.nlp.classify.model import save
    from clue_miner.nlp.classify.model import train as train_model

    if with_decisions:
        _train_with_decisions()
        return

    with console.status("训练中 training…"):
        model = train_model()
        folder = save(model)
    table = Table(title="5-fold cross-validation on the training corpus")
    for column in ("category", "signal", "precision", "recall", "F1", "Brier"):
        table.add_column(column)
    for category, m in model.metrics.items():
        for name in ("rules_only", "text_model_cv", "combined_cv"):
            row = m[name]
            table.add_row(
                category,
                name,
                f"{row['precision']:.3f}",
                f"{row['recall']:.3f}",
                f"{row['f1']:.3f}",
                f"{row['brier']:.3f}",
            )
    console.print(table)
    for category, weights in model.weights().items():
        console.print(
            f"{category} weights (log-odds): "
            + ", ".join(f"{name} {value:+.2f}" for name, value in weights.items())
        )
    console.print(f"模型 model {model.version} → {folder} (active)")


def _train_with_decisions() -> None:
    from clue_miner.db import init_db, session_scope
    from clue_miner.triage.learning import retrain_with_decisions

    init_db()
    status = console.status("训练中 training on the corpus and the analysts' decisions…")
    with status, session_scope() as session:
        result = retrain_with_decisions(session)
    console.print(f"研判样本 examples from decisions: {result.examples}")
    console.print(
        f"新模型 candidate {result.candidate.version}: macro-F1 {result.candidate_macro_f1:.3f}"
        " on the held-out evaluation set"
    )
    if result.active_version:
        console.print(
            f"现用模型 active {result.active_version}: macro-F1 {result.active_macro_f1:.3f}"
        )
    if result.activated:
        console.print(f"已启用新模型 activated {result.candidate.version}")
    else:
        console.print(
            "[bold]新模型较差，未替换现用模型[/] the candidate measures worse: "
            f"{result.active_version} stays active (the candidate is kept, inactive)"
        )


def evaluate(
    in_file: Annotated[
        Path,
        typer.Option(
            "--in", help="Labelled JSON lines {id, text, labels}, or a folder of such files."
        ),
    ],
    baseline: Annotated[
        bool, typer.Option(help="Also score the plain keyword baseline on the same documents.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Precision, recall and F1 per category, macro-F1, confusion matrices and a reliability
    table of the night's decision on labelled documents (documents labelled with neither
    category count as negatives), beside a keyword baseline."""
    from clue_miner.nlp.classify.evaluate import evaluate_documents
    from clue_miner.nlp.classify.model import load_or_train

    docs = _labelled(in_file)
    model = load_or_train()
    report = evaluate_documents(model, docs, with_baseline=baseline)
    if as_json:
        print_json(report)
        return
    table = Table(title=f"{in_file.name}: {len(docs)} documents, model {model.version}")
    for column in ("category", "system", "precision", "recall", "F1", "TP", "FP", "FN", "TN"):
        table.add_column(column)
    for system, per_category in report["systems"].items():
        for category, m in per_category["categories"].items():
            table.add_row(
                category,
                system,
                f"{m['precision']:.3f}",
                f"{m['recall']:.3f}",
                f"{m['f1']:.3f}",
                *(str(m[k]) for k in ("tp", "fp", "fn", "tn")),
            )
        table.add_row("macro-F1", system, "", "", f"{per_category['macro_f1']:.3f}", "", "", "", "")
    console.print(table)
    matrix = report["systems"]["model"]["confusion"]
    console.print("confusion (true → predicted): " + json.dumps(matrix, ensure_ascii=False))
    calibration = Table(title="reliability: score bins against the share of true cases")
    for column in ("category", "bin", "documents", "mean score", "observed"):
        calibration.add_column(column)
    for category, figures in report["calibration"].items():
        for row in figures["bins"]:
            calibration.add_row(
                category,
                row["range"],
                str(row["documents"]),
                "—" if row["mean_score"] is None else f"{row['mean_score']:.3f}",
                "—" if row["observed"] is None else f"{row['observed']:.3f}",
            )
        calibration.add_row(category, "Brier", "", f"{figures['brier']:.4f}", "")
    console.print(calibration)


corpus_app = typer.Typer(
    help="The labelled corpora the classifiers learn from and are measured on."
)


@corpus_app.command("real")
def corpus_real(
    texts: Annotated[
        Path,
        typer.Option(
            "--texts",
            help="Rebuilt texts, one JSON line per document with its url or id and its text "
            "(made in a scratch folder outside the repository).",
        ),
    ],
    out_file: Annotated[Path, typer.Option("--out", help="Labelled JSON lines to write.")],
    index: Annotated[
        Path | None, typer.Option(help="The index of real documents (default: the bundled one).")
    ] = None,
) -> None:
    """Turn rebuilt texts of the real documents' index into a labelled evaluation file for
    ``clues evaluate --in``."""
    from clue_miner.nlp.classify.corpus import CorpusError
    from clue_miner.nlp.classify.real_documents import (
        REAL_INDEX,
        labelled_from_rebuilt,
        read_index,
    )

    if not texts.is_file():
        fail(f"{texts}: no such file")
    try:
        entries = read_index(index or REAL_INDEX)
        rebuilt = labelled_from_rebuilt(texts, entries)
    except (CorpusError, OSError) as exc:
        fail(str(exc))
        return
    with out_file.open("w", encoding="utf-8") as out:
        for row in rebuilt.documents:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    console.print(
        f"{len(rebuilt.documents)} 篇真实文书 real documents of {len(entries)} → {out_file}"
    )
    if rebuilt.missing:
        err_console.print(
            f"{len(rebuilt.missing)} 篇缺少正文 without a rebuilt text: "
            + ", ".join(rebuilt.missing[:20])
            + (" …" if len(rebuilt.missing) > 20 else "")
        )


def calibrate(
    in_file: Annotated[
        Path | None,
        typer.Option(
            "--in",
            help="Labelled JSON lines {id, text, labels} (or a folder of them) from the "
            "documents the night meets, e.g. rebuilt real documents (clues corpus real).",
        ),
    ] = None,
    with_decisions: Annotated[
        bool,
        typer.Option(
            "--with-decisions", help="Also use the analysts' accepted and dismissed leads."
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Where to write the calibration (default: the models folder)."),
    ] = None,
) -> None:
    """Recalibrate the decision to labelled documents of the target domain: per category a
    Platt scaling of its log-odds, kept only where cross-validation shows it helps. The
    active model gets it as a new version; models trained later start from it."""
    from clue_miner.nlp.classify.corpus import CATEGORIES
    from clue_miner.nlp.classify.decision import DocumentInput, decide
    from clue_miner.nlp.classify.domain_calibration import (
        DomainCalibration,
        fit_domain_calibration,
        own_calibration_path,
    )
    from clue_miner.nlp.classify.model import THRESHOLD, load_or_train, save

    docs: list[LabelledDoc] = _labelled(in_file) if in_file is not None else []
    sources = [str(in_file)] if in_file is not None else []
    if with_decisions:
        from clue_miner.db import init_db, session_scope
        from clue_miner.triage.learning import decision_examples

        init_db()
        with session_scope() as session:
            decided = decision_examples(session)
        docs += decided
        sources.append(f"{len(decided)} 条研判 analysts' decisions")
    if not docs and with_decisions:
        fail("还没有研判记录: no accepted or dismissed leads to calibrate on yet; give --in FILE")
    if not docs:
        fail("nothing to calibrate on: give --in FILE and/or --with-decisions")
    model = load_or_train()
    uncalibrated = model.with_domain(DomainCalibration())
    with console.status(f"判定 {len(docs)} 篇 deciding {len(docs)} documents…"):
        decisions = decide(uncalibrated, [DocumentInput(d.content) for d in docs])
    calibration = fit_domain_calibration(
        {c: [d.scores[c] for d in decisions] for c in CATEGORIES},
        {c: [int(c in doc.labels) for doc in docs] for c in CATEGORIES},
        THRESHOLD,
        fitted_on=" + ".join(sources),
    )
    table = Table(title=f"领域校准 domain calibration on {len(docs)} documents")
    for column in ("category", "scaling", "kept", "before P/R/F1", "cross-validated P/R/F1"):
        table.add_column(column)
    for category in CATEGORIES:
        report, scaling = calibration.report[category], calibration.scaling(category)
        before, after = report["uncalibrated"], report.get("cross_validated")
        table.add_row(
            category,
            f"{scaling.slope:.2f}·z{scaling.intercept:+.2f}",
            "是 yes" if report["kept"] else "否 no" if after else f"否 no ({report['reason']})",
            _prf(before),
            _prf(after) if after else "—",
        )
    console.print(table)
    target = out or own_calibration_path()
    target.write_text(calibration.to_yaml(), encoding="utf-8")
    folder = save(model.with_domain(calibration))
    console.print(f"已写入 written {target}; 已启用 activated model {folder.name}")


def _labelled(path: Path) -> list[LabelledDoc]:
    """The labelled documents of a JSON-lines file or a folder of them; exits if none."""
    from clue_miner.nlp.classify.corpus import CorpusError, load_corpus, read_jsonl

    docs: list[LabelledDoc] = []
    try:
        docs = load_corpus(path) if path.is_dir() else read_jsonl(path) if path.is_file() else []
    except CorpusError as exc:
        fail(str(exc))
    if not docs:
        fail(f"{path}: no labelled documents")
    return docs


def _prf(m: dict[str, Any]) -> str:
    return f"{m['precision']:.3f}/{m['recall']:.3f}/{m['f1']:.3f} Brier {m['brier']:.4f}"


def register(app: typer.Typer) -> None:
    app.command()(analyze)
    app.command()(classify)
    app.command()(train)
    app.command()(evaluate)
    app.command()(calibrate)
    app.add_typer(corpus_app, name="corpus")
