"""The benchmark's table, and each target with the figure that meets it or not."""

from __future__ import annotations

import statistics
from typing import Any

from bench.endpoints import (
    BARE,
    CSV,
    CSV_BIG,
    FLAT_PAIRS,
    PAGES,
    PROGRESS,
    QUESTION,
    START_BIG,
    START_SMALL,
    STARTERS,
    SUBMIT,
)

#: Requests/s of each endpoint ÷ the bare endpoint's, same data set, same round.
RATIO_TARGETS = {QUESTION: 0.45, SUBMIT: 0.20, PROGRESS: 0.50}
SAME_COST = 0.95  # large ÷ small, and 100,000 attempts ÷ 100
TAIL = 2.0  # p99 ÷ p50 for pages
MANY_CLIENTS = 0.9  # throughput with many clients ÷ with 8
BURST_P99_MS = 1000.0
LOAD_RATIO = 1.5
LABELS = {
    BARE: "bare",
    QUESTION: "question page",
    SUBMIT: "answer submit",
    PROGRESS: "progress page",
    **{name: page.label for name, page in PAGES.items()},
    "ceiling-question": "question page, from memory",
    "ceiling-progress": "progress page, from memory",
    "ceiling-gradebook": "gradebook, class of 50, from memory",
    "ceiling-gradebook-csv": "gradebook CSV, class of 50, from memory",
    "ceiling-analysis": "item analysis, assignment, from memory",
    "ceiling-class-analysis": "item analysis, class of 50, from memory",
    "ceiling-history": "a learner's history, from memory",
}
#: A teacher's page of a class of 50 ÷ bare, and the big class's per learner shown ÷ 50's.
TEACHER_SHARE = 0.10
FLAT_PER_LEARNER = 0.9
#: The big class's CSV (10 times the rows on large) may take at most this many times
#: the memory of a class of 50's: streamed, not held.
CSV_MEMORY = 2.0
#: The progress page with 5,000 review cards ÷ without any.
CARDS_SAME = 0.9
#: An assignment start on the big pool costs at most this many times one on 50 questions.
START_POOL = 1.2


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return (
            "| "
            + " | ".join(
                cell.rjust(w) if i in right else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = (
        "| "
        + " | ".join(("-" * (w - 1) + ":") if i in right else "-" * w for i, w in enumerate(widths))
        + " |"
    )
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _paired(a: Any, b: Any) -> float | None:
    """Median over rounds of a's requests/s ÷ b's, each round paired with its own."""
    pairs = [x.rps / y.rps for x, y in zip(a.rounds, b.rounds, strict=False) if y.rps]
    return statistics.median(pairs) if pairs else None


def _cpu_ratio(figure: Any, baseline: Any) -> str:
    """Return baseline's CPU per request ÷ figure's: the ratio without other programs' load."""
    if figure is None or baseline is None or not figure.cpu or not baseline.cpu:
        return "–"
    return f"{statistics.median(baseline.cpu) / statistics.median(figure.cpu):.2f}"


def _mark(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def school_targets(
    figures: list[Any], by_key: dict, clients: int, context: dict[str, Any]
) -> list[list[str]]:
    """The targets of the school's rows: teachers' pages, review cards, starting."""
    targets = []
    for f in figures:
        page = PAGES.get(f.job.endpoint)
        if page and page.account.startswith("teacher") and f.job.endpoint not in dict(FLAT_PAIRS):
            bare = by_key.get((f.job.size, "", BARE, clients))
            targets.append(
                [
                    f"{page.label} ÷ bare ({f.job.size})",
                    f"≥ {TEACHER_SHARE:.2f}",
                    f"{f.ratio:.2f} (by CPU {_cpu_ratio(f, bare)})",
                    _mark(f.ratio >= TEACHER_SHARE),
                ]
            )
    for size, shape in context.get("school", {}).items():
        for big, small in FLAT_PAIRS:
            more = by_key.get((size, PAGES[big].account, big, clients))
            less = by_key.get((size, PAGES[small].account, small, clients))
            if more and less and (value := _paired(more, less)) is not None:
                shown = shape.get("shown", {})
                many, few = shown.get(big, shape["big"]), shown.get(small, shape["class"])
                per = value * many / few
                targets.append(
                    [
                        f"{PAGES[big].label} ({many} shown) ÷ class of {shape['class']} "
                        f"({few} shown), per learner shown ({size})",
                        f"≥ {FLAT_PER_LEARNER}",
                        f"{per:.2f}",
                        _mark(per >= FLAT_PER_LEARNER),
                    ]
                )
        more = by_key.get((size, "heavy", PROGRESS, clients))
        less = by_key.get((size, "learner-02", PROGRESS, clients))
        if more and less and (value := _paired(more, less)) is not None:
            targets.append(
                [
                    f"progress page: 5,000 review cards ÷ none ({size})",
                    f"≥ {CARDS_SAME}",
                    f"{value:.2f} (by CPU {_cpu_ratio(more, less)})",
                    _mark(value >= CARDS_SAME),
                ]
            )
        more = by_key.get((size, STARTERS, START_BIG, clients))
        less = by_key.get((size, STARTERS, START_SMALL, clients))
        if more and less and (value := _paired(less, more)) is not None:
            targets.append(
                [
                    f"assignment start: pool of {shape['pool']:,} ÷ pool of 50, cost ({size})",
                    f"≤ {START_POOL}",
                    f"{value:.2f} (by CPU {_cpu_ratio(less, more)})",
                    _mark(value <= START_POOL),
                ]
            )
    return targets


def class_table(classes: list[Any]) -> str:
    """The class at once, one row a database: the same run on SQLite and PostgreSQL."""
    rows = [
        [
            room.database,
            room.size,
            str(room.workers),
            str(room.learners),
            f"{room.requests:,}",
            str(room.errors),
            f"{room.seconds:.1f}",
            f"{room.rps:,.0f}",
            f"{room.ratio:.2f}",
            f"{room.bare_rps:,.0f}",
            f"{room.p50_ms:,.0f}",
            f"{room.p99_ms:,.0f}",
            *(
                f"{room.step_p50_ms[step]:,.0f}/{room.step_p99_ms[step]:,.0f}"
                for step in room.step_p50_ms
            ),
            str(room.lost),
        ]
        for room in classes
    ]
    steps = [f"{step} p50/p99" for step in classes[0].step_p50_ms]
    headers = [
        "a class at once",
        "data",
        "workers",
        "learners",
        "requests",
        "errors",
        "s",
        "req/s",
        "÷ bare",
        "bare req/s",
        "p50 ms",
        "p99 ms",
        *steps,
        "lost",
    ]
    return _table(headers, rows, right=set(range(2, len(headers))))


def class_summary(room: Any) -> str:
    """One paragraph of a class at once's figures: speed, each step, what was kept."""
    steps = ", ".join(
        f"{step} {room.step_p50_ms[step]:,.0f}/{room.step_p99_ms[step]:,.0f}"
        for step in room.step_p50_ms
    )
    return (
        f"A class at once ({room.database}, {room.size}, gunicorn {room.workers} workers): "
        f"{room.learners} learners released together, {room.requests:,} requests in "
        f"{room.seconds:.1f} s, {room.rps:,.0f} requests/s = {room.ratio:.2f} of bare "
        f"({room.bare_rps:,.0f}/s on the same server); p50 {room.p50_ms:,.0f} ms, "
        f"p99 {room.p99_ms:,.0f} ms, max {room.max_ms:,.0f} ms; p50/p99 by step (ms): "
        f"{steps}; {room.errors} errors; kept {room.answers:,} of "
        f"{room.learners * 10:,} answers and {room.finished} of {room.learners} finished tests."
    )


def render(
    figures: list[Any],
    *,
    bank_load: dict[str, float] | None,
    exam: Any,
    csv_memory: dict[str, dict[str, dict[str, float]]] | None = None,
    exam_size: str | None,
    context: dict[str, Any],
    many: int,
    clients: int,
    classes: list[Any] = (),
) -> str:
    by_key = {(f.job.size, f.job.learner, f.job.endpoint, f.job.clients): f for f in figures}
    rows = []
    for f in figures:
        if f.skipped:
            learner = f.job.learner or "–"
            dashes = ["–"] * 8
            rows.append([LABELS[f.job.endpoint], f.job.size, learner, str(f.job.clients), *dashes])
            rows[-1].append(f.queries)
            continue
        p50, p99 = f.median("p50_ms"), f.median("p99_ms")
        rows.append(
            [
                LABELS[f.job.endpoint],
                f.job.size,
                f.job.learner or "–",
                str(f.clients or f.job.clients),
                f"{f.median('rps'):,.0f}",
                "1.00" if f.job.endpoint == BARE else f"{f.ratio:.2f}",
                f"{p50:.1f}",
                f"{p99:.1f}",
                f"{p99 / p50:.1f}" if p50 else "–",
                str(f.errors),
                f"{1000 * statistics.median(f.cpu):.2f}" if f.cpu else "–",
                _cpu_ratio(f, by_key.get((f.job.size, "", BARE, clients))),
                f.queries,
            ]
        )
    headers = [
        "endpoint",
        "data",
        "learner",
        "clients",
        "req/s",
        "÷ bare",
        "p50 ms",
        "p99 ms",
        "p99/p50",
        "errors",
        "CPU ms/req",
        "CPU ÷ bare",
        "SQL/req",
    ]
    out = [_table(headers, rows, right={3, 4, 5, 6, 7, 8, 9, 10, 11, 12})] if rows else []
    if classes:
        out += ["", class_table(list(classes))] if out else [class_table(list(classes))]

    targets: list[list[str]] = []

    def bare_of(figure: Any) -> Any:
        return by_key.get((figure.job.size, "", BARE, clients))

    for endpoint, target in RATIO_TARGETS.items():
        for f in figures:
            if f.job.endpoint == endpoint and f.job.clients == clients:
                targets.append(
                    [
                        f"{LABELS[endpoint]} ÷ bare ({f.job.size}, {f.job.learner})",
                        f"≥ {target:.2f}",
                        f"{f.ratio:.2f} (by CPU {_cpu_ratio(f, bare_of(f))})",
                        _mark(f.ratio >= target),
                    ]
                )
    # The same page costs the same: on more data, and for a learner with more history.
    comparisons = (
        ("large ÷ small", ("large", "learner-01"), ("small", "learner-01")),
        ("100,000 attempts ÷ 100", ("large", "heavy"), ("large", "learner-01")),
    )
    for label, (size, learner), (base_size, base_learner) in comparisons:
        for endpoint in RATIO_TARGETS:
            more = by_key.get((size, learner, endpoint, clients))
            less = by_key.get((base_size, base_learner, endpoint, clients))
            if more and less and (value := _paired(more, less)) is not None:
                targets.append(
                    [
                        f"{LABELS[endpoint]}: {label}",
                        f"≥ {SAME_COST}",
                        f"{value:.2f} (by CPU {_cpu_ratio(more, less)})",
                        _mark(value >= SAME_COST),
                    ]
                )
    for f in figures:
        if f.job.endpoint in (QUESTION, PROGRESS) and f.job.clients == clients:
            p50, p99 = f.median("p50_ms"), f.median("p99_ms")
            tail = p99 / p50 if p50 else float("inf")
            targets.append(
                [
                    f"{LABELS[f.job.endpoint]} p99 ÷ p50 at {clients} clients "
                    f"({f.job.size}, {f.job.learner})",
                    f"≤ {TAIL:.0f}",
                    f"{tail:.1f}",
                    _mark(tail <= TAIL),
                ]
            )
    for f in figures:
        if f.job.clients == many and f.skipped:
            targets.append(
                [
                    f"{LABELS[f.job.endpoint]} at {many} clients ({f.job.size}, {f.job.learner})",
                    "≥ 0.9, 0 errors",
                    f"not run: {f.skipped}",
                    _mark(False),
                ]
            )
        elif f.job.clients == many:
            base = by_key.get((f.job.size, f.job.learner, f.job.endpoint, clients))
            value = _paired(f, base) if base else None
            if value is not None:
                ok = value >= MANY_CLIENTS and f.errors == 0
                targets.append(
                    [
                        f"{LABELS[f.job.endpoint]} at {many} clients ÷ {clients} "
                        f"({f.job.size}, {f.job.learner})",
                        f"≥ {MANY_CLIENTS}, 0 errors",
                        f"{value:.2f}, {f.errors} errors",
                        _mark(ok),
                    ]
                )
    if exam is not None:
        ok = exam.p99_ms <= BURST_P99_MS and exam.errors == 0
        targets.append(
            [
                f"exam burst: {exam.learners:,} learners in {exam.window:.0f} s ({exam_size})",
                "p99 ≤ 1 s, 0 errors",
                f"p99 {exam.p99_ms:,.0f} ms, {exam.errors} errors",
                _mark(ok),
            ]
        )
    for room in classes:
        targets.append(
            [
                f"a class at once: {room.learners} learners, {room.workers} workers "
                f"({room.database}, {room.size})",
                "0 errors, nothing lost",
                f"{room.errors} errors, {room.lost} lost",
                _mark(room.errors == 0 and room.lost == 0),
            ]
        )
    if bank_load is not None:
        ratio = bank_load["load_s"] / bank_load["parse_s"]
        targets.append(
            [
                "loading the 5,000-question bank ÷ CSafeLoader parse",
                f"≤ {LOAD_RATIO}",
                f"{ratio:.2f} ({bank_load['load_s']:.2f} s ÷ {bank_load['parse_s']:.2f} s)",
                _mark(ratio <= LOAD_RATIO),
            ]
        )
    targets += school_targets(figures, by_key, clients, context)
    for size, peaks in (csv_memory or {}).items():
        small, big = peaks[CSV], peaks[CSV_BIG]
        ratio = big["peak_mb"] / small["peak_mb"]
        targets.append(
            [
                f"gradebook CSV peak memory, {big['learners']:.0f} learners ÷ "
                f"{small['learners']:.0f} ({size})",
                f"≤ {CSV_MEMORY}",
                f"{ratio:.2f} ({big['peak_mb']:.2f} MB ÷ {small['peak_mb']:.2f} MB)",
                _mark(ratio <= CSV_MEMORY),
            ]
        )
    out += ["", _table(["target", "wanted", "measured", ""], targets, right=set())]

    if exam is not None:
        steps = ", ".join(f"{k} {v:,.0f}" for k, v in exam.step_p99_ms.items())
        out += [
            "",
            f"Exam burst ({exam_size}): {exam.requests:,} requests in {exam.seconds:.1f} s, "
            f"p50 {exam.p50_ms:.0f} ms, p99 {exam.p99_ms:,.0f} ms, max {exam.max_ms:,.0f} ms, "
            f"{exam.errors} errors; p99 by step (ms): {steps}.",
        ]
        if exam.error_samples:
            out.append("First errors: " + "; ".join(exam.error_samples))
    for room in classes:
        out += ["", class_summary(room)]
        if room.error_samples:
            out.append("First errors: " + "; ".join(room.error_samples))
    if bank_load is not None:
        out += [
            "",
            f"Bank load ({bank_load['bytes'] / 1e6:.1f} MB, 5,000 questions): CSafeLoader parse "
            f"{bank_load['parse_s']:.2f} s; read and check {bank_load['check_s']:.2f} s; "
            f"read, check and sync into an empty database {bank_load['load_s']:.2f} s; "
            f"again, unchanged {bank_load['reload_s']:.2f} s.",
        ]
    counts = "; ".join(
        f"{size}: {c['banks']} banks, {c['questions']:,} questions, "
        f"{c['finished_attempts']:,} finished attempts, {c['responses']:,} answers"
        for size, c in context["counts"].items()
    )
    # Bare of a class is one wrk run of the same length, on the class's server.
    measured = (
        f"gunicorn {context['workers']} sync workers; wrk 1 thread, "
        f"{context['clients']} connections unless stated; {context['rounds']} interleaved "
        f"rounds of {context['duration_s']:g} s, medians"
        if figures
        else f"the class's bare: wrk 1 thread, {context['clients']} connections, "
        f"{context['duration_s']:g} s"
    )
    out += [
        "",
        f"{context['machine']}; {measured}; load average "
        f"{context['load_average_before']} before, {context['load_average_after']} after; "
        f"{context['minutes']} min.",
        f"Data: {counts}.",
    ]
    return "\n".join(out)
