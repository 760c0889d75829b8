"""A hand-made bundle of edge cases the tiny example leaves out (rows as read from a bundle).

Each dossier's comment says what it probes. Times are exchange time stamps; `Z` ones cross
midnight in Vietnam time on purpose.
"""

PROVINCE = "42"
AS_OF = "2024-01-15T10:00:00+07:00"

UNITS = [
    {"code": "T.ROOT", "name": "UBND tỉnh", "kind": "people_committee", "level": "province", "parent": ""},
    {"code": "T.S1", "name": "Sở A", "kind": "department", "level": "province", "parent": "T.ROOT"},
    {"code": "T.S2", "name": "Sở B", "kind": "department", "level": "province", "parent": "T.ROOT"},
    {
        "code": "T.H1",
        "name": "UBND huyện A",
        "kind": "people_committee",
        "level": "district",
        "parent": "T.ROOT",
    },
    {"code": "T.X1", "name": "UBND xã A", "kind": "people_committee", "level": "commune", "parent": "T.H1"},
    {"code": "T.X2", "name": "UBND xã B", "kind": "people_committee", "level": "commune", "parent": "T.H1"},
]


def _procedure(code, **flags):
    row = {
        "code": code,
        "name": f"Thủ tục {code}",
        "field": "Thử",
        "duration_days": "0",
        "day_kind": "working",
        "fee": "0",
        "online_level": "none",
        "full_online_eligible": "0",
        "online_payment": "0",
        "public_national": "0",
        "paper_result": "1",
        "internal": "0",
        "published": "1",
        "announced_on": "",
        "effective_on": "",
        "public_on": "",
    }
    row.update({k: str(v) for k, v in flags.items()})
    return row


PROCEDURES = [
    # announced on the last day of 2023 (in 2023, in Q4, in 2023-12); effective after Tết 2024.
    _procedure(
        "E.1",
        duration_days=1,
        online_level="full",
        full_online_eligible=1,
        fee=50000,
        online_payment=1,
        public_national=1,
        announced_on="2023-12-31",
        effective_on="2024-01-08",
        public_on="2024-01-05",
    ),
    # announced on the first day of 2024 (not in 2023); 5 working days before 2024-01-08 is 2023-12-29.
    _procedure(
        "E.2",
        duration_days=2,
        online_level="full",
        full_online_eligible=1,
        announced_on="2024-01-01",
        effective_on="2024-01-08",
        public_on="2024-01-09",
    ),
    # quarter edge: announced 2023-03-31 (Q1), effective 2023-04-07: 5 wd before = 2023-03-31 (on time).
    _procedure(
        "E.3",
        duration_days=3,
        day_kind="calendar",
        online_level="partial",
        fee=20000,
        announced_on="2023-03-31",
        effective_on="2023-04-07",
        public_on="2023-04-10",
    ),
    # announced 2023-04-01 (Q2, a Saturday), effective 2023-04-07: 5 wd before = 2023-03-31 (late).
    _procedure(
        "E.4",
        duration_days=5,
        fee=10000,
        online_payment=1,
        paper_result=0,
        announced_on="2023-04-01",
        effective_on="2023-04-07",
    ),
    # day_kind empty (working days), no dates at all.
    _procedure("E.5", duration_days=0, day_kind="", online_level="full", public_national=1, paper_result=1),
    _procedure("E.6", duration_days=10, full_online_eligible=1, fee=0, public_national=1),
    _procedure("E.I1", internal=1, published=0, announced_on="2023-06-01", effective_on="2023-06-02"),
]


def _dossier(code, procedure, unit, received_at, **fields):
    record = {
        "code": code,
        "procedure": procedure,
        "unit": unit,
        "channel": "counter",
        "applicant": {"kind": "person", "id": "0420000", "vneid": False},
        "received_at": received_at,
        "due_at": None,
        "finished_at": None,
        "returned_at": None,
        "outcome": None,
        "supplements": [],
        "documents": [],
        "result": None,
        "payments": [],
        "rating": None,
        "complaint": False,
    }
    record.update(fields)
    return record


def _doc(source, available=False, digitized=True):
    return {"component": "Giấy tờ", "source": source, "available": available, "digitized": digitized}


def _pay(amount, online, paid_at):
    return {"amount": amount, "online": online, "paid_at": paid_at}


_SUPPLEMENT = {"requested_at": "2023-05-02T09:00:00+07:00", "received_at": "2023-05-03T09:00:00+07:00"}

DOSSIERS = [
    # 2023-01-01 00:00 Vietnam time written in UTC: in 2023, Q1, January; not in 2022.
    _dossier(
        "G1",
        "E.5",
        "T.X1",
        "2022-12-31T17:00:00Z",
        channel="online",
        finished_at="2023-01-03T08:00:00+07:00",
        outcome="approved",
        result={"electronic": True, "digitized": True, "to_store": True},
        rating="satisfied",
    ),
    # 2022-12-31 23:59:59 Vietnam time: in 2022; open across the year, due 2023-01-03 (given).
    _dossier(
        "G2",
        "E.6",
        "T.X1",
        "2022-12-31T16:59:59Z",
        due_at="2023-01-03T17:00:00+07:00",
        finished_at="2023-02-01T08:00:00+07:00",
        outcome="approved",
        documents=[_doc("paper", True)],
        result={"electronic": False, "digitized": True, "to_store": False},
    ),
    # the last second of 2023; finished the first second of 2024 (open at c(2023)).
    _dossier(
        "G3",
        "E.1",
        "T.H1",
        "2023-12-31T23:59:59+07:00",
        channel="online",
        finished_at="2024-01-01T00:00:00+07:00",
        outcome="approved",
        payments=[_pay(50000, True, "2023-12-31T23:59:59+07:00")],
    ),
    # quarter and month edge: received the last second of Q1, finished the first second of Q2.
    _dossier(
        "G4",
        "E.3",
        "T.S1",
        "2023-03-31T23:59:59+07:00",
        finished_at="2023-04-01T00:00:00+07:00",
        outcome="approved",
        documents=[_doc("store", True), _doc("upload", False, False)],
        result={"electronic": True, "digitized": False, "to_store": False},
        payments=[_pay(20000, False, "2023-04-01T00:00:00+07:00")],
    ),
    # the first instant of Q3, written in UTC.
    _dossier(
        "G5",
        "E.6",
        "T.S2",
        "2023-06-30T17:00:00Z",
        finished_at="2023-07-20T09:00:00+07:00",
        outcome="rejected",
        rating="dissatisfied",
        complaint=True,
        synced=False,
    ),
    # UTC stamps crossing midnight: received 05-16 01:30, due 05-17 (1 wd); finished 05-18 00:30: late.
    _dossier(
        "G6",
        "E.1",
        "T.X2",
        "2023-05-15T18:30:00Z",
        channel="online",
        finished_at="2023-05-17T17:30:00Z",
        outcome="approved",
        payments=[_pay(50000, True, "2023-05-15T18:40:00Z")],
        documents=[_doc("national_db", True)],
        applicant={"kind": "person", "id": "1", "vneid": True},
    ),
    # withdrawn: with everything a count could pick up, counted nowhere.
    _dossier(
        "G7",
        "E.1",
        "T.X2",
        "2023-05-10T09:00:00+07:00",
        channel="online",
        outcome="withdrawn",
        payments=[_pay(50000, True, "2023-05-10T09:10:00+07:00")],
        rating="very_satisfied",
        complaint=True,
        documents=[_doc("store", True)],
    ),
    # open, given due 2023-02-10: late in every period from February on.
    _dossier("G8", "E.6", "T.S1", "2023-02-01T08:00:00+07:00", due_at="2023-02-10T17:00:00+07:00"),
    # received on Saturday 29/04/2023 (the 30/4–1/5 holidays run to 03/05): receipt day 04/05, 2 wd → 08/05.
    _dossier(
        "G9",
        "E.2",
        "T.H1",
        "2023-04-29T10:00:00+07:00",
        finished_at="2023-05-08T16:00:00+07:00",
        outcome="approved",
        result={"electronic": True, "digitized": True, "to_store": False},
    ),
    # exactly 17:00:00 on Friday 01/09/2023, itself a holiday: receipt day 05/09, N = 0 → due 05/09.
    _dossier(
        "G10",
        "E.5",
        "T.X1",
        "2023-09-01T17:00:00+07:00",
        finished_at="2023-09-05T10:00:00+07:00",
        outcome="approved",
        applicant=None,
    ),
    # 17:00:01 on Thursday 31/08/2023: next day is a holiday → receipt day 05/09; 1 wd → due 06/09.
    _dossier(
        "G11",
        "E.1",
        "T.X1",
        "2023-08-31T17:00:01+07:00",
        finished_at="2023-09-06T18:00:00+07:00",
        outcome="stopped",
    ),
    # 16:59:59 on Thursday 31/08/2023: receipt day 31/08; N = 0 → due 31/08; finished that evening: on time.
    _dossier(
        "G12",
        "E.5",
        "T.X2",
        "2023-08-31T16:59:59+07:00",
        finished_at="2023-08-31T20:00:00+07:00",
        outcome="approved",
        rating="very_satisfied",
    ),
    # calendar days from Tết: received 21/01/2023 + 3 days = 24/01 (Tết) → next working day 27/01.
    _dossier(
        "G13",
        "E.3",
        "T.H1",
        "2023-01-21T09:00:00+07:00",
        finished_at="2023-01-27T16:00:00+07:00",
        outcome="approved",
        payments=[_pay(0, True, "2023-01-21T09:05:00+07:00")],
    ),
    # two supplements, finished on time: on time for the plan, late for qd766.
    _dossier(
        "G14",
        "E.6",
        "T.S2",
        "2023-05-02T08:00:00+07:00",
        due_at="2023-05-31T17:00:00+07:00",
        finished_at="2023-05-30T10:00:00+07:00",
        outcome="approved",
        supplements=[_SUPPLEMENT, _SUPPLEMENT],
        rating="satisfied",
    ),
    # a zero-amount online payment only: not a paying dossier; a real one paid online in February 2024.
    _dossier(
        "G15",
        "E.4",
        "T.X2",
        "2023-11-20T09:00:00+07:00",
        finished_at="2023-11-22T09:00:00+07:00",
        outcome="approved",
        payments=[_pay(0, True, "2023-11-20T09:01:00+07:00")],
    ),
    _dossier(
        "G16",
        "E.4",
        "T.X2",
        "2023-11-21T09:00:00+07:00",
        payments=[_pay(10000, True, "2024-02-01T09:00:00+07:00")],
        documents=[_doc("upload", False, True)],
    ),
    # an organisation's dossier and one received before 2023 that stops in March.
    _dossier(
        "G17",
        "E.6",
        "T.H1",
        "2023-07-03T09:00:00+07:00",
        channel="postal",
        applicant={"kind": "organization", "id": "3000", "vneid": True},
        complaint=True,
    ),
    _dossier(
        "G18",
        "E.6",
        "T.H1",
        "2022-11-01T09:00:00+07:00",
        due_at="2022-11-30T17:00:00+07:00",
        finished_at="2023-03-15T09:00:00+07:00",
        outcome="stopped",
        rating="neutral",
    ),
    # open in January 2024, due 10/01: on time when D ≤ 10/01, late from 11/01.
    _dossier(
        "G19",
        "E.1",
        "T.S2",
        "2023-12-28T09:00:00+07:00",
        due_at="2024-01-10T17:00:00+07:00",
        channel="online",
        documents=[_doc("store", True, True), _doc("national_db", True, True)],
    ),
    # a dossier not yet received (submitted online, waiting): in no population.
    _dossier("G20", "E.1", "T.S2", None, channel="online"),
]

# (period, as_of) pairs the engine and the reference must agree on.
CASES = [
    ("2023", AS_OF),
    ("2022", AS_OF),
    ("2023-Q1", AS_OF),
    ("2023-Q2", AS_OF),
    ("2023-Q3", AS_OF),
    ("2023-Q4", AS_OF),
    ("2023-01", AS_OF),
    ("2023-03", AS_OF),
    ("2023-04", AS_OF),
    ("2023-05", AS_OF),
    ("2023-09", AS_OF),
    ("2023-12", AS_OF),
    ("2024-01", AS_OF),
    ("2024-02", "2024-03-01T00:00:00+07:00"),
    # as_of inside the period
    ("2023", "2023-05-17T12:00:00+07:00"),
    ("2023-Q2", "2023-05-17T12:00:00+07:00"),
    ("2023-05", "2023-05-17T12:00:00+07:00"),
    ("2023-09", "2023-09-05T09:30:00+07:00"),
    # the last instant before midnight, midnight itself, and one second later
    ("2024-01", "2024-01-10T23:59:59+07:00"),
    ("2024-01", "2024-01-11T00:00:00+07:00"),
    ("2024-01", "2024-01-11T00:00:01+07:00"),
    ("2024", "2024-01-11T00:00:01+07:00"),
]
