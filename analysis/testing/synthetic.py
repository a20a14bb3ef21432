"""Cases built in code: from arrays (tests) or at random at a given size (benchmarks)."""

from __future__ import annotations

import numpy as np

from analysis.case import Case, Event, Hypothesis, Item, Prob, Source


def make_case(
    likelihoods,
    credibility=None,
    prior=None,
    sources=None,
    dates=None,
    indicators=None,
    if_unreliable=None,
    name="test-case",
    events=None,
    item_events=None,
    retracted=None,
) -> Case:
    """A case from arrays: ``likelihoods`` (N, K); ``credibility`` per source.

    By default every item has its own source; ``sources`` maps item -> source index.
    ``events`` (E, K) are events' likelihoods; ``item_events`` maps item -> event index
    or None (an item reporting an event takes its likelihoods, its own row is ignored);
    ``retracted`` flags items.
    """
    likelihoods = np.asarray(likelihoods, dtype=float)
    n, k = likelihoods.shape
    ids = [f"h{j}" for j in range(k)]
    hypotheses = tuple(
        Hypothesis(h, f"Hypothesis {j}", prior=None if prior is None else float(prior[j]))
        for j, h in enumerate(ids)
    )
    item_source = list(range(n)) if sources is None else list(sources)
    n_sources = max(item_source, default=-1) + 1
    cred = [1.0] * n_sources if credibility is None else list(credibility)
    source_list = tuple(
        Source(
            f"s{j}",
            f"Source {j}",
            Prob(float(cred[j])) if cred[j] is not None else Prob(1.0, "default"),
        )
        for j in range(n_sources)
    )

    def probs(row) -> dict[str, Prob]:
        return {h: Prob(float(v)) for h, v in zip(ids, row, strict=True)}

    def item(prefix: str, i: int, row, source: int | None, date=None, b=None) -> Item:
        event = None if prefix != "e" or item_events is None else item_events[i]
        return Item(
            id=f"{prefix}{i}",
            claim=f"claim {i}",
            likelihoods=probs(row) if event is None else {},
            source=None if source is None else f"s{source}",
            date=date,
            if_unreliable=b,
            event=None if event is None else f"ev{event}",
            retracted=prefix == "e" and retracted is not None and bool(retracted[i]),
        )

    evidence = tuple(
        item(
            "e",
            i,
            likelihoods[i],
            item_source[i],
            None if dates is None else dates[i],
            None if if_unreliable is None else if_unreliable[i],
        )
        for i in range(n)
    )
    extra = (
        ()
        if indicators is None
        else tuple(
            item("x", j, row, None) for j, row in enumerate(np.asarray(indicators, dtype=float))
        )
    )
    event_list = tuple(
        Event(f"ev{e}", f"event {e}", probs(row))
        for e, row in enumerate(np.asarray([] if events is None else events, dtype=float))
    )
    return Case(
        name, "Test case", "Which?", hypotheses, source_list, evidence, extra, events=event_list
    )


def synthetic_case(
    k: int,
    n: int,
    seed: int = 0,
    n_sources: int | None = None,
    n_indicators: int = 4,
    dated: bool = True,
    reports_per_event: int = 0,
) -> Case:
    """A random, valid case of ``k`` hypotheses and ``n`` items (for benchmarks).

    Items are spread over ``n_sources`` sources (default ``max(2, n // 4)``) with random
    credibilities, dated one per day from 2023-01-01 when ``dated``. With
    ``reports_per_event`` > 0 the items are grouped, in file order, into events of that
    many reports each (the events take the first item's likelihoods of each group).
    """
    import datetime

    rng = np.random.default_rng(seed)
    n_sources = n_sources or max(2, n // 4)
    start = datetime.date(2023, 1, 1)
    likelihoods = rng.uniform(0.02, 0.98, size=(n, k))
    grouped = reports_per_event > 0
    return make_case(
        likelihoods,
        credibility=rng.uniform(0.4, 1.0, size=n_sources),
        sources=rng.integers(0, n_sources, size=n).tolist(),
        dates=[(start + datetime.timedelta(days=i)).isoformat() for i in range(n)]
        if dated
        else None,
        indicators=rng.uniform(0.02, 0.98, size=(n_indicators, k)),
        name=f"synthetic-k{k}-n{n}",
        events=likelihoods[::reports_per_event] if grouped else None,
        item_events=[i // reports_per_event for i in range(n)] if grouped else None,
    )
