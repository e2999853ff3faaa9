"""The sample's failure classes each come with a one-line description of the failure mode."""

from __future__ import annotations

from pmtui import sample_documents
from pmtui.sample import populate
from pmtui.store import Store
from pmtui.store.taxonomy import DESCRIPTION_LIMIT, normalise_slug, one_line_description


def sample_classes() -> set[str]:
    return {
        slug
        for value in vars(sample_documents).values()
        if isinstance(value, dict) and "failure_classes" in value
        for slug in value["failure_classes"]
    }


def test_every_sample_class_and_only_those_has_a_description() -> None:
    assert set(sample_documents.FAILURE_CLASSES) == sample_classes()
    for slug, text in sample_documents.FAILURE_CLASSES.items():
        assert normalise_slug(slug) == slug
        assert one_line_description(text) == text, slug
        assert 20 <= len(text) <= DESCRIPTION_LIMIT, slug
        assert not text.endswith("."), slug  # one line, like the ones typed in the app


def test_the_descriptions_fill_the_sample_taxonomy(store: Store) -> None:
    populate(store)
    for slug, text in sample_documents.FAILURE_CLASSES.items():
        store.describe_class(slug, text)
    listed = {c.slug: c.description for c in store.failure_classes()}
    assert listed == sample_documents.FAILURE_CLASSES
