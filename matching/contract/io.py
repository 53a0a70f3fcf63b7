"""JSON Lines in and out: contract objects read with line numbers, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, TypeVar

from pydantic import BaseModel, ValidationError

from matching.contract.models import describe_errors
from matching.private import private_dir

M = TypeVar("M", bound=BaseModel)
MAX_REPORTED = 20


class InputError(ValueError):
    """Bad input: every problem found, each naming the line, the field and the reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_records(lines: Iterable[str], model: type[M], source: str) -> list[M]:
    """Validate every line; refuse the whole input if any line is bad."""
    records: list[M] = []
    problems: list[str] = []
    first_line: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = model.model_validate_json(line)
        except ValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                problems.append(f"{source} line {n}: not valid JSON")
            else:
                problems.extend(f"{source} line {n}: {msg}" for msg in describe_errors(exc))
        else:
            rid = getattr(record, "id", None)
            if rid is not None and rid in first_line:
                problems.append(f"{source} line {n}: id: duplicate id {rid!r} (first on line {first_line[rid]})")
            else:
                if rid is not None:
                    first_line[rid] = n
                records.append(record)
        if len(problems) >= MAX_REPORTED:
            problems.append(f"{source}: stopped after {MAX_REPORTED} problems")
            break
    if problems:
        raise InputError(problems)
    return records


def read_jsonl(path: Path | str, model: type[M]) -> list[M]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            return parse_records(fh, model, str(path))
    except FileNotFoundError:
        raise InputError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as exc:
        raise InputError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_WRITE_BATCH = 4096


def _line(record: BaseModel | dict) -> str:
    if isinstance(record, BaseModel):
        return record.model_dump_json(exclude_none=True)
    return _JSON.encode(record)


def write_jsonl(path: Path | str, records: Iterable[BaseModel | dict]) -> int:
    """Write one JSON object per line; return the count.

    Written to a temporary file beside the target and renamed over it only when
    every record is written: readers never see half a file, and a failure half-way
    leaves any previous file untouched.
    """
    path = Path(path)
    # Matches name candidates: a folder made here is the owner's only, like the file (mkstemp).
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            batch: list[str] = []
            for record in records:
                batch.append(_line(record))
                count += 1
                if len(batch) >= _WRITE_BATCH:
                    fh.write("\n".join(batch) + "\n")
                    batch.clear()
            if batch:
                fh.write("\n".join(batch) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private; data files are meant to be shared.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count
