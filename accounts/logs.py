"""Keep one-time link tokens out of log lines. Imports nothing of ours: logging is set up before the apps."""

import logging
import re

# The token segment of /accounts/set-password/<uidb64>/<token>/ and /accounts/reset-password/<uidb64>/<token>/.
LINK_TOKEN = re.compile(r"(/(?:set|reset)-password/[^/\s]*/)[^/\s\"'?#]+")
HIDDEN = r"\1[token]"


class HideLinkTokens(logging.Filter):
    """Rewrite a record whose message holds a one-time link's path, so the token never reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = LINK_TOKEN.sub(HIDDEN, message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True
