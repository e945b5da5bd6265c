import json

import pytest


@pytest.mark.django_db
def test_health_reports_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["status"] == "ok"
    assert data["database"] == "ok"
    assert data["vendor"] in {"sqlite", "postgresql"}
