"""Uploading the 进销存 records to the insurer (INV-6, SEC-7): never lost, never twice.

Every sale, return, purchase, purchase return, stock change and stock-take writes its
outbox message in the same transaction as the business change. Here the uploader:

1. **takes** new outbox messages into the queue, one queue item per record (``rows``);
2. **sends** pending records in order through the upload gateway (one per call, or the
   province's batch variant), writing every try to the append-only ``upload_log``;
3. on **no answer** (link down, timeout, HTTP error, malformed answer) stops the pass;
   the worker tries again with back-off, and the records stay pending across restarts
   and days offline;
4. on a **refusal** (a required field missing, a conflicting record) parks the record as
   refused, shown on the status screen with the insurer's message, and goes on with the
   next one: one bad record must not stop the store's uploads (SEC-7).

The insurer keys its book by ``fixmedins_bchno`` + data type, and an identical record sent
again is ignored there, so a record whose answer was lost (or whose success was not yet
committed here when the process died) is simply sent again. A manager **corrects** a
refused record (fields refreshed from the catalogue, or typed) or an accepted one (3507
delete, then the corrected record): corrections are new outbox messages linked to the
one they correct; nothing written is ever changed.

Only one terminal of a store uploads at a time (a lease that runs out is taken over).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pharmacy_pos.db.models import OutboxMessage, UploadQueueItem
from pharmacy_pos.db.uow import UnitOfWork
from pharmacy_pos.db.upload_repository import UploadRepository
from pharmacy_pos.domain.clock import Clock
from pharmacy_pos.domain.errors import DomainError, NotFound
from pharmacy_pos.domain.roles import Permission
from pharmacy_pos.domain.uploads import DATA_TYPES, upload_rows
from pharmacy_pos.insurance.ports import InsurerUnavailable, UploadGateway
from pharmacy_pos.insurance.protocol import Exchange, Profile
from pharmacy_pos.services import audit
from pharmacy_pos.services.actor import Actor

log = logging.getLogger(__name__)

PENDING, DONE, REFUSED, SUPERSEDED = "pending", "done", "refused", "superseded"
STATE_LABELS = {PENDING: "待上传", DONE: "已上传", REFUSED: "被拒绝", SUPERSEDED: "已更正"}
OUTCOME_LABELS = {"ok": "成功", "duplicate": "重复（已忽略）", "refused": "拒绝",
                  "batch": "批量被拒（逐条重发）",
                  "unavailable": "无应答", "malformed": "应答异常"}
MAX_INTERVAL_SECONDS = 20 * 60   # SEC-7: at least every 20 minutes
# Fields a correction may refresh from the catalogue (the record's product).
CATALOGUE_FIELDS = ("med_list_codg", "fixmedins_hilist_name", "rx_flag")
UNREADABLE = "记录格式无法识别（旧版本数据），请联系管理员"


@dataclass(frozen=True, slots=True)
class UploadOverview:
    """The status screen's header.

    Attributes:
        pending / refused / done / superseded: records per state.
        untaken: outbox messages not yet expanded into records.
        oldest_pending_at: when the oldest waiting record was written.
        last_success_at: the last record the insurer accepted.
        last_attempt_at / last_outcome / last_message: the newest try.
        holder: the terminal holding the store's upload lease.
    """

    pending: int
    refused: int
    done: int
    superseded: int
    untaken: int
    oldest_pending_at: datetime | None
    last_success_at: datetime | None
    last_attempt_at: datetime | None
    last_outcome: str
    last_message: str
    holder: str


@dataclass(frozen=True, slots=True)
class UploadItemView:
    """One record as the status screen lists it."""

    id: int
    outbox_id: int
    record_no: int
    infno: str
    title: str
    doc_no: str
    fixmedins_bchno: str
    state: str
    tries: int
    last_error: str
    created_at: datetime
    updated_at: datetime

    @property
    def state_label(self) -> str:
        """The state in Chinese."""
        return STATE_LABELS.get(self.state, self.state)


@dataclass(frozen=True, slots=True)
class UploadAttemptView:
    """One try of a record."""

    attempted_at: datetime
    infno: str
    msgid: str
    outcome: str
    infcode: int | None
    message: str
    request: str
    response: str

    @property
    def outcome_label(self) -> str:
        """The outcome in Chinese."""
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True, slots=True)
class UploadItemDetail:
    """A record with everything a manager inspects before resending it.

    Attributes:
        item: the record's queue entry.
        record: the record's fields (national names).
        required: the fields the profile requires for it.
        attempts: every try, oldest first.
        corrections: outbox ids of messages written to correct it.
    """

    item: UploadItemView
    record: Mapping[str, Any]
    required: tuple[str, ...]
    attempts: tuple[UploadAttemptView, ...]
    corrections: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PassResult:
    """What one pass of the uploader did.

    Attributes:
        sent: records the insurer accepted (duplicates included).
        duplicates: records it already had (sent again after a lost answer).
        refused: records it refused (now waiting for a manager).
        remaining: records still pending after the pass.
        stopped: why the pass stopped early (no answer, lease held elsewhere); "" if not.
    """

    sent: int
    duplicates: int
    refused: int
    remaining: int
    stopped: str = ""


class UploadService:
    """The uploader's use cases: take, send, show, correct.

    Args:
        uow: unit-of-work factory.
        clock: the store's clock.
        gateway: where the records go (the platform client, or the simulated insurer).
        profile: the interface profile (required fields, batch variants).
        store_id / terminal_id: whose records, and who holds the lease.
        chunk: records read and committed per step.
        use_batch: send through the profile's batch variant where it has one.
        lease_seconds: how long a lease lasts without renewal.
    """

    def __init__(self, uow: Callable[..., UnitOfWork], clock: Clock, gateway: UploadGateway,
                 profile: Profile, *, store_id: int, terminal_id: str, chunk: int = 500,
                 use_batch: bool = True, lease_seconds: float = 120.0) -> None:
        self._uow = uow
        self._clock = clock
        self._gateway = gateway
        self._profile = profile
        self._store_id = store_id
        self._terminal_id = terminal_id
        self._chunk = chunk
        self._use_batch = use_batch
        self._lease = timedelta(seconds=lease_seconds)
        self._lock = threading.Lock()

    # -- taking outbox messages ------------------------------------------------------------

    def take_new(self) -> int:
        """Expand outbox messages not yet taken into queue records; returns how many."""
        taken = 0
        while True:
            with self._uow() as uow:
                repo = UploadRepository(uow.session)
                after = repo.intake_cursor(self._store_id, lock=True)
                messages = repo.outbox_after(self._store_id, after, self._chunk)
                if not messages:
                    uow.commit()
                    return taken
                now = self._clock.now()
                items = []
                for message in messages:
                    items += _items_of(message, now)
                repo.add_items(items)
                repo.advance_intake(self._store_id, messages[-1].id)
                uow.commit()
                taken += len(items)

    # -- sending ---------------------------------------------------------------------------

    def run_pass(self, *, limit: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> PassResult:
        """Take new messages and send pending records until none is left, the insurer
        stops answering, or ``limit`` records were tried.

        ``progress(done, total)`` is called after each committed step.
        """
        with self._lock:
            if not self._take_lease():
                return PassResult(0, 0, 0, self._pending_count(),
                                  stopped=f"由终端 {self._holder()} 负责上传")
            self.take_new()
            sent = duplicates = refused = 0
            total = self._pending_count()
            after = 0
            # Answers are written by a second thread while the next records go out: the
            # insurer never waits for our database, and our commit still follows the
            # answer (a record whose answer is not yet written is sent again after a
            # crash, and the insurer recognises it).
            recorder = _Recorder(self._record)
            renew_at = time.monotonic() + self._lease.total_seconds() / 4
            try:
                while limit is None or sent + refused < limit:
                    with self._uow(readonly=True) as uow:
                        repo = UploadRepository(uow.session)
                        size = self._chunk if limit is None else min(self._chunk,
                                                                     limit - sent - refused)
                        batch = list(repo.pending(self._store_id, size, after))
                        messages = repo.payloads({i.outbox_id for i in batch})
                        parsed = {mid: _rows(m) for mid, m in messages.items()}
                        work = [(i.id, i.infno, _pick(parsed[i.outbox_id], i.record_no))
                                for i in batch]
                    if not work:
                        break
                    after = work[-1][0]
                    outcomes, stop = self._send(work)
                    recorder.put(outcomes)
                    for _, outcome, *_ in outcomes:
                        if outcome in ("ok", "duplicate"):
                            sent += 1
                            duplicates += outcome == "duplicate"
                        elif outcome == "refused":
                            refused += 1
                    if progress is not None:
                        progress(sent + refused, total)
                    if stop:
                        recorder.close()
                        return PassResult(sent, duplicates, refused, self._pending_count(),
                                          stop)
                    if time.monotonic() > renew_at:
                        self._take_lease()
                        renew_at = time.monotonic() + self._lease.total_seconds() / 4
            finally:
                recorder.close()
            return PassResult(sent, duplicates, refused, self._pending_count())

    def _send(self, work: list[tuple[int, str, dict[str, Any] | None]],
              ) -> tuple[list[tuple], str]:
        """Send records in order; returns their outcomes and why it stopped ("" if not)."""
        outcomes: list[tuple] = []
        groups = self._groups(work)
        calls = [(infno, [r for _, r in group], len(group) > 1)
                 for infno, group in groups if group[0][1] is not None]
        results = iter(self._gateway.upload_many(calls) if calls else [])
        for infno, group in groups:
            item_id, record = group[0]
            if record is None:
                outcomes.append((item_id, "refused", None, UNREADABLE, "", "", "", infno))
                continue
            result = next(results, None)
            if not isinstance(result, Exchange):
                error = result or InsurerUnavailable("医保平台未应答")
                sent_as: Exchange | None = getattr(error, "exchange", None)
                kind = "malformed" if type(error).__name__ == "MalformedAnswer" \
                    else "unavailable"
                outcomes.append((item_id, kind, None, str(error),
                                 sent_as.msgid if sent_as else "",
                                 json.dumps(record, ensure_ascii=False),
                                 sent_as.response.decode("utf-8", "replace")[:2000]
                                 if sent_as else "", infno))
                return outcomes, str(error)
            exchange = result
            answer = exchange.answer
            assert answer is not None
            response = exchange.response.decode("utf-8", "replace")
            spec = self._profile.spec(infno)
            wire = spec.batch.infno if len(group) > 1 and spec.batch else infno
            if answer.ok:
                kind = "duplicate" if "已存在" in answer.warn_msg else "ok"
                if len(group) == 1:
                    # The request as sent (the envelope with the record) is the log's copy.
                    outcomes.append((item_id, kind, answer.infcode, answer.warn_msg,
                                     exchange.msgid, exchange.request.decode("utf-8"),
                                     response, wire))
                    continue
                for member_id, member in group:
                    outcomes.append((member_id, kind, answer.infcode, answer.warn_msg,
                                     exchange.msgid, json.dumps(member, ensure_ascii=False),
                                     "", wire))
            elif len(group) > 1:
                # A batch is all or nothing: its refusal is logged on every record, then
                # they go one by one to find the refused one(s); the others go through.
                for member_id, member in group:
                    outcomes.append((member_id, "batch", answer.infcode, answer.err_msg,
                                     exchange.msgid, json.dumps(member, ensure_ascii=False),
                                     "", wire))
                    try:
                        outcomes += self._send_one(member_id, infno, member)
                    except InsurerUnavailable as exc:
                        outcomes.append((member_id, "unavailable", None, str(exc), "",
                                         json.dumps(member, ensure_ascii=False), "", infno))
                        return outcomes, str(exc)
            else:
                outcomes.append((item_id, "refused", answer.infcode,
                                 answer.err_msg or "医保平台拒绝（无说明）", exchange.msgid,
                                 json.dumps(record, ensure_ascii=False), response, infno))
        return outcomes, ""

    def _groups(self, work: list[tuple[int, str, dict[str, Any] | None]],
                ) -> list[tuple[str, list[tuple[int, Any]]]]:
        """Records as calls: one each, or runs of the same transaction through the
        profile's batch variant. A record the insurer will refuse (a required field
        empty) goes on its own, so it does not take a whole batch down with it."""
        groups: list[tuple[str, list[tuple[int, Any]]]] = []
        index = 0
        while index < len(work):
            item_id, infno, record = work[index]
            group: list[tuple[int, Any]] = [(item_id, record)]
            spec = self._profile.spec(infno) if record is not None else None
            if (spec is not None and self._use_batch and spec.batch is not None
                    and not spec.missing(record)):
                while index + len(group) < len(work) and len(group) < spec.batch.max_records:
                    nxt_id, nxt_infno, nxt = work[index + len(group)]
                    if nxt_infno != infno or nxt is None or spec.missing(nxt):
                        break
                    group.append((nxt_id, nxt))
            groups.append((infno, group))
            index += len(group)
        return groups

    def _send_one(self, item_id: int, infno: str, record: dict[str, Any]) -> list[tuple]:
        exchange = self._gateway.upload(infno, [record])
        answer = exchange.answer
        assert answer is not None
        kind = ("duplicate" if "已存在" in answer.warn_msg else "ok") if answer.ok else "refused"
        return [(item_id, kind, answer.infcode,
                 answer.warn_msg if answer.ok else answer.err_msg, exchange.msgid,
                 json.dumps(record, ensure_ascii=False),
                 exchange.response.decode("utf-8", "replace"), infno)]

    def _record(self, outcomes: list[tuple]) -> None:
        if not outcomes:
            return
        now = self._clock.now()
        changes, entries = [], []
        success = False
        for item_id, outcome, infcode, message, msgid, request, response, infno in outcomes:
            message = (message or "")[:500]
            if outcome in ("ok", "duplicate"):
                state, error = DONE, ""
                success = True
            elif outcome == "refused":
                state, error = REFUSED, message
            else:
                state, error = PENDING, message
            changes.append({"b_id": item_id, "b_state": state, "b_error": error, "b_at": now})
            entries.append({
                "store_id": self._store_id, "queue_id": item_id, "attempted_at": now,
                "infno": infno, "msgid": msgid or "", "outcome": outcome, "infcode": infcode,
                "message": message, "request": request or "", "response": response or ""})
        with self._uow() as uow:
            repo = UploadRepository(uow.session)
            repo.set_outcomes(changes)
            repo.add_log(entries)
            if success:
                repo.mark_success(self._store_id, now)
            uow.commit()

    def _take_lease(self) -> bool:
        now = self._clock.now()
        with self._uow() as uow:
            holder = UploadRepository(uow.session).take_lease(
                self._store_id, self._terminal_id, now, now + self._lease)
            uow.commit()
        return holder == self._terminal_id

    def _holder(self) -> str:
        with self._uow(readonly=True) as uow:
            lease = UploadRepository(uow.session).lease(self._store_id)
            return lease.holder if lease else ""

    def _pending_count(self) -> int:
        with self._uow(readonly=True) as uow:
            return UploadRepository(uow.session).counts(self._store_id).get(PENDING, 0)

    # -- the status screen -----------------------------------------------------------------

    def overview(self, actor: Actor) -> UploadOverview:
        """Counts, the oldest waiting record, the last success and the last try."""
        actor.require(Permission.VIEW_STATUS)
        with self._uow(readonly=True) as uow:
            repo = UploadRepository(uow.session)
            counts = repo.counts(actor.store_id)
            lease = repo.lease(actor.store_id)
            last = repo.last_log(actor.store_id)
            return UploadOverview(
                pending=counts.get(PENDING, 0), refused=counts.get(REFUSED, 0),
                done=counts.get(DONE, 0), superseded=counts.get(SUPERSEDED, 0),
                untaken=repo.untaken_outbox(actor.store_id,
                                            lease.taken_through if lease else 0),
                oldest_pending_at=repo.oldest_pending_at(actor.store_id),
                last_success_at=lease.last_success_at if lease else None,
                last_attempt_at=last.attempted_at if last else None,
                last_outcome=OUTCOME_LABELS.get(last.outcome, last.outcome) if last else "",
                last_message=last.message if last else "",
                holder=lease.holder if lease else "")

    def items(self, actor: Actor, *, states: tuple[str, ...] = (), limit: int = 200,
              offset: int = 0) -> list[UploadItemView]:
        """Records, newest first (optionally only some states)."""
        actor.require(Permission.VIEW_STATUS)
        with self._uow(readonly=True) as uow:
            return [self._view(i) for i in UploadRepository(uow.session).items(
                actor.store_id, states, limit, offset)]

    def detail(self, actor: Actor, item_id: int) -> UploadItemDetail:
        """A record's fields, its tries and its corrections.

        Raises:
            NotFound: no such record in this store.
        """
        actor.require(Permission.VIEW_STATUS)
        with self._uow(readonly=True) as uow:
            repo = UploadRepository(uow.session)
            item = repo.item(item_id)
            if item is None or item.store_id != actor.store_id:
                raise NotFound(f"上传记录 {item_id} 不存在")
            message = repo.payloads([item.outbox_id])[item.outbox_id]
            record = _record(message, item.record_no) or {}
            return UploadItemDetail(
                item=self._view(item), record=record,
                required=self._profile.spec(item.infno).required,
                attempts=tuple(UploadAttemptView(
                    attempted_at=e.attempted_at, infno=e.infno, msgid=e.msgid,
                    outcome=e.outcome, infcode=e.infcode, message=e.message,
                    request=e.request, response=e.response) for e in repo.log_of(item.id)),
                corrections=tuple(m.id for m in repo.corrections_of(item.outbox_id)))

    # -- corrections -----------------------------------------------------------------------

    def correct(self, actor: Actor, item_id: int, *, reason: str,
                changes: Mapping[str, str] | None = None, from_catalogue: bool = True,
                ) -> list[int]:
        """Resend a record, corrected: fields refreshed from the catalogue and/or typed.

        A refused record is resent as a new message; an accepted one is first deleted on
        the insurer's side (3507) and then resent with the same number. The original
        record is marked superseded; the correction is audit-logged (INV-6).

        Returns:
            The ids of the outbox messages written.

        Raises:
            PermissionDenied: not a manager. NotFound: no such record.
            DomainError: still pending, already corrected, no reason, a required field
                still empty, or a field the record does not have.
        """
        actor.require(Permission.APPROVE)
        reason = reason.strip()
        if not reason:
            raise DomainError("请填写更正原因（记入审计日志）", rule_id="INV-6")
        changes = dict(changes or {})
        now = self._clock.now()
        with self._uow() as uow:
            repo = UploadRepository(uow.session)
            item = repo.item(item_id)
            if item is None or item.store_id != actor.store_id:
                raise NotFound(f"上传记录 {item_id} 不存在")
            if item.state == PENDING:
                raise DomainError("该记录尚未上传，无需更正：等待自动上传即可",
                                  rule_id="INV-6")
            if item.state == SUPERSEDED or item.infno == "3507":
                raise DomainError("该记录已更正过（或是删除指令），请更正最新的记录",
                                  rule_id="INV-6")
            message = repo.payloads([item.outbox_id])[item.outbox_id]
            record = _record(message, item.record_no)
            if record is None:
                raise DomainError("记录格式无法识别，不能更正", rule_id="INV-6")
            corrected = dict(record)
            if from_catalogue:
                corrected.update(self._catalogue_fields(uow, record))
            unknown = sorted(set(changes) - set(record))
            if unknown:
                raise DomainError(f"记录没有字段：{'、'.join(unknown)}", rule_id="INV-6")
            corrected.update(changes)
            spec = self._profile.spec(item.infno)
            if missing := spec.missing(corrected):
                raise DomainError(f"更正后仍缺少必填字段：{'、'.join(missing)}（请在商品目录中补全"
                                  "或直接填写）", rule_id="INV-6")
            if item.state == REFUSED and corrected == record and not from_catalogue:
                raise DomainError("记录未作任何修改", rule_id="INV-6")
            written = []
            if item.state == DONE:
                delete = OutboxMessage(
                    store_id=item.store_id, created_at=now, infno="3507", doc_no=item.doc_no,
                    msgid=f"fix:{item.id}:{now.timestamp():.6f}:3507",
                    corrects_id=item.outbox_id, payload=json.dumps({
                        "infno": "3507", "doc_no": item.doc_no, "reason": reason,
                        "rows": [{"fixmedins_bchno": item.fixmedins_bchno,
                                  "inv_data_type": item.inv_data_type}]}, ensure_ascii=False))
                uow.session.add(delete)
                written.append(delete)
            resend = OutboxMessage(
                store_id=item.store_id, created_at=now, infno=item.infno, doc_no=item.doc_no,
                msgid=f"fix:{item.id}:{now.timestamp():.6f}:{item.infno}",
                corrects_id=item.outbox_id, payload=json.dumps({
                    "infno": item.infno, "doc_no": item.doc_no, "reason": reason,
                    "rows": [corrected]}, ensure_ascii=False))
            uow.session.add(resend)
            written.append(resend)
            was = item.state
            item.state, item.updated_at = SUPERSEDED, now
            uow.session.flush()
            audit.record(uow, actor, "upload.correct", at=now, target_type="upload",
                         target_id=item.fixmedins_bchno, detail={
                             "infno": item.infno, "reason": reason[:200],
                             "was": was, "changed": sorted(
                                 k for k in corrected if corrected[k] != record.get(k)),
                             "messages": [m.id for m in written]})
            uow.commit()
            return [m.id for m in written]

    def _catalogue_fields(self, uow: UnitOfWork, record: Mapping[str, Any]) -> dict[str, str]:
        code = str(record.get("fixmedins_hilist_id") or "")
        product = uow.products.by_item_codes([code]).get(code)
        if product is None:
            return {}
        fresh = {"med_list_codg": product.med_list_codg or "",
                 "fixmedins_hilist_name": product.generic_name,
                 "rx_flag": "1" if product.is_prescription else "0"}
        return {k: v for k, v in fresh.items() if k in record}

    def _view(self, item: UploadQueueItem) -> UploadItemView:
        try:
            title = self._profile.spec(item.infno).title
        except KeyError:
            title = item.infno
        return UploadItemView(
            id=item.id, outbox_id=item.outbox_id, record_no=item.record_no, infno=item.infno,
            title=title, doc_no=item.doc_no, fixmedins_bchno=item.fixmedins_bchno,
            state=item.state, tries=item.tries, last_error=item.last_error,
            created_at=item.created_at, updated_at=item.updated_at)


class UploadWorker:
    """Runs the uploader on its own thread: every ``interval`` seconds (SEC-7: at most
    20 minutes), at once when woken, and after a failure with back-off (5 s, 15 s, 60 s,
    5 min, then the interval).

    Args:
        service: the upload service.
        interval: seconds between passes when everything is sent.
        on_change: called (on the worker thread) with each pass's result.
    """

    BACKOFF = (5.0, 15.0, 60.0, 300.0)

    def __init__(self, service: UploadService, *, interval: float = 300.0,
                 on_change: Callable[[PassResult], None] | None = None) -> None:
        if not 0 < interval <= MAX_INTERVAL_SECONDS:
            raise ValueError(f"上传间隔须在 1–{MAX_INTERVAL_SECONDS} 秒之间（SEC-7）")
        self._service = service
        self._interval = interval
        self._on_change = on_change or (lambda _r: None)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.last: PassResult | None = None
        self.next_at: float | None = None

    def start(self) -> None:
        """Start the thread (once)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="upload-worker",
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the step in hand; what waits stays queued for the next start."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Upload now (a manager pressed 立即上传, or a record was corrected)."""
        self._failures = 0
        self._wake.set()

    def run_once(self) -> PassResult:
        """One pass; failures are counted for the back-off."""
        try:
            result = self._service.run_pass()
        except Exception as exc:  # the worker must survive a database hiccup
            log.exception("upload pass failed")
            result = PassResult(0, 0, 0, -1, stopped=f"上传暂时无法进行：{exc}")
        self._failures = self._failures + 1 if result.stopped else 0
        self.last = result
        self._on_change(result)
        return result

    def _delay(self) -> float:
        if not self._failures:
            return self._interval
        return min(self.BACKOFF[min(self._failures, len(self.BACKOFF)) - 1], self._interval)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            delay = self._delay()
            self.next_at = time.monotonic() + delay
            self._wake.wait(delay)
            self._wake.clear()


class _Recorder:
    """Writes the outcomes of sent records on its own thread, in order; ``close`` waits
    for the last write and raises what a write raised."""

    def __init__(self, write: Callable[[list[tuple]], None]) -> None:
        self._write = write
        self._jobs: queue.Queue[list[tuple] | None] = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="upload-recorder",
                                        daemon=True)
        self._thread.start()

    def put(self, outcomes: list[tuple]) -> None:
        """Queue outcomes for writing (blocks while four writes are waiting)."""
        if self._error is not None:
            raise self._error
        self._jobs.put(outcomes)

    def close(self) -> None:
        """Wait for every queued write; raise the first write's error, if any."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while (outcomes := self._jobs.get()) is not None:
            if self._error is None:
                try:
                    self._write(outcomes)
                except BaseException as exc:  # handed to the caller by close()
                    self._error = exc


def _items_of(message: OutboxMessage, now: datetime) -> list[dict[str, object]]:
    """The queue items (column values) of one outbox message, one per record."""
    infno = message.infno
    common = {"store_id": message.store_id, "outbox_id": message.id, "infno": infno,
              "doc_no": message.doc_no, "tries": 0, "created_at": message.created_at,
              "updated_at": now}
    try:
        rows = upload_rows(json.loads(message.payload))
    except (ValueError, json.JSONDecodeError):
        # A message of an older shape is kept visible as refused, never silently skipped.
        return [{**common, "record_no": 1, "fixmedins_bchno": "",
                 "inv_data_type": DATA_TYPES.get(infno, ""), "state": REFUSED,
                 "last_error": UNREADABLE}]
    items = []
    for number, row in enumerate(rows, start=1):
        data_type = str(row.get("inv_data_type") or "") if infno == "3507" \
            else DATA_TYPES.get(infno, "")
        items.append({**common, "record_no": number,
                      "fixmedins_bchno": str(row.get("fixmedins_bchno") or "")[:40],
                      "inv_data_type": data_type, "state": PENDING, "last_error": ""})
    return items


def _rows(message: OutboxMessage) -> list[dict[str, Any]] | None:
    try:
        return upload_rows(json.loads(message.payload))
    except (ValueError, json.JSONDecodeError):
        return None


def _pick(rows: list[dict[str, Any]] | None, record_no: int) -> dict[str, Any] | None:
    if rows is None or not 0 < record_no <= len(rows):
        return None
    return rows[record_no - 1]


def _record(message: OutboxMessage, record_no: int) -> dict[str, Any] | None:
    return _pick(_rows(message), record_no)
