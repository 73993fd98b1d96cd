"""LZ-string against the reference implementation's vectors (pieroxy/lz-string); round trips."""

from __future__ import annotations

import random

import pytest

from connectors.bpjs.lzstring import (
    LZStringError,
    compress_to_base64,
    compress_to_encoded_uri_component,
    decompress_from_base64,
    decompress_from_encoded_uri_component,
)

QUICK_FOX = "The quick brown fox jumps over the lazy dog"

# (text, compressToEncodedURIComponent) as the JavaScript reference produces them
URI_VECTORS = [
    ("red", "E4UwJkA"),
    (QUICK_FOX, "CoCwpgBAjgrglgYwNYQEYCcD2B3AdhAM0wA8IArGAWwAcBnCTANzHQgBdwIAbAQwC8AnhAAmmAOZA"),
    ("", "Q"),
]

# (text, compressToBase64): literals above 255 take the 16-bit path
BASE64_VECTORS = [
    ("hello world", "BYUwNmD2AEDukCcwBMg="),
    ("Hello", "BIUwNmD2Q==="),
    ("RPG Maker MV Save Data", "EoBQ4gBAsghg1gUwE7QGoQMowG4IgERgBcYg"),
    ('{"name":"test","level":5}', "N4IgdghgtgpiBcIAuMDOSQBoQBsYDcYcEBWAXyA="),
    (
        "The quick brown fox jumps over the lazy dog!",
        "CoCwpgBAjgrglgYwNYQEYCcD2B3AdhAM0wA8IArGAWwAcBnCTANzHQgBdwIAbAQwC8AnhAAmmAOYBCIA",
    ),
    (
        "Žluťoučký kůň úpěl ďábelské ódy!",
        "r6ABsK6KaAD2aLCADWBfgBPQ9oCAlAZAvgDobEARlB4QAEOAjAUxAGd4BL5AZ4BMBPAQiA==",
    ),
]


@pytest.mark.parametrize(("text", "expected"), URI_VECTORS)
def test_uri_form_matches_the_reference(text: str, expected: str) -> None:
    assert compress_to_encoded_uri_component(text) == expected
    assert decompress_from_encoded_uri_component(expected) == text


@pytest.mark.parametrize(("text", "expected"), BASE64_VECTORS)
def test_base64_form_matches_the_reference(text: str, expected: str) -> None:
    assert compress_to_base64(text) == expected
    assert decompress_from_base64(expected) == text


def test_the_two_forms_share_one_bit_stream() -> None:
    # given a text whose symbols avoid the characters the two alphabets spell differently
    uri = compress_to_encoded_uri_component("hello world")

    # then the URI form is the Base64 form without padding
    assert uri == "BYUwNmD2AEDukCcwBMg"


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "abababababababababababababab" * 40,
        '{"nama": "SITI AMINAH", "nik": null, "tglLahir": "1990-08-05"}' * 30,
        "emoji outside the BMP: 😀🇮🇩 and CJK 陳大文",
        "".join(chr(c) for c in range(0x20, 0x3000, 7)),
    ],
)
def test_round_trip(text: str) -> None:
    assert decompress_from_encoded_uri_component(compress_to_encoded_uri_component(text)) == text
    assert decompress_from_base64(compress_to_base64(text)) == text


def test_round_trip_of_random_texts() -> None:
    rng = random.Random(2026)
    alphabet = 'abcdefghij {}":,0123456789ÄÖÜ€陳😀'
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 400)))
        assert (
            decompress_from_encoded_uri_component(compress_to_encoded_uri_component(text)) == text
        )


def test_compression_shrinks_repetitive_json() -> None:
    text = '{"program": {"kode": "JKK", "fase": {"kode": "2"}}}' * 200
    assert len(compress_to_encoded_uri_component(text)) < len(text) / 5


def test_a_space_reads_as_plus() -> None:
    # form decoding turns "+" into a space; the reference undoes that
    text = "hello world " * 7
    compressed = compress_to_encoded_uri_component(text)
    assert "+" in compressed
    assert decompress_from_encoded_uri_component(compressed.replace("+", " ")) == text


_REASONS = {
    "empty": "empty",
    "truncated before the end marker": "ends before",
    "outside the URI alphabet": "outside the alphabet",
    "refers to an undefined phrase": "not yet defined",
    "does not start with a literal": "start with a literal",
}


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("", "empty"),
        ("E4Uw", "truncated before the end marker"),
        ("E4U/JkA", "outside the URI alphabet"),
        ("Ibg", "refers to an undefined phrase"),
        ("wA", "does not start with a literal"),
    ],
)
def test_malformed_input_is_refused(data: str, why: str) -> None:
    with pytest.raises(LZStringError, match=_REASONS[why]):
        decompress_from_encoded_uri_component(data)


def test_a_lone_surrogate_in_the_output_is_refused() -> None:
    # given a stream holding one 16-bit literal: a lone high surrogate
    compressed = compress_to_encoded_uri_component("\ud800")

    # then it decompresses to no valid text
    with pytest.raises(LZStringError):
        decompress_from_encoded_uri_component(compressed)
