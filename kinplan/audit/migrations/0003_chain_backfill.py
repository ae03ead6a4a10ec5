"""Chain the entries written before the chain existed, oldest (lowest id) first, and make each chain's head.

The digest and link rules are copied from kinplan/audit/chain.py as they were when this migration was written
(a data migration must not follow later changes to app code); chain.py must keep computing them the same way.
"""

import datetime
import hashlib
import json

from django.db import migrations

GENESIS = "0" * 64
BATCH = 2000
CHAINS = {
    "history": (
        "AuditEvent",
        ("at", "actor_id", "event", "target_type", "target_id", "target_label", "case_id", "changes"),
    ),
    "access": ("RecordView", ("at", "user_id", "case_id", "person_id", "channel", "path")),
}


def _canonical(value):
    kind = type(value)
    if kind is dict:
        return {key: _canonical(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_canonical(item) for item in value]
    if kind is float and value.is_integer():
        return int(value)
    return value


def _digest(entry, fields):
    content = {field: getattr(entry, field) for field in fields}
    content["at"] = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if "changes" in content:
        content["changes"] = _canonical(content["changes"])
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _link(previous, seq, digest):
    return hashlib.sha256(f"{previous}:{seq}:{digest}".encode()).hexdigest()


def chain_existing_entries(apps, schema_editor):
    Head = apps.get_model("audit", "AuditChainHead")
    for name, (model_name, fields) in CHAINS.items():
        model = apps.get_model("audit", model_name)
        previous, seq, last_id = GENESIS, 0, 0
        while True:  # in batches by id, never holding a cursor open on the table being updated
            batch = list(model.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
            if not batch:
                break
            for entry in batch:
                seq += 1
                entry.seq, entry.content_digest = seq, _digest(entry, fields)
                entry.chain_hash = previous = _link(previous, seq, entry.content_digest)
            model.objects.bulk_update(batch, ["seq", "content_digest", "chain_hash"])
            last_id = batch[-1].id
        Head.objects.update_or_create(name=name, defaults={"seq": seq, "chain_hash": previous})


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.all().delete()
    for model_name, _fields in CHAINS.values():
        apps.get_model("audit", model_name).objects.update(seq=None, content_digest="", chain_hash="")


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing_entries, unchain),
    ]
