"""POST /api/articles: a CMS or a monitoring feed pushes articles, checked like `check`."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from factcheck.db.models import Article, Claim, ExtractionRun
from factcheck.db.session import Database

ONE = {
    "title": "Bridges closed",
    "url": "https://news.example/bridges",
    "outlet": "News Example",
    "published": "2023-06-28T09:00:00Z",
    "text": "The mayor said 12 bridges were closed on Monday.\n\nTraffic was slow.",
}
TWO = {"headline": "Second", "body": "Police said 40 people were detained after the match."}


def _h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _count(database: Database, model: type) -> int:
    with database.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_token_is_required(client: TestClient) -> None:
    assert client.post("/api/articles", json=ONE).status_code == 401
    bad = client.post("/api/articles", json=ONE, headers=_h("not-a-token"))
    assert bad.status_code == 401


def test_one_article_is_extracted_and_stored_like_check(
    client: TestClient, token: str, database: Database
) -> None:
    response = client.post("/api/articles", json=ONE, headers=_h(token))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["stored"] == 1 and body["failed"] == 0
    (result,) = body["articles"]
    assert result["status"] == "stored" and result["claims"] >= 1
    with database.session() as s:
        article = s.get(Article, result["article_id"])
        assert article is not None
        assert (article.title, article.outlet, article.url) == (
            "Bridges closed",
            "News Example",
            "https://news.example/bridges",
        )
        claims = s.scalars(select(Claim).where(Claim.article_id == article.id)).all()
        assert len(claims) == result["claims"]
        assert all(article.text[c.start : c.end] == c.quote for c in claims)  # grounded
        run = s.get(ExtractionRun, body["run_id"])
        assert run is not None and run.status == "finished"
        assert "POST /api/articles by alice" in (run.command or "")
    again = client.post("/api/articles", json=ONE, headers=_h(token)).json()
    assert again["articles"][0]["status"] == "already_stored"
    assert again["articles"][0]["article_id"] == result["article_id"]
    assert _count(database, Article) == 1  # nothing stored twice


def test_a_batch_reports_each_bad_article_and_stores_the_rest(
    client: TestClient, token: str, database: Database
) -> None:
    batch = {"articles": [ONE, {"title": "no text at all"}, TWO, "not an object", ONE]}
    response = client.post("/api/articles", json=batch, headers=_h(token))
    assert response.status_code == 200, response.text
    body = response.json()
    statuses = [a["status"] for a in body["articles"]]
    assert statuses == ["stored", "failed", "stored", "failed", "stored"]
    assert body["articles"][4]["article_id"] == body["articles"][0]["article_id"]  # same text
    assert "no article text" in body["articles"][1]["error"]
    assert "expected a JSON object" in body["articles"][3]["error"]
    assert (body["stored"], body["failed"]) == (3, 2)
    assert _count(database, Article) == 2
    # A plain list works too, and the failures are the batch run's errors, as in `check`.
    listed = client.post("/api/articles", json=[TWO, {"text": "  "}], headers=_h(token)).json()
    assert [a["status"] for a in listed["articles"]] == ["already_stored", "failed"]
    with database.session() as s:
        run = s.get(ExtractionRun, listed["run_id"])
        assert run is not None and run.articles_failed == 1


def test_empty_or_oversized_requests_are_refused(client: TestClient, token: str) -> None:
    empty = client.post("/api/articles", json=[], headers=_h(token))
    assert empty.status_code == 422 and "no articles" in empty.json()["detail"]
    too_many = client.post("/api/articles", json=[TWO] * 1001, headers=_h(token))
    assert too_many.status_code == 422 and "at most 1000" in too_many.json()["detail"]


def test_the_endpoint_is_in_the_openapi_schema(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/articles"]
