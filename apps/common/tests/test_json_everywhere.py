"""Every answer is JSON, in the same error shape; run under each deployable's settings."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int, code: str):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["type"] in {"client_error", "validation_error", "server_error"}
    assert body["errors"][0]["code"] == code
    return body


def test_unknown_path_is_404_json(client):
    assert_json_error(client.get("/no/such/path"), 404, "not_found")


def test_unknown_path_message_is_spanish_by_default_and_english_on_request(client):
    spanish = assert_json_error(client.get("/nope"), 404, "not_found")
    english = assert_json_error(client.get("/nope", HTTP_ACCEPT_LANGUAGE="en"), 404, "not_found")
    assert spanish["errors"][0]["detail"] != english["errors"][0]["detail"]
    assert english["errors"][0]["detail"] == "Not found."


def test_wrong_method_is_405_json(client):
    assert_json_error(client.delete("/health"), 405, "method_not_allowed")


def test_health_reports_service_and_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": settings.SERVICE_NAME, "database": "ok"}


def test_health_is_503_json_when_the_database_fails(client, monkeypatch):
    from django.db import DatabaseError, connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.fixture
def post_json(client, make_token):
    """POST a raw JSON body where it gets parsed: gestion's login (open to anyone), or citas' booking
    endpoint as an admin."""
    if settings.SERVICE_NAME == "gestion":
        path, headers = "/auth/login", {}
    else:
        token = make_token(user_id=1, username="root", rol="admin")
        path, headers = "/citas", {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return lambda body: client.post(path, body, content_type="application/json", **headers)


def test_deeply_nested_json_is_400_not_500(post_json):
    assert_json_error(post_json("[" * 100_000), 400, "parse_error")


def test_a_body_over_the_upload_limit_is_413(post_json, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert_json_error(post_json('{"username": "%s"}' % ("a" * 1000)), 413, "payload_too_large")


@pytest.mark.parametrize("path", ["/health", "/health/"])
def test_trailing_slash_is_optional_without_redirect(client, path):
    assert client.get(path).status_code == 200


def test_docs_paths_work_without_their_trailing_slash(client):
    assert client.get("/api/schema").status_code == 200


def test_browsable_api_only_for_clients_that_ask_for_html(client):
    assert client.get("/health", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
    assert client.get("/health", HTTP_ACCEPT="text/html")["Content-Type"].startswith("text/html")


def test_schema_declares_bearer_jwt(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_their_assets_locally(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
