"""make bench-nlp: clues classify over 10,000 documents beside bare jieba.lcut.

Documents of realistic length are assembled from the labelled corpus (our own writing)
by joining three documents each. The same script times bare ``jieba.lcut`` over the same
texts and our ``clues classify`` path (the night's full decision: prepare, extractors,
rules, text features, calibrated combiner), both in this process after jieba's dictionary
is loaded. Printed: docs/s, MB/s, the ratio (goal
>= 0.5) and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import time
from itertools import cycle, islice

import jieba

from clue_miner.nlp.classify.corpus import load_corpus
from clue_miner.nlp.classify.decision import DocumentInput, decide
from clue_miner.nlp.classify.model import load_or_train
from clue_miner.nlp.tokenize import words

# Within one call the tokenizer remembers the runs it has segmented (a candidate's evidence
# repeats its document's sentences); 250 texts of three documents are fewer than the
# corpus holds, so no document repeats within a batch to flatter us.
BATCH = 250


def documents(count: int) -> list[str]:
    """``count`` texts of three corpus documents each (about 1,000-1,500 characters)."""
    corpus = [d.content for d in load_corpus()]
    source = cycle(corpus)
    return ["\n\n".join(islice(source, 3)) for _ in range(count)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    args = parser.parse_args()
    model = load_or_train()
    texts = documents(args.documents)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    words("预热")  # load jieba and our dictionary before timing either side

    started = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    bare = time.perf_counter() - started

    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        decide(model, [DocumentInput(t) for t in texts[start : start + BATCH]])
    ours = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(texts)} documents, {megabytes:.1f} MB of UTF-8 text, model {model.version}")
    print(
        f"bare jieba.lcut : {bare:7.1f} s = {len(texts) / bare:7.1f} docs/s, "
        f"{megabytes / bare:.2f} MB/s"
    )
    print(
        f"clues classify  : {ours:7.1f} s = {len(texts) / ours:7.1f} docs/s, "
        f"{megabytes / ours:.2f} MB/s"
    )
    print(f"ratio ours/bare (speed): {bare / ours:.2f} (goal >= 0.5); peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
