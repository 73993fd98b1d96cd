// What a worker should do about each finding, addressed to the worker (the hub's own actions
// are instructions for officers). Keyed by finding code; a code not listed here gets the
// general advice, so a new rule never shows an officer's instruction to a worker.

const ADVICE = {
  NOT_IN_SISKOP2MI: [
    "Pastikan Anda terdaftar di SISKOP2MI: tanyakan ke BP2MI atau perusahaan penempatan (P3MI) Anda.",
    "Make sure you are registered in SISKOP2MI: ask BP2MI or your placement company (P3MI).",
  ],
  MORATORIUM_DESTINATION: [
    "Negara tujuan Anda sedang ditutup untuk penempatan. Jangan berangkat; tanyakan ke BP2MI.",
    "Your destination is closed to placements. Do not leave; ask BP2MI.",
  ],
  ORIENTATION_MISSING: [
    "Ikuti orientasi pra-pemberangkatan (OPP) sebelum berangkat; tanyakan jadwalnya ke BP2MI.",
    "Attend the pre-departure orientation (OPP) before you leave; ask BP2MI for a date.",
  ],
  RETURNED_HOME: [
    "Selamat datang kembali. Simpan bukti kepulangan Anda; tanyakan hak Anda ke BP2MI bila perlu.",
    "Welcome home. Keep your proof of return; ask BP2MI about your rights if needed.",
  ],
  PLACEMENT_AGENCY: [
    "Izin perusahaan penempatan (P3MI) Anda bermasalah. Hubungi BP2MI sebelum membayar atau menandatangani apa pun.",
    "Your placement company's (P3MI) licence has a problem. Contact BP2MI before you pay or sign anything.",
  ],
  CONTRACT_NOT_ENDORSED: [
    "Minta perjanjian kerja Anda disahkan di perwakilan RI; bawa salinan kontrak Anda.",
    "Have your work contract endorsed at the Indonesian mission; bring a copy of it.",
  ],
  CONTRACT_EXPIRED_STILL_ABROAD: [
    "Kontrak kerja Anda sudah berakhir. Hubungi perwakilan RI untuk memperpanjang atau pulang dengan aman.",
    "Your work contract has ended. Contact the Indonesian mission to extend it or go home safely.",
  ],
  BPJS: [
    "Periksa kepesertaan BPJS Ketenagakerjaan Anda: telepon 175 atau datangi kantor BPJS Ketenagakerjaan.",
    "Check your BPJS Ketenagakerjaan membership: call 175 or visit a BPJS Ketenagakerjaan office.",
  ],
  NOT_REPORTED_TO_MISSION: [
    "Lapor diri ke perwakilan RI di negara tempat Anda bekerja (bisa lewat portal Peduli WNI).",
    "Register with the Indonesian mission in the country where you work (also through the Peduli WNI portal).",
  ],
  PASSPORT: [
    "Perpanjang paspor Anda di perwakilan RI sebelum habis berlaku. Simpan paspor Anda sendiri.",
    "Renew your passport at the Indonesian mission before it expires. Keep your passport yourself.",
  ],
  SOURCE: [
    "Sebagian data Anda belum dapat dibaca. Coba lagi nanti.",
    "Some of your records could not be read. Try again later.",
  ],
  OTHER: [
    "Tanyakan ke perwakilan RI atau BP2MI apa yang perlu Anda lakukan.",
    "Ask the Indonesian mission or BP2MI what you should do.",
  ],
};

const PREFIXES = [
  ["PLACEMENT_AGENCY_", "PLACEMENT_AGENCY"],
  ["BPJS_", "BPJS"],
  ["JHT_", "BPJS"],
  ["PASSPORT_", "PASSPORT"],
  ["SOURCE_", "SOURCE"],
];

/** The advice for a finding code as [Indonesian, English]; null for a case finding, whose
 * own words (from the hub) are already addressed to the worker. */
export function adviceFor(code) {
  if (code === "CRITICAL_CASE" || code === "OPEN_CASE") return null;
  if (ADVICE[code]) return ADVICE[code];
  const prefix = PREFIXES.find(([p]) => code.startsWith(p));
  return ADVICE[prefix ? prefix[1] : "OTHER"];
}
