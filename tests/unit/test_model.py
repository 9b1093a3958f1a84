from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from actorgraph.graph.model import (
    Attestation,
    Claim,
    Document,
    Event,
    Stance,
    Status,
    derive_status,
)


def att(
    speaker: str, stance: str, *, hedged: bool = False, day: int = 1, start: int = 0
) -> Attestation:
    return Attestation(
        claim="claim-x",
        speaker=speaker,
        stance=Stance(stance),
        document=f"doc-{day}",
        quote="q" * 5,
        start=start,
        end=start + 5,
        hedged=hedged,
        date=dt.date(2020, 1, day),
    )


class TestStatus:
    def test_one_firm_report_is_reported(self) -> None:
        assert derive_status("us", [att("reuters", "reported")]) is Status.REPORTED

    def test_two_firm_speakers_confirm(self) -> None:
        atts = [att("reuters", "reported"), att("ap", "reported", start=40)]
        assert derive_status("us", atts) is Status.CONFIRMED

    def test_one_sentence_read_as_two_speakers_is_one_statement(self) -> None:
        # an outlet and the source it quotes, both credited with the same words
        atts = [att("zerohedge", "reported"), att("reuters", "reported")]
        assert derive_status("us", atts) is Status.REPORTED

    def test_hedged_reports_never_confirm(self) -> None:
        atts = [att("reuters", "reported", hedged=True), att("ap", "reported", hedged=True)]
        assert derive_status("us", atts) is Status.REPORTED

    def test_the_same_speaker_twice_is_one_voice(self) -> None:
        atts = [att("reuters", "reported", day=1), att("reuters", "reported", day=2)]
        assert derive_status("us", atts) is Status.REPORTED

    def test_the_subject_admitting_confirms(self) -> None:
        assert derive_status("centcom", [att("centcom", "reported")]) is Status.CONFIRMED

    def test_report_and_denial_by_others_is_contested(self) -> None:
        atts = [att("reuters", "reported"), att("us", "denied")]
        assert derive_status("us", atts) is Status.CONTESTED

    def test_only_denials_is_denied(self) -> None:
        assert derive_status("x", [att("us", "denied")]) is Status.DENIED

    def test_a_later_retraction_by_the_reporter_is_a_denial(self) -> None:
        atts = [att("reuters", "reported", day=1), att("reuters", "denied", day=2)]
        assert derive_status("x", atts) is Status.DENIED

    def test_a_later_report_overrides_the_same_speakers_denial(self) -> None:
        atts = [
            att("reuters", "denied", day=1),
            att("reuters", "reported", day=2),
            att("ap", "reported"),
        ]
        assert derive_status("x", atts) is Status.CONFIRMED

    def test_order_within_a_document_follows_offsets(self) -> None:
        atts = [att("reuters", "denied", start=50), att("reuters", "reported", start=10)]
        assert derive_status("x", atts) is Status.DENIED

    def test_no_attestation_has_no_status(self) -> None:
        with pytest.raises(ValueError, match="without attestations"):
            derive_status("x", [])


class TestIds:
    def test_claim_id_comes_from_its_parts(self) -> None:
        a = Claim(subject="us", predicate="struck", object="pmf", event="taji")
        b = Claim(subject="us", predicate="struck", object="pmf", event="taji")
        c = Claim(subject="us", predicate="struck", object="pmf", event="nineveh")
        assert a.id == b.id != c.id
        assert a.id.startswith("claim-")

    def test_a_wrong_id_is_refused(self) -> None:
        with pytest.raises(ValidationError, match="does not match its content"):
            Claim(id="claim-0000000000000000", subject="a", predicate="commands", object="b")

    def test_a_stored_record_round_trips(self) -> None:
        claim = Claim(subject="a", predicate="part_of", object="b")
        assert Claim.model_validate(claim.model_dump(mode="json")) == claim

    def test_document_id_depends_on_text_only(self) -> None:
        a = Document(title="One", text="Body\r\nof text\n", publisher="A")
        b = Document(title="Two", text="  Body\nof text", publisher="B")
        c = Document(title="One", text="Body of another text")
        assert a.id == b.id != c.id
        assert a.text == "Body\nof text"

    def test_attestation_id_includes_speaker_stance_and_span(self) -> None:
        assert att("a", "reported").id != att("b", "reported").id
        assert att("a", "reported").id != att("a", "denied").id
        assert att("a", "reported").id != att("a", "reported", start=9).id
        assert att("a", "reported").id == att("a", "reported").id

    def test_span_must_fit_the_quote(self) -> None:
        with pytest.raises(ValidationError, match="quote's length"):
            Attestation(
                claim="c", speaker="s", stance="reported", document="d", quote="abc", start=0, end=9
            )

    def test_slugs_are_checked(self) -> None:
        with pytest.raises(ValidationError):
            Event(id="Not A Slug", kind="strike")

    def test_event_label_keeps_date_precision(self) -> None:
        event = Event(
            id="e", kind="attack", date=dt.date(2019, 1, 1), date_precision="year", place="Al-Qa'im"
        )
        assert event.label == "attack of 2019 at Al-Qa'im"
