from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, which also refuses JSON nested too deeply for Python's parser (a 400, not a 500).

    The body size is bounded before this runs: DRF reads ``request.body``, which Django checks against
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from exc
