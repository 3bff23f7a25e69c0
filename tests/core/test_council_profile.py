"""Council profiles (triage/core/council_profile.py): the shipped ones load, and each mistake stops start-up
with a message naming the file and the key."""

from __future__ import annotations

import pytest

from triage.core.council_profile import ProfileError, check_name, contrast, parse
from triage.web.app import create_app
from triage.web.areas import profiles

FILE = "councils/test.toml"
PACKS = {"E07000130", "E06000049"}
GOOD = """
name = "Charnwood Borough Council"
area = "Charnwood"
lads = ["E07000130"]
website = "https://www.charnwood.gov.uk"
brand_colour = "#0b5e55"
data_controller = "Charnwood Borough Council"
library_authority = "Leicestershire County Council"
"""


def load(text: str, logos: frozenset[str] = frozenset()):
    return parse(FILE, text, PACKS.__contains__, logos.__contains__)


def test_a_profile_with_the_required_keys_only():
    profile = load(GOOD)
    assert (profile.name, profile.area, profile.lads) == ("Charnwood Borough Council", "Charnwood", ("E07000130",))
    assert profile.contact_url == "https://www.charnwood.gov.uk"  # no contact page: the website
    assert (profile.phone, profile.logo, profile.service_name, profile.sample_local_help) == ("", "", "", False)
    assert profile.serves("E07000130") and not profile.serves("E06000049") and not profile.serves(None)


def test_optional_keys():
    text = GOOD + 'contact_page = "https://www.charnwood.gov.uk/contact"\nphone = "01632 960000"\nlogo = "c.svg"\n'
    profile = load(text + "sample_local_help = true\n", frozenset({"c.svg"}))
    assert profile.contact_url == "https://www.charnwood.gov.uk/contact"
    assert (profile.phone, profile.logo, profile.sample_local_help) == ("01632 960000", "c.svg", True)


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (('lads = ["E07000130"]', 'lads = ["E07999999"]'), "lads", "there is no area pack for E07999999"),
        (('lads = ["E07000130"]', 'lads = ["E05014666"]'), "lads", "'E05014666' is not a local authority district"),
        (('lads = ["E07000130"]', 'lads = "E07000130"'), "lads", "give the LAD codes as a list"),
        (('lads = ["E07000130"]', 'lads = ["E07000130", "E07000130"]'), "lads", "a LAD code is listed twice"),
        (('lads = ["E07000130"]', "lads = []"), "lads", "missing"),
        (('brand_colour = "#0b5e55"', 'brand_colour = "#f47738"'), "brand_colour", "contrast 2.78:1; it needs 4.5:1"),
        (('brand_colour = "#0b5e55"', 'brand_colour = "#ffdd00"'), "brand_colour", "contrast 1.35:1; it needs 4.5:1"),
        (('brand_colour = "#0b5e55"', 'brand_colour = "green"'), "brand_colour", "'green' is not a colour"),
        (('name = "Charnwood Borough Council"\n', ""), "name", "missing: every profile gives it"),
        (('website = "https://www.charnwood.gov.uk"', 'website = "www.charnwood.gov.uk"'), "website", "https://"),
        (('area = "Charnwood"', "area = 7"), "area", "give it as text in quotes"),
        (("\n", '\ncolour = "#0b5e55"\n'), "colour", "not a profile key"),
        (("\n", '\nphone = "call us"\n'), "phone", "not a UK phone number"),
        (("\n", '\nlogo = "charnwood.png"\n'), "logo", "not an SVG file"),
        (("\n", '\nlogo = "missing.svg"\n'), "logo", "not an SVG file"),
        (("\n", '\nlogo = "../../etc/x.svg"\n'), "logo", "not an SVG file"),
        (("\n", '\nsample_local_help = "yes"\n'), "sample_local_help", "true or false"),
        (("\n", "\nname = [\n"), "(file)", "not TOML"),
    ],
)
def test_each_mistake_names_the_file_and_key(change, key, problem):
    old, new = change
    assert old in GOOD
    with pytest.raises(ProfileError) as stopped:
        load(GOOD.replace(old, new, 1))
    assert (stopped.value.file, stopped.value.key) == (FILE, key)
    assert str(stopped.value).startswith(f"{FILE}: {key}: ") and problem in str(stopped.value)


def test_the_contrast_is_wcags():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    # #0b0c0c: each channel ((c / 255 + 0.055) / 1.055) ** 2.4, luminance 0.0036, so (1.05) / (0.0536) = 19.59
    assert contrast("#0b0c0c", "#ffffff") == pytest.approx(19.59, abs=0.01)
    assert contrast("#0b5e55", "#ffffff") == pytest.approx(7.6, abs=0.1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey that passes


def test_any_colour_at_4_5_to_1_or_more_against_white_will_do():
    assert load(GOOD.replace("#0b5e55", "#1D70B8")).brand_colour == "#1d70b8"  # GOV.UK blue, 5.17:1
    assert load(GOOD.replace("#0b5e55", "#767676")).brand_colour == "#767676"  # 4.54:1


@pytest.mark.parametrize("name", ["charnwood", "cheshire-east", "maidstone", "leicestershire"])
def test_every_shipped_profile_loads(name):
    profile = profiles.load(name)
    assert profile.website.startswith("https://www.") and profile.data_controller == profile.name
    assert contrast(profile.brand_colour, "#ffffff") >= 4.5
    assert len(profile.lads) == (7 if name == "leicestershire" else 1)


@pytest.mark.parametrize("name", ["../secret_key", "Charnwood", "", "cheshire east"])
def test_a_council_setting_that_cannot_name_a_profile_stops_start_up(name):
    with pytest.raises(ProfileError, match="COUNCIL: .* is not a profile name"):
        check_name(name)


def test_an_unknown_council_stops_start_up_listing_the_profiles(tmp_path):
    with pytest.raises(
        ProfileError, match="councils/york.toml: COUNCIL: there is no profile 'york'; the profiles are "
    ):
        create_app({"TESTING": True, "COUNCIL": "york", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_each_council_has_an_embedded_database_of_its_own():
    app = create_app({"TESTING": True, "COUNCIL": "cheshire-east", "SQLALCHEMY_DATABASE_URI": ""})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/cheshire-east.db")
    assert app.extensions["council"].name == "Cheshire East Council"
