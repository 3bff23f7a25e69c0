"""docs/notify-templates.md, written from the templates themselves: `flask notify-templates` prints it.

An officer pastes these into GOV.UK Notify. The general templates are enough to send everything; a message's
own template, in each language, lets the council manage its words in Notify too. A test checks the file in
docs/ is what this writes, so the words pasted into Notify are the words Signpost sends.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext

from triage.core.interface_languages import INTERFACE_LANGUAGES
from triage.core.message_templates import TEMPLATES, MessageTemplate

KIND_NAMES = {"email": "email", "sms": "text message", "letter": "letter"}

INTRO = """# GOV.UK Notify templates

This file is written by `flask --app wsgi notify-templates > docs/notify-templates.md` from the messages
themselves (`triage/core/message_templates.py` and the translations); a test checks it is up to date.

With `NOTIFICATION_BACKEND=notify`, Signpost sends through GOV.UK Notify. There are two ways to set it up,
and they can be mixed:

1. **General templates only** (the quickest): make the three general templates below in Notify ("Templates",
   "New template"), paste the text exactly, and put their ids in `NOTIFY_EMAIL_TEMPLATE_ID`,
   `NOTIFY_SMS_TEMPLATE_ID` and, to post letters, `NOTIFY_LETTER_TEMPLATE_ID`. Signpost writes each message in
   the words further down, in the reader's language, and passes it in the fields `subject` and `body`.
2. **A template of its own for some messages**: make any of the templates further down, in any of the
   languages, and list their ids in a TOML file named by `NOTIFY_TEMPLATES_FILE`:

   ```toml
   [plan-sms]
   en = "f33517ff-2a88-4f6e-b855-c550268ce08a"
   pl = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f"
   ```

   Those messages are then sent to that template with their named fields, so the council can change the
   words in Notify; every other message and language still goes through the general template. Keep the
   ((fields)) as they are: Notify fills them by name. A file with a mistake in it (a message or language
   Signpost does not send, an id that cannot be one) stops the service starting, saying which.

Signpost's own words have no Markdown in them; a line starting with "-" shows as a bullet in Notify, which
suits the lists of help.

## General templates

### Email: `Signpost: any email`

Subject:

```
((subject))
```

Message:

```
((body))
```

### Text message: `Signpost: any text message`

Message:

```
((body))
```

### Letter: `Signpost: any letter`

Heading (the letter's title):

```
((subject))
```

Body:

```
((body))
```

Notify places the address from the fields `address_line_1` to `address_line_7`, which Signpost sends with
every letter (the postcode on the last line).

## Each message's own template
"""

OUTRO = """
## References

Signpost sets each notification's `reference` to `signpost-message-<id>`, the message's number in Signpost.
Search for it in Notify's dashboard to find a message staff asked about; `send-messages` uses it to check,
before trying a message again, that Notify did not already receive it.
"""


def _block(label: str, text: str) -> list[str]:
    return [f"{label}:", "", "```", text, "```", ""]


def _message(template: MessageTemplate) -> list[str]:
    to = "residents, in the language they were reading" if template.to == "resident" else "staff, in English"
    lines = [
        f"### `{template.name}`: {KIND_NAMES[template.kind]} to {to}",
        "",
        f"When: {template.when} Fields: {', '.join(f'`{field}`' for field in template.fields)}.",
        "",
    ]
    languages = INTERFACE_LANGUAGES if template.to == "resident" else INTERFACE_LANGUAGES[:1]
    for language in languages:
        with force_locale(language.code):
            subject, body = template.words(gettext)
        if template.to == "resident":
            lines += [f"#### {language.english_name} (`{language.code}`)", ""]
        if subject:
            lines += _block("Heading" if template.kind == "letter" else "Subject", subject)
        lines += _block("Message" if template.kind != "letter" else "Body", body)
    return lines


def guide() -> str:
    lines = [INTRO]
    for template in TEMPLATES.values():
        lines += _message(template)
    return "\n".join(lines).rstrip("\n") + "\n" + OUTRO
