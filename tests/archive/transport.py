"""A test-only transport node for the Elasticsearch client, used against the osmem-server emulator.

The elasticsearch 8 client sends ``Accept``/``Content-Type: application/vnd.elasticsearch+json;
compatible-with=8``; osmem-server answers 406 to that media type. This node rewrites it to the plain media
type (``application/json``, ``application/x-ndjson`` for bulk) before sending. Production code never uses it:
the backend reads it only from the ``ARCHIVE_ELASTICSEARCH_NODE_CLASS`` setting, which only the test fixture
sets, and never when ``ELASTICSEARCH_URL`` points the tests at a real cluster.
"""

import re

from elastic_transport import Urllib3HttpNode

COMPATIBLE_MEDIA_TYPE = re.compile(r"application/vnd\.elasticsearch\+([\w.-]+)\s*;\s*compatible-with=\d+")
REWRITTEN_HEADERS = ("accept", "content-type")


def plain_media_type(value: str) -> str:
    return COMPATIBLE_MEDIA_TYPE.sub(r"application/\1", value)


class PlainMediaTypeNode(Urllib3HttpNode):
    def perform_request(self, method, target, body=None, headers=None, **options):
        if headers:
            headers = headers.copy()
            for name in REWRITTEN_HEADERS:
                if name in headers:
                    headers[name] = plain_media_type(headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **options)
