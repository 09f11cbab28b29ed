"""One reverse per list gives the same links as a reverse per row."""

from django.urls import reverse

from municipia.core.links import reverse_many, url_maker


def test_reverse_many_matches_reverse_for_ids_and_slugs():
    action_url = reverse_many("strategy:action-detail")
    plan_url = reverse_many("strategy:plan-detail", "slug")
    for pk in (1, 42, 100000):
        assert action_url(pk) == reverse("strategy:action-detail", kwargs={"pk": pk})
    for slug in ("agenda-digital", "sofia_2030"):
        assert plan_url(slug) == reverse("strategy:plan-detail", kwargs={"slug": slug})


def test_reverses_once_and_falls_back_for_values_that_need_quoting():
    calls = []

    def reverse_one(value):
        calls.append(value)
        return f"/things/{value}/"

    make = url_maker(reverse_one)
    assert [make(1), make(2), make(3)] == ["/things/1/", "/things/2/", "/things/3/"]
    assert len(calls) == 1  # the placeholder only
    assert make("a b") == "/things/a b/"
    assert calls[-1] == "a b"
