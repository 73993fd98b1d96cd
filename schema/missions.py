"""The Indonesian embassies and consulates serving migrant workers: reference data.

Kemlu's public directory of the missions in the placement countries. The population generator
places workers under them, the embassy sandbox serves them, and the hub validates the mission
of a case it opens against this list.

``phone`` is the mission's public switchboard, given to workers on their own page. The numbers
were written down from the missions' published contacts and must be checked against Kemlu's
directory before a production release; None where no number is recorded (the worker's page
then points to the Peduli WNI portal). BPJS Ketenagakerjaan's call centre is ``BPJS_HOTLINE``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MissionInfo:
    code: str
    name: str
    city: str
    country: str
    utc_offset: str
    phone: str | None = None


BPJS_HOTLINE = "175"  # BPJS Ketenagakerjaan's call centre, from Indonesia


MISSIONS: tuple[MissionInfo, ...] = (
    MissionInfo("HKG", "KJRI Hong Kong", "Hong Kong", "HK", "+08:00", "+852 2890 4421"),
    MissionInfo("TPE", "KDEI Taipei", "Taipei", "TW", "+08:00", "+886 2 8752 6170"),
    MissionInfo("KUL", "KBRI Kuala Lumpur", "Kuala Lumpur", "MY", "+08:00", "+60 3 2116 4000"),
    MissionInfo("JHB", "KJRI Johor Bahru", "Johor Bahru", "MY", "+08:00"),
    MissionInfo("PEN", "KJRI Penang", "George Town", "MY", "+08:00"),
    MissionInfo("KCH", "KJRI Kuching", "Kuching", "MY", "+08:00"),
    MissionInfo("BKI", "KJRI Kota Kinabalu", "Kota Kinabalu", "MY", "+08:00"),
    MissionInfo("TWU", "Konsulat RI Tawau", "Tawau", "MY", "+08:00"),
    MissionInfo("SIN", "KBRI Singapura", "Singapore", "SG", "+08:00", "+65 6737 7422"),
    MissionInfo("BWN", "KBRI Bandar Seri Begawan", "Bandar Seri Begawan", "BN", "+08:00"),
    MissionInfo("SEL", "KBRI Seoul", "Seoul", "KR", "+09:00", "+82 2 783 5675"),
    MissionInfo("TYO", "KBRI Tokyo", "Tokyo", "JP", "+09:00", "+81 3 3441 4201"),
    MissionInfo("OSA", "KJRI Osaka", "Osaka", "JP", "+09:00"),
    MissionInfo("RUH", "KBRI Riyadh", "Riyadh", "SA", "+03:00", "+966 11 488 2800"),
    MissionInfo("JED", "KJRI Jeddah", "Jeddah", "SA", "+03:00"),
    MissionInfo("AUH", "KBRI Abu Dhabi", "Abu Dhabi", "AE", "+04:00"),
    MissionInfo("DXB", "KJRI Dubai", "Dubai", "AE", "+04:00"),
    MissionInfo("DOH", "KBRI Doha", "Doha", "QA", "+03:00"),
    MissionInfo("PNH", "KBRI Phnom Penh", "Phnom Penh", "KH", "+07:00"),
    MissionInfo("KWI", "KBRI Kuwait City", "Kuwait City", "KW", "+03:00"),
    MissionInfo("MCT", "KBRI Muscat", "Muscat", "OM", "+04:00"),
    MissionInfo("BAH", "KBRI Manama", "Manama", "BH", "+03:00"),
    MissionInfo("AMM", "KBRI Amman", "Amman", "JO", "+03:00"),
    MissionInfo("ANK", "KBRI Ankara", "Ankara", "TR", "+03:00"),
    MissionInfo("IST", "KJRI Istanbul", "Istanbul", "TR", "+03:00"),
    MissionInfo("WAW", "KBRI Warsawa", "Warsaw", "PL", "+01:00"),
    MissionInfo("BER", "KBRI Berlin", "Berlin", "DE", "+01:00"),
    MissionInfo("FRA", "KJRI Frankfurt", "Frankfurt", "DE", "+01:00"),
    MissionInfo("ROM", "KBRI Roma", "Rome", "IT", "+01:00"),
)


def mission_info(code: str) -> MissionInfo | None:
    return next((m for m in MISSIONS if m.code == code), None)
