"""The JSON Schemas in schemas/ are what the content models say, and they accept the real content."""
import json

import jsonschema
import pytest
import yaml

from conftest import ROOT, TESTS
from generator.commands import schema


class Yaml12ishLoader(yaml.SafeLoader):
    """Reads YAML as an editor's YAML 1.2 language server does: dates stay strings."""


Yaml12ishLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_committed_schemas_are_up_to_date():
    for name, expected in schema.schemas().items():
        path = ROOT / "schemas" / f"{name}.schema.json"
        assert json.loads(path.read_text(encoding="utf-8")) == expected, (
            f"{path} is out of date: run `python build.py schema`")


def test_event_schema_describes_the_fields_in_swedish():
    event = schema.schemas()["event"]
    assert event["properties"]["start"]["anyOf"][0]["type"] == "string"
    assert "ÅÅÅÅ-MM-DD" in event["properties"]["start"]["description"]
    assert set(event["properties"]["kind"]["enum"]) >= {"idéverkstad", "workshop", "lärresa", "möte"}
    assert event["required"] == ["title", "kind"]
    assert event["additionalProperties"] is False


EVENT_FILES = sorted([*(ROOT / "content" / "events").rglob("*.yaml"),
                      *(TESTS / "sites" / "programme" / "content" / "events").rglob("*.yaml"),
                      *(ROOT / "docs" / "exempel").glob("*.yaml")])


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.name)
def test_the_event_schema_accepts_every_real_and_example_event(path):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12ishLoader)
    jsonschema.validate(data, schema.schemas()["event"])


def test_the_event_schema_rejects_a_misspelt_field_and_an_unknown_kind():
    event = schema.schemas()["event"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "kind": "möte", "strat": "2015-01-01"}, event)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "x", "kind": "fest"}, event)
