"""One page size for every list, from settings.PAGE_SIZE."""

from django.core.paginator import Paginator
from django.test import RequestFactory

from core import paging


def test_the_page_size_is_the_setting(settings):
    settings.PAGE_SIZE = 7
    assert paging.page_size() == 7


def test_the_page_size_is_fifty_without_the_setting(settings):
    del settings.PAGE_SIZE
    assert paging.page_size() == 50


def test_the_settings_give_one_page_size_of_fifty():
    from django.conf import settings

    assert settings.PAGE_SIZE == 50


def test_a_page_of_rows_is_the_one_asked_for(settings):
    settings.PAGE_SIZE = 10
    page = paging.page_of(RequestFactory().get("/", {"page": "2"}), list(range(25)))
    assert list(page) == list(range(10, 20)) and page.paginator.num_pages == 3


def test_a_bad_page_number_gives_the_first_page_and_one_past_the_end_the_last(settings):
    settings.PAGE_SIZE = 10
    rows = list(range(25))
    for asked in ("nonsense", "-1", "²", ""):
        assert paging.page_of(RequestFactory().get("/", {"page": asked}), rows).number in (1, 3)
    assert paging.page_of(RequestFactory().get("/", {"page": "nonsense"}), rows).number == 1
    assert paging.page_of(RequestFactory().get("/", {"page": "99"}), rows).number == 3
    assert paging.page_of(RequestFactory().get("/"), rows).number == 1


def test_no_module_of_ours_keeps_its_own_page_size():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if path.parts[len(root.parts)] not in {".venv", "tests", "bench", "config", "node_modules"}
        and ("PAGE_SIZE =" in path.read_text() or "Paginator(" in path.read_text())
        and path.relative_to(root) != Path("core/paging.py")
    ]
    assert found == []


def test_a_paginator_of_the_page_size_is_what_page_of_gives(settings):
    settings.PAGE_SIZE = 3
    page = paging.page_of(RequestFactory().get("/"), list(range(5)))
    assert isinstance(page.paginator, Paginator) and page.paginator.per_page == 3
