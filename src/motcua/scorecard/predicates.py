"""The filter vocabulary of indicator definitions: populations and named predicates.

A filter in a definition file is an expression:

    "channel_online"                                   a named predicate
    {"procedure_announced_on_time": {"working_days": 5}}   a predicate with arguments
    {"all": [expr, …]}   {"any": [expr, …]}   {"not": expr}

Nothing is evaluated as code: every name is looked up here and compiled to a Django `Q`, so the
engine's GROUP BY queries and the drill-down lists read the very same conditions.

Rows come in three kinds: `procedure` (catalog rows), `dossier` (the fact table) and `payment`
(paid payments). A predicate is about a procedure, a dossier or a payment; it applies to every
row kind that reaches its subject (a dossier row reaches its procedure, a payment row its
dossier and procedure).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q

from motcua.catalog.choices import OnlineLevel
from motcua.dossiers.choices import Channel, Outcome, Rating
from motcua.scorecard.periods import Window

PROCEDURE, DOSSIER, PAYMENT = "procedure", "dossier", "payment"
ROW_KINDS = (PROCEDURE, DOSSIER, PAYMENT)

# How each row kind reaches each subject (None: it cannot).
SUBJECT_PATHS: dict[str, dict[str, str | None]] = {
    PROCEDURE: {PROCEDURE: "", DOSSIER: None, PAYMENT: None},
    DOSSIER: {PROCEDURE: "procedure__", DOSSIER: "", PAYMENT: None},
    PAYMENT: {PROCEDURE: "dossier__fact__procedure__", DOSSIER: "dossier__fact__", PAYMENT: ""},
}

# Populations (indicators.md "Common terms") and the kind of row each one counts.
POPULATION_KINDS = {
    "received": DOSSIER,
    "finished": DOSSIER,
    "resolved": DOSSIER,
    "handled": DOSSIER,
    "rated": DOSSIER,
    "payments": PAYMENT,
    "procedures": PROCEDURE,
}
FINAL_OUTCOMES = (Outcome.APPROVED.value, Outcome.REJECTED.value, Outcome.STOPPED.value)
COMBINATORS = ("all", "any", "not")


class ExpressionError(ValueError):
    """A filter expression that cannot be compiled; `path` says where in the expression."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


class Context:
    """What period-dependent predicates need: the window, the working-day calendar, and a cache
    for sets computed once per evaluation (the procedures meeting a working-day rule)."""

    def __init__(self, window: Window, calendar: Any) -> None:
        self.window = window
        self.calendar = calendar
        self.cache: dict[Any, Any] = {}

    def procedures_with_dossiers(self, population: str, where: Any) -> Any:
        """The ids of the procedures with ≥ 1 dossier of `population` meeting `where`, as the value
        of an `__in` lookup: a subquery over the fact table. The scorecard's fast path
        (scorecard.aggregates) answers the same question from its month cells."""
        from motcua.dossiers.models import DossierFact

        facts = DossierFact.objects.filter(population_q(population, self))
        if where is not None:
            facts = facts.filter(compile_expression(where, DOSSIER, self))
        return facts.values("procedure_id")


@dataclass(frozen=True)
class Predicate:
    """A named condition on one subject. `build(ctx, prefix, args)` returns its Q, where `prefix`
    is the lookup path from the row kind to the subject."""

    name: str
    subject: str
    description: str
    build: Callable[[Context, str, dict[str, Any]], Q]
    params: dict[str, str] = field(default_factory=dict)  # argument name → description


PREDICATES: dict[str, Predicate] = {}


def _register(
    name: str, subject: str, description: str, params: dict[str, str] | None = None
) -> Callable[[Callable[[Context, str, dict[str, Any]], Q]], Callable[[Context, str, dict[str, Any]], Q]]:
    def wrap(
        build: Callable[[Context, str, dict[str, Any]], Q],
    ) -> Callable[[Context, str, dict[str, Any]], Q]:
        PREDICATES[name] = Predicate(name, subject, description, build, params or {})
        return build

    return wrap


def _field(name: str, subject: str, description: str, lookup: str, value: Any) -> None:
    """Register a predicate that is one field lookup on its subject."""
    PREDICATES[name] = Predicate(
        name, subject, description, lambda ctx, prefix, args: Q(**{prefix + lookup: value})
    )


# --- procedures (the catalog as it stands now) ------------------------------------------------
_field(
    "procedure_online_full", PROCEDURE, "online_level = full (toàn trình)", "online_level", OnlineLevel.FULL
)
_field(
    "procedure_online_partial",
    PROCEDURE,
    "online_level = partial (một phần)",
    "online_level",
    OnlineLevel.PARTIAL,
)
_field(
    "procedure_online",
    PROCEDURE,
    "online_level full or partial",
    "online_level__in",
    (OnlineLevel.FULL, OnlineLevel.PARTIAL),
)
_field("procedure_full_online_eligible", PROCEDURE, "full_online_eligible = 1", "full_online_eligible", True)
_field("procedure_fee", PROCEDURE, "fee > 0 (a financial obligation)", "fee__gt", 0)
_field("procedure_online_payment", PROCEDURE, "online_payment = 1", "online_payment", True)
_field("procedure_public_national", PROCEDURE, "public_national = 1", "public_national", True)
_field("procedure_paper_result", PROCEDURE, "paper_result = 1", "paper_result", True)
_field("procedure_internal", PROCEDURE, "internal = 1 (TTHC nội bộ)", "internal", True)
_field("procedure_published", PROCEDURE, "published = 1", "published", True)
_field("procedure_effective_on_known", PROCEDURE, "effective_on is given", "effective_on__isnull", False)


@_register("procedure_announced_in_period", PROCEDURE, "announced_on in P and not after D(P)")
def _announced_in_period(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    w = ctx.window
    return Q(**{prefix + "announced_on__gte": w.start_date, prefix + "announced_on__lte": w.last_day})


def _procedures_meeting(ctx: Context, rule: str, working_days: int) -> list[int]:
    """Ids of the procedures meeting a working-day rule; computed in Python (the calendar is not
    SQL) over the procedures that have the dates, once per evaluation."""
    from motcua.catalog.models import Procedure

    key = (rule, working_days)
    if key not in ctx.cache:
        cal = ctx.calendar
        ids = []
        if rule == "announced":
            rows = Procedure.objects.filter(announced_on__isnull=False, effective_on__isnull=False)
            for pk, announced, effective in rows.values_list("pk", "announced_on", "effective_on"):
                if announced <= cal.subtract_working_days(effective, working_days):
                    ids.append(pk)
        else:
            rows = Procedure.objects.filter(announced_on__isnull=False, public_on__isnull=False)
            for pk, announced, public in rows.values_list("pk", "announced_on", "public_on"):
                if public <= cal.add_working_days(announced, working_days):
                    ids.append(pk)
        ctx.cache[key] = ids
    return ctx.cache[key]


@_register(
    "procedure_announced_on_time",
    PROCEDURE,
    "announced_on ≤ the date N working days before effective_on (stepping back one working day "
    "at a time); false without both dates",
    {"working_days": "N, a whole number ≥ 0"},
)
def _announced_on_time(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    return Q(**{prefix + "pk__in": _procedures_meeting(ctx, "announced", args["working_days"])})


@_register(
    "procedure_public_on_time",
    PROCEDURE,
    "public_on ≤ the date N working days after announced_on; false without both dates",
    {"working_days": "N, a whole number ≥ 0"},
)
def _public_on_time(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    return Q(**{prefix + "pk__in": _procedures_meeting(ctx, "public", args["working_days"])})


@_register(
    "procedure_has_dossier",
    PROCEDURE,
    "the procedure has ≥ 1 dossier in `population` (a dossier population) meeting `where`",
    {"population": "a dossier population", "where": "a filter over dossiers (optional)"},
)
def _has_dossier(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    return Q(**{prefix + "pk__in": ctx.procedures_with_dossiers(args["population"], args.get("where"))})


# --- dossiers (the fact table) --------------------------------------------------------------------
for _channel in Channel:
    _field(f"channel_{_channel.value}", DOSSIER, f"channel = {_channel.value}", "channel", _channel.value)
for _outcome in (Outcome.APPROVED, Outcome.REJECTED, Outcome.STOPPED):
    _field(f"outcome_{_outcome.value}", DOSSIER, f"outcome = {_outcome.value}", "outcome", _outcome.value)
_field("rated", DOSSIER, "the dossier has a rating", "rating__isnull", False)
_field(
    "rated_satisfied",
    DOSSIER,
    "rated very_satisfied or satisfied",
    "rating__in",
    (Rating.VERY_SATISFIED, Rating.SATISFIED),
)
_field(
    "result_electronic",
    DOSSIER,
    "result.electronic: an electronic result file is attached",
    "result_electronic",
    True,
)
_field("result_digitized", DOSSIER, "result.digitized", "result_digitized", True)
_field(
    "result_to_store",
    DOSSIER,
    "result.to_store: pushed to the applicant's data store",
    "result_to_store",
    True,
)
_field("synced", DOSSIER, "synchronized to the national portal", "synced", True)
_field("complaint", DOSSIER, "the applicant filed feedback or a complaint about it", "complaint", True)
_field("applicant_person", DOSSIER, "applicant.kind = person", "applicant_kind", "person")
_field("applicant_organization", DOSSIER, "applicant.kind = organization", "applicant_kind", "organization")
_field("applicant_vneid", DOSSIER, "applicant.vneid: authenticated with VNeID", "applicant_vneid", True)
_field("has_documents", DOSSIER, "≥ 1 submitted document", "document_count__gt", 0)
_field(
    "all_documents_digitized",
    DOSSIER,
    "≥ 1 document and every document digitized",
    "all_documents_digitized",
    True,
)
_field(
    "any_document_reused",
    DOSSIER,
    "≥ 1 document of source store or national_db",
    "any_store_or_national",
    True,
)
_field("any_document_from_store", DOSSIER, "≥ 1 document of source store", "any_store", True)
_field("any_document_available", DOSSIER, "≥ 1 document with available", "any_available", True)
_field(
    "available_documents_reused",
    DOSSIER,
    "every document with available has source store or national_db",
    "available_all_reused",
    True,
)
_field("paid_any", DOSSIER, "≥ 1 paid payment of amount > 0, of any date", "any_payment", True)
_field(
    "paid_online", DOSSIER, "≥ 1 paid online payment of amount > 0, of any date", "any_online_payment", True
)


@_register(
    "supplements_more_than",
    DOSSIER,
    "more than `count` supplement requests",
    {"count": "a whole number ≥ 0"},
)
def _supplements_more_than(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    return Q(**{prefix + "supplement_count__gt": args["count"]})


@_register(
    "on_time",
    DOSSIER,
    "finished before c(P): date(finished_at) ≤ date(due_at); still open at c(P): not date(due_at) "
    "< D(P); a dossier without a due date is on time",
)
def _on_time(ctx: Context, prefix: str, args: dict[str, Any]) -> Q:
    w = ctx.window
    finished = Q(**{prefix + "finished_at__lt": w.cutoff})
    still_open = Q(**{prefix + "finished_at__isnull": True}) | Q(**{prefix + "finished_at__gte": w.cutoff})
    return (
        Q(**{prefix + "due_date__isnull": True})
        | (finished & Q(**{prefix + "finished_date__lte": F(prefix + "due_date")}))
        | (still_open & Q(**{prefix + "due_date__gte": w.last_day}))
    )


# --- payments -------------------------------------------------------------------------------------
_field("payment_online", PAYMENT, "paid through an online payment platform", "online", True)


# --- populations ----------------------------------------------------------------------------------
def not_withdrawn(prefix: str = "") -> Q:
    """Withdrawn dossiers are left out of every dossier population."""
    return Q(**{prefix + "outcome__isnull": True}) | Q(**{prefix + "outcome__in": FINAL_OUTCOMES})


def population_q(population: str, ctx: Context, prefix: str = "") -> Q:
    """The rows of `population` in the context's period, as a Q on its row kind (`prefix` leads
    from another model to the fact row for dossier populations)."""
    w = ctx.window
    p = prefix
    if population == "received":
        return Q(**{p + "received_at__gte": w.start, p + "received_at__lt": w.cutoff}) & not_withdrawn(p)
    finished = Q(
        **{
            p + "finished_at__gte": w.start,
            p + "finished_at__lt": w.cutoff,
            p + "outcome__in": FINAL_OUTCOMES,
        }
    )
    if population == "finished":
        return finished
    if population == "resolved":
        return finished & Q(**{p + "outcome": Outcome.APPROVED})
    if population == "rated":
        return finished & Q(**{p + "rating__isnull": False})
    if population == "handled":
        still_open = Q(**{p + "finished_at__isnull": True}) | Q(**{p + "finished_at__gte": w.cutoff})
        return finished | (Q(**{p + "received_at__lt": w.cutoff}) & still_open & not_withdrawn(p))
    if population == "payments":
        from motcua.payments.models import PaymentStatus

        return Q(
            status=PaymentStatus.PAID, amount__gt=0, paid_at__gte=w.start, paid_at__lt=w.cutoff
        ) & not_withdrawn("dossier__fact__")
    if population == "procedures":
        return Q()
    raise ExpressionError(f"unknown population {population!r}")


# --- expressions ------------------------------------------------------------------------------------
def _predicate_call(expr: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(expr, str):
        return expr, {}
    ((name, args),) = expr.items()
    return name, args


def check_expression(expr: Any, kind: str, path: str = "") -> list[ExpressionError]:
    """Every problem of `expr` as a filter over rows of `kind` (empty when it compiles)."""
    here = path or "$"
    if isinstance(expr, str) or (
        isinstance(expr, dict) and len(expr) == 1 and next(iter(expr)) not in COMBINATORS
    ):
        if isinstance(expr, dict) and not isinstance(next(iter(expr.values())), dict):
            return [ExpressionError("the arguments of a predicate are an object", here)]
        name, args = _predicate_call(expr)
        predicate = PREDICATES.get(name)
        if predicate is None:
            return [ExpressionError(f"unknown predicate {name!r}", here)]
        if SUBJECT_PATHS[kind][predicate.subject] is None:
            return [
                ExpressionError(
                    f"predicate {name!r} is about a {predicate.subject}, not usable on {kind} rows", here
                )
            ]
        return _check_args(predicate, args, here)
    if isinstance(expr, dict) and len(expr) == 1:
        ((op, operand),) = expr.items()
        if op == "not":
            return check_expression(operand, kind, f"{here}.not")
        if not isinstance(operand, list) or not operand:
            return [ExpressionError(f"{op!r} takes a non-empty list", here)]
        problems: list[ExpressionError] = []
        for i, item in enumerate(operand):
            problems += check_expression(item, kind, f"{here}.{op}[{i}]")
        return problems
    return [
        ExpressionError(
            "a filter is a predicate name or an object with one key (all, any, not or a predicate)", here
        )
    ]


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_args(predicate: Predicate, args: dict[str, Any], here: str) -> list[ExpressionError]:
    problems = []
    unknown = set(args) - set(predicate.params)
    if unknown:
        problems.append(
            ExpressionError(f"predicate {predicate.name!r} takes no argument {sorted(unknown)[0]!r}", here)
        )
    for name in predicate.params:
        if name == "where":
            if args.get("where") is not None:
                problems += check_expression(args["where"], DOSSIER, f"{here}.{predicate.name}.where")
            continue
        if name not in args:
            problems.append(
                ExpressionError(f"predicate {predicate.name!r} needs the argument {name!r}", here)
            )
        elif name == "population":
            if POPULATION_KINDS.get(args[name]) != DOSSIER:
                problems.append(ExpressionError(f"{args[name]!r} is not a dossier population", here))
        elif not _whole(args[name]):
            problems.append(ExpressionError(f"{name!r} must be a whole number ≥ 0", here))
    return problems


def compile_expression(expr: Any, kind: str, ctx: Context) -> Q:
    """The Q of a checked expression over rows of `kind` (None means every row)."""
    if expr is None:
        return Q()
    if isinstance(expr, dict) and len(expr) == 1:
        ((op, operand),) = expr.items()
        if op == "all":
            q = Q()
            for item in operand:
                q &= compile_expression(item, kind, ctx)
            return q
        if op == "any":
            q = compile_expression(operand[0], kind, ctx)
            for item in operand[1:]:
                q |= compile_expression(item, kind, ctx)
            return q
        if op == "not":
            return ~compile_expression(operand, kind, ctx)
    name, args = _predicate_call(expr)
    predicate = PREDICATES[name]
    prefix = SUBJECT_PATHS[kind][predicate.subject]
    assert prefix is not None, "check_expression rejects predicates a row kind cannot reach"
    return predicate.build(ctx, prefix, args)


def vocabulary() -> list[dict[str, Any]]:
    """The predicates, for documentation: name, subject, description, arguments."""
    return [
        {"name": p.name, "subject": p.subject, "description": p.description, "params": dict(p.params)}
        for p in sorted(PREDICATES.values(), key=lambda p: (p.subject, p.name))
    ]
