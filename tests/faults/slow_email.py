"""An e-mail backend for the fault tests: a slow mail server that leaves one file per message it accepted.

Each message takes KINPLAN_FAULT_MAIL_DELAY seconds (a slow SMTP conversation, so a worker can be killed while it
sends) and is then written whole to KINPLAN_FAULT_MAIL_DIR (written aside and renamed, so a reader never sees
half a message). Counting the files counts what recipients received.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class SlowFileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(os.environ["KINPLAN_FAULT_MAIL_DIR"])
        delay = float(os.environ.get("KINPLAN_FAULT_MAIL_DELAY", "0.3"))
        for message in email_messages:
            time.sleep(delay)
            name = f"{time.time_ns()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
            partial = folder / f"{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            os.replace(partial, folder / f"{name}.eml")
        return len(email_messages)
