"""LZ-string (pieroxy/lz-string 1.4), the compression BPJS's VClaim practice puts in ``response``.

Only the two text forms are implemented: ``compressToEncodedURIComponent`` (what BPJS sends)
and ``compressToBase64`` (for the reference test vectors); both share one LZW core that emits
6-bit symbols. Like the JavaScript reference, the codec works on UTF-16 code units, so text
outside the Basic Multilingual Plane round-trips with the reference implementation.

The bit stream is handled as a string of "0"/"1" characters: each code is written least
significant bit first and each 6-bit symbol is read most significant bit first, which string
slicing does in C rather than one Python step per bit. The decoder reads the reversed stream
from its end, so each code costs one slice and one ``int()`` (it decodes the hub's BPJS
answers, about three times faster than reading forwards and reversing every code).
"""

from __future__ import annotations

import re

URI_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_BITS = 6  # bits per output symbol in both text forms
_URI_BITS = {c: format(i, "06b") for i, c in enumerate(URI_ALPHABET)}
_BASE64_BITS = {c: format(i, "06b") for i, c in enumerate(BASE64_ALPHABET)}
# LZW output can grow quadratically with its input: a few kilobytes of codes can ask for
# gigabytes. Decoding stops past this many UTF-16 code units (a BPJS answer is kilobytes).
MAX_OUTPUT = 16 * 2**20
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class LZStringError(ValueError):
    """The input is not LZ-string data (bad symbol, truncated, or an impossible code)."""


def compress_to_encoded_uri_component(text: str) -> str:
    return _symbols(_compress(_to_units(text)), URI_ALPHABET)


def decompress_from_encoded_uri_component(data: str, max_units: int = MAX_OUTPUT) -> str:
    # The reference turns spaces back into "+" (a "+" may arrive form-decoded as a space).
    return _from_units(_decompress(data.replace(" ", "+"), _URI_BITS, max_units))


def compress_to_base64(text: str) -> str:
    out = _symbols(_compress(_to_units(text)), BASE64_ALPHABET)
    return out + "=" * (-len(out) % 4)


def decompress_from_base64(data: str, max_units: int = MAX_OUTPUT) -> str:
    return _from_units(_decompress(data.rstrip("="), _BASE64_BITS, max_units))


def _to_units(text: str) -> str:
    """One character per UTF-16 code unit (astral characters become surrogate pairs)."""
    if not _ASTRAL.search(text):
        return text
    raw = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(int.from_bytes(raw[i : i + 2], "little")) for i in range(0, len(raw), 2))


def _from_units(units: str) -> str:
    if not _SURROGATE.search(units):
        return units
    try:
        return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        raise LZStringError("decompressed text is not valid UTF-16") from None


def _compress(text: str) -> str:
    """The LZW core: the whole output as a bit string, padded to whole symbols."""
    dictionary: dict[str, int] = {}
    fresh: set[str] = set()  # single characters not yet sent as literals
    bits: list[str] = []
    size, width, enlarge_in = 3, 2, 2
    w = ""

    def put(value: int, n: int) -> None:
        bits.append(format(value, f"0{n}b")[::-1])

    def emit(phrase: str) -> None:
        nonlocal width, enlarge_in
        if phrase in fresh:
            code = ord(phrase)
            if code < 256:
                put(0, width)
                put(code, 8)
            else:
                put(1, width)
                put(code, 16)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in, width = 1 << width, width + 1
            fresh.discard(phrase)
        else:
            put(dictionary[phrase], width)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in, width = 1 << width, width + 1

    for c in text:
        if c not in dictionary:
            dictionary[c] = size
            size += 1
            fresh.add(c)
        wc = w + c
        if wc in dictionary:
            w = wc
            continue
        emit(w)
        dictionary[wc] = size
        size += 1
        w = c
    if w:
        emit(w)
    put(2, width)  # end of stream
    stream = "".join(bits)
    # The reference always appends at least one padding bit before the last symbol.
    return stream + "0" * (_BITS - len(stream) % _BITS)


def _symbols(stream: str, alphabet: str) -> str:
    return "".join(alphabet[int(stream[i : i + _BITS], 2)] for i in range(0, len(stream), _BITS))


def _decompress(data: str, bits: dict[str, str], max_units: int) -> str:
    """The LZW core backwards; ``bits`` maps each symbol of the alphabet to its six bits.
    ``LZStringError`` once the output would pass ``max_units`` code units."""
    if not data:
        raise LZStringError("empty input")
    try:
        stream = "".join([bits[c] for c in data])
    except KeyError:
        raise LZStringError("input holds a character outside the alphabet") from None
    # Codes are read least significant bit first: reading the reversed stream backwards turns
    # each code into one slice and one int() in C, with no per-code reversal.
    rev = stream[::-1]
    end = len(rev)

    def read(n: int) -> int:
        nonlocal end
        start = end - n
        if start < 0:
            raise LZStringError("input ends before its end-of-stream marker")
        value = int(rev[start:end], 2)
        end = start
        return value

    first = read(2)
    if first == 2:
        return ""
    if first not in (0, 1):
        raise LZStringError("input does not start with a literal")
    c = chr(read(8 if first == 0 else 16))
    dictionary: list[str] = ["", "", "", c]
    append = dictionary.append
    result = [c]
    size = 1
    w = c
    width, enlarge_in = 3, 4
    while True:
        start = end - width
        if start < 0:
            raise LZStringError("input ends before its end-of-stream marker")
        code = int(rev[start:end], 2)
        end = start
        if code < 3:
            if code == 2:
                return "".join(result)
            append(chr(read(8 if code == 0 else 16)))
            code = len(dictionary) - 1
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in, width = 1 << width, width + 1
        if code < len(dictionary):
            entry = dictionary[code]
        elif code == len(dictionary):
            entry = w + w[0]
        else:
            raise LZStringError("input refers to a phrase not yet defined")
        result.append(entry)
        size += len(entry)
        if size > max_units:
            raise LZStringError(f"output passes {max_units} code units")
        append(w + entry[0])
        enlarge_in -= 1
        w = entry
        if enlarge_in == 0:
            enlarge_in, width = 1 << width, width + 1


__all__ = [
    "LZStringError",
    "compress_to_base64",
    "compress_to_encoded_uri_component",
    "decompress_from_base64",
    "decompress_from_encoded_uri_component",
]
